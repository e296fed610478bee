// On-policy distillation (GKD, kd.lmbda > 0): the student completes a micro-batch's prompts itself, sampling at the
// KD temperature, and the batch is rebuilt from those completions, so the teacher scores the student's own tokens.
// A completion that stopped keeps its end token (the student learns when to stop); one cut at the length limit
// does not. Whether a micro-batch is on-policy and what it samples are pure functions of (seed, step, micro-batch),
// so a resumed run makes the same choices.
using Reasoner.Math.Problems;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Batches;

namespace Reasoner.Training.Sft;

public sealed record OnPolicySamples(NextTokenBatch Batch, int Truncated, int Rows);

public static class OnPolicyBatch
{
    /// <summary>True when micro-batch <paramref name="micro"/> of step <paramref name="step"/> is on-policy.</summary>
    public static bool Chosen(KdSettings kd, long seed, int step, int micro, int gradAccum) =>
        kd.Lmbda > 0 && (kd.Lmbda >= 1 || Seeds.Random(Seeds.Mix(seed, 0x6CD, MicroBatchIndex(step, micro, gradAccum))).NextDouble() < kd.Lmbda);

    /// <summary>The student's samples for the prompts of <paramref name="rows"/>, as a batch with the loss on the completions.</summary>
    public static OnPolicySamples Sample(CausalLM student, ITokenizer tokenizer, IReadOnlyList<TokenizedRow> rows, KdSettings kd, int maxSeqLen, long seed, int step, int micro, int gradAccum)
    {
        var prompts = rows.Select(r => (IReadOnlyList<int>)r.Tokens[..r.PromptLength]).ToList();
        int longestData = rows.Max(r => r.Tokens.Length - r.PromptLength);
        int wanted = kd.MaxNewTokens > 0 ? kd.MaxNewTokens : (int)System.Math.Ceiling(1.5 * longestData);
        int maxNew = System.Math.Max(1, System.Math.Min(wanted, maxSeqLen - prompts.Max(p => p.Count)));
        var stops = tokenizer.Chat.StopIds(tokenizer);
        var routing = student.Routing; // a mixture of experts: the sampling passes are not training passes
        student.Routing = null;
        List<List<int>> outputs;
        try
        {
            outputs = new TextGenerator(student, tokenizer.PadId, stops, tokenizer.VocabSize).Generate(prompts, new GenerationOptions
            {
                MaxNewTokens = maxNew, Temperature = kd.Temperature, Seed = Seeds.Mix(seed, 0x6CE, MicroBatchIndex(step, micro, gradAccum)),
            });
        }
        finally
        {
            student.Routing = routing;
            student.train();
        }

        var cut = outputs.Select(o => o.Count >= maxNew).ToArray();
        var sequences = prompts.Select((p, i) => new SequenceRow([.. p, .. outputs[i], .. cut[i] ? [] : new[] { stops[0] }], p.Count)).ToList();
        return new OnPolicySamples(NextTokenBatch.Build(sequences, tokenizer.PadId, ignoreTarget: KdLoss.IgnoreIndex), cut.Count(c => c), rows.Count);
    }

    private static long MicroBatchIndex(int step, int micro, int gradAccum) => ((long)step * gradAccum) + micro;
}
