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

    /// <summary>The tokens a row contributes to the loss's normaliser: its completion, or none when it is masked as truncated (as <see cref="Mask"/> counts them).</summary>
    public static long CountedTokens(Rollout row, bool maskTruncated) => maskTruncated && row.Truncated ? 0 : row.CompletionIds.Count;

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

    /// <summary>
    /// The sampling policy's log-probability of every completion token, per row (no gradient, eval mode): kept with
    /// rollouts that are trained on after the weights have moved (steps_per_generation), as TRL's old_per_token_logps.
    /// </summary>
    public static List<float[]> RecordLogProbs(CausalLM model, IReadOnlyList<Rollout> rows, int padId, int microBatch)
    {
        var recorded = new List<float[]>(rows.Count);
        bool training = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < rows.Count; start += microBatch)
            {
                using var scope = NewDisposeScope();
                var chunk = rows.Skip(start).Take(microBatch).ToList();
                using var tensors = Build(chunk, padId, maskTruncated: false);
                var logProbs = tensors.Score(model).LogProbs;
                int width = (int)logProbs.shape[1];
                var values = logProbs.data<float>().ToArray();
                recorded.AddRange(chunk.Select((r, i) => values.AsSpan((i * width) + r.PromptIds.Count - 1, r.CompletionIds.Count).ToArray()));
            }
        }
        finally
        {
            model.train(training);
        }

        return recorded;
    }

    /// <summary>The recorded log-probabilities of these rows laid out as this batch (B, T); 0 where no loss is taken.</summary>
    public Tensor Recorded(IReadOnlyList<Rollout> rows)
    {
        int width = (int)Mask.shape[1];
        var values = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            var old = rows[i].OldLogProbs ?? throw new InvalidOperationException("a rollout without recorded log-probabilities");
            old.CopyTo(values.AsSpan((i * width) + rows[i].PromptIds.Count - 1, old.Length));
        }

        return tensor(values).reshape(rows.Count, width);
    }

    public void Dispose() => batch.Dispose();
}
