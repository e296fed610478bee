// Rollouts as a training batch (NextTokenBatch: prompt + completion right-padded, the next token as target, a mask
// that is 1 exactly on the completion tokens that count) and how the policy scores it.
using Reasoner.Model.Network;
using Reasoner.Training.Batches;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Grpo;

public sealed class RolloutTensors(NextTokenBatch batch) : IDisposable
{
    /// <summary>(B, T) float, 1 on the completion tokens that count.</summary>
    public Tensor Mask => batch.Mask;

    /// <summary>(B, T) int64, the next token (padding where no loss is taken).</summary>
    public Tensor Targets => batch.Targets;

    /// <param name="maskTruncated">Leave completions cut off by max_new_tokens out of the loss.</param>
    public static RolloutTensors Build(IReadOnlyList<Rollout> rows, int padId, bool maskTruncated) => new(NextTokenBatch.Build(
        rows.Select(r => new SequenceRow([.. r.PromptIds, .. r.CompletionIds], r.PromptIds.Count, Counts: !(maskTruncated && r.Truncated))).ToList(),
        padId,
        ignoreTarget: padId)); // targets are gathered, so positions without loss need a valid id; the mask zeroes them

    /// <summary>Log-probability of each target token (B, T) and, detached, the entropy of each position (B, T).</summary>
    public (Tensor LogProbs, Tensor Entropy) Score(CausalLM model)
    {
        var logits = model.Forward(batch.Inputs).to_type(ScalarType.Float32);
        var logSoftmax = F.log_softmax(logits, -1);
        var logProbs = logSoftmax.gather(-1, batch.Targets.unsqueeze(-1)).squeeze(-1);
        using var noGrad = no_grad();
        var entropy = -(logSoftmax.exp() * logSoftmax).sum(-1);
        return (logProbs, entropy);
    }

    public void Dispose() => batch.Dispose();
}
