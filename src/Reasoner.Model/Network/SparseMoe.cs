// Mixtral's sparse mixture-of-experts MLP, with its checkpoint names: block_sparse_moe.gate (the router, hidden ->
// experts) and block_sparse_moe.experts.N.w1 / w3 / w2 (each expert a SwiGLU: w2(silu(w1 x) * w3 x)). Each token goes to
// the top-k experts of the router's softmax, their weights renormalized to sum to 1, as in HF's MixtralSparseMoeBlock.
// Only the chosen experts run, on the rows routed to them. In training the router's probabilities and choices are kept
// for the load-balancing loss (Switch Transformer / HF's load_balancing_loss_func) and the expert-load metrics.
using Reasoner.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Model.Network;

/// <summary>What one sparse layer's router did on the last forward pass: its softmax (N, E) and the experts chosen (N, k).</summary>
public sealed record RouterRecord(Tensor Probabilities, Tensor Chosen);

internal sealed class SparseMoe : nn.Module
{
    private readonly Linear gate;
    private readonly ModuleList<Expert> experts;
    private readonly int _topK;

    public SparseMoe(ModelConfig config)
        : base("block_sparse_moe")
    {
        gate = nn.Linear(config.HiddenSize, config.NumLocalExperts, hasBias: false);
        experts = nn.ModuleList(Enumerable.Range(0, config.NumLocalExperts).Select(_ => new Expert(config)).ToArray());
        _topK = config.NumExpertsPerTok;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, List<RouterRecord>? records)
    {
        long hidden = x.shape[^1];
        var flat = x.reshape(-1, hidden);                                              // (N, H)
        var probabilities = F.softmax(gate.forward(flat).to_type(ScalarType.Float32), 1); // (N, E), fp32 as HF
        var (weights, chosen) = probabilities.topk(_topK, dim: 1);                     // (N, k)
        weights = weights.div(weights.sum(1, keepdim: true)).to_type(x.dtype);
        if (records is not null)
        {
            // kept past the decoder's dispose scope, for the caller's loss; they go with the caller's scope
            records.Add(new RouterRecord(probabilities.alias().MoveToOuterDisposeScope(), chosen.alias().MoveToOuterDisposeScope()));
        }
        var output = zeros_like(flat);
        var hits = F.one_hot(chosen, experts.Count).to_type(x.dtype);                  // (N, k, E)
        for (int e = 0; e < experts.Count; e++)
        {
            var hit = hits.select(2, e);                                               // (N, k): 1 where expert e was chosen
            var rows = hit.sum(1).nonzero().reshape(-1);
            if (rows.shape[0] == 0)
            {
                continue;
            }

            var weight = weights.mul(hit).sum(1).index_select(0, rows).unsqueeze(1);   // (n, 1)
            output = output.index_add(0, rows, experts[e].Forward(flat.index_select(0, rows)).mul(weight), HeldScalars.One);
        }

        return output.reshape(x.shape);
    }

    /// <summary>
    /// HF's load_balancing_loss_func over all sparse layers: E * sum_e (share of routing choices to e) * (mean router
    /// probability of e), 1 when the load is uniform.
    /// </summary>
    public static Tensor BalanceLoss(IReadOnlyList<RouterRecord> records, int experts)
    {
        var probabilities = cat(records.Select(r => r.Probabilities).ToArray(), 0);    // (L*N, E)
        var chosen = cat(records.Select(r => r.Chosen).ToArray(), 0);                  // (L*N, k)
        var share = F.one_hot(chosen, experts).to_type(ScalarType.Float32).mean([0]);  // (k, E)
        using var count = experts.ToScalar();
        return share.mul(probabilities.mean([0]).unsqueeze(0)).sum().mul(count);
    }

    private sealed class Expert : nn.Module
    {
        private readonly Linear w1;
        private readonly Linear w2;
        private readonly Linear w3;

        public Expert(ModelConfig config)
            : base("expert")
        {
            w1 = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
            w2 = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
            w3 = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x) => w2.forward(F.silu(w1.forward(x)).mul(w3.forward(x)));
    }
}
