// Rollouts as training tensors: prompt + completion right-padded, the next token as target, and a mask that
// is 1 exactly on the completion tokens that count. Right padding keeps positions 0..T-1 for every row, so
// the plain causal forward pass scores each row as if it were alone.
using Reasoner.Model.Network;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Grpo;

public sealed record RolloutTensors(Tensor Inputs, Tensor Targets, Tensor Mask) : IDisposable
{
    public static RolloutTensors Build(IReadOnlyList<Rollout> rows, int padId, bool maskTruncated)
    {
        int width = rows.Max(r => r.PromptIds.Count + r.CompletionIds.Count) - 1;
        var inputs = new long[rows.Count, width];
        var targets = new long[rows.Count, width];
        var mask = new float[rows.Count, width];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var sequence = row.PromptIds.Concat(row.CompletionIds).ToArray();
            bool counts = !(maskTruncated && row.Truncated);
            for (int t = 0; t < width; t++)
            {
                inputs[r, t] = t < sequence.Length ? sequence[t] : padId;
                bool completion = t + 1 < sequence.Length && t + 1 >= row.PromptIds.Count;
                targets[r, t] = t + 1 < sequence.Length ? sequence[t + 1] : padId;
                mask[r, t] = completion && counts ? 1f : 0f;
            }
        }

        return new RolloutTensors(tensor(inputs), tensor(targets), tensor(mask));
    }

    /// <summary>Log-probability of each target token (B, T) and, detached, the entropy of each position (B, T).</summary>
    public (Tensor LogProbs, Tensor Entropy) Score(CausalLM model)
    {
        var logits = model.Forward(Inputs).to_type(ScalarType.Float32);
        var logSoftmax = F.log_softmax(logits, -1);
        var logProbs = logSoftmax.gather(-1, Targets.unsqueeze(-1)).squeeze(-1);
        using var noGrad = no_grad();
        var entropy = -(logSoftmax.exp() * logSoftmax).sum(-1);
        return (logProbs, entropy);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Mask.Dispose();
    }
}
