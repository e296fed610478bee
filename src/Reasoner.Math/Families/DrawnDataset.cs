// The generate loop of every family that draws one problem at a time from a preset (equations, fractions, word
// problems): presets in turn, each draw from its own seed, split into train or test by a hash of its text (as
// arithmetic problems are), de-duplicated, traced, and re-verified from the row's text alone before it is written.
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Families;

/// <summary>
/// One drawn problem: <paramref name="Key"/> is the text that splits and de-duplicates it; <paramref name="Expression"/>
/// or <paramref name="Equation"/> is what its answer is the value or the solution of, kept in the row.
/// </summary>
public sealed record DrawnProblem(string Key, string Prompt, string Thinking, string Answer, string? Expression = null, string? Equation = null);

public static class DrawnDataset
{
    /// <param name="style">The row's style when it carries a chain of thought ("equation", "word", "fraction"); "-digit" is added when the digit work is written out.</param>
    /// <param name="draw">One problem from a preset and a seeded Random; null when this draw is invalid.</param>
    public static IEnumerable<DatasetRecord> Stream<TSpec>(GenerateConfig config, IReadOnlyList<TSpec> specs, DrawStats stats, string family, string style, Func<TSpec, Random, DrawnProblem?> draw)
        where TSpec : IFamilyPreset
    {
        var rewards = new MathRewards(VerifierOptions.Default);
        var splits = new SplitAssigner(config.TestFraction).Validate();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var split = config.Split.ToString().ToLowerInvariant();
        long written = 0;
        for (long index = 0; written < config.Count; index++)
        {
            if (stats.Attempts > (50L * config.Count) + 10_000)
            {
                throw new ArgumentException($"preset '{config.Preset}' ran out of distinct {split} problems after {written} items; ask for fewer or widen its ranges");
            }

            var spec = specs[(int)(index % specs.Count)];
            long seed = Seeds.Mix(config.Seed, (long)config.Split + 1, index);
            stats.CountAttempt();
            if (draw(spec, Seeds.Random(seed)) is not { } problem)
            {
                stats.CountInvalid();
                continue;
            }

            if (splits.Assign(problem.Key) != config.Split)
            {
                stats.CountOtherSplit();
                continue;
            }

            if (!seen.Add(problem.Key))
            {
                stats.CountDuplicate();
                continue;
            }

            // answer-only: an empty think, as arithmetic writes it; the digit style writes out the work of each claim
            var thinking = config.Style == TraceStyle.Digit ? DigitWork.Expand(problem.Thinking, config.TraceOptions) : problem.Thinking;
            var completion = $"{AnswerExtractor.ThinkOpen}\n{(config.AnswerOnly ? string.Empty : thinking + "\n")}{AnswerExtractor.ThinkClose}\n{AnswerExtractor.AnswerOpen}{problem.Answer}{AnswerExtractor.AnswerClose}";
            var record = new DatasetRecord(
                $"{spec.Name}-{split}-{written:D7}", config.ResolvedSystemPrompt, problem.Prompt, completion, problem.Expression ?? string.Empty, problem.Answer,
                spec.Name, seed, config.AnswerOnly ? "answer-only" : config.Style == TraceStyle.Digit ? $"{style}-digit" : style, split, problem.Equation, family);
            var failure = ExampleVerifier.Verify(record, rewards);
            if (failure is not null)
            {
                throw new InvalidOperationException($"generated example {record.Id} does not verify: {failure}");
            }

            written++;
            yield return record;
        }
    }
}
