// `generate` for the equations family: equations drawn from the presets in turn, each split into train or test by a
// hash of its text (as arithmetic problems are), de-duplicated, traced, and re-verified from the row's text alone
// (the equation re-solved, the answer, the format, every step) before it is written.
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Equations;

public static class EquationDataset
{
    public static DatasetCard Run(GenerateConfig config, IReadOnlyList<EquationSpec> specs, string outPath, Action<long>? progress = null)
    {
        var rewards = new MathRewards(VerifierOptions.Default);
        var splits = new SplitAssigner(config.TestFraction);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byDifficulty = new Dictionary<string, long>(StringComparer.Ordinal);
        long attempts = 0, otherSplit = 0, duplicates = 0;
        using (var writer = new DatasetWriter(outPath, config.Shape))
        {
            for (long index = 0; writer.Count < config.Count; index++)
            {
                if (attempts > (50L * config.Count) + 10_000)
                {
                    throw new ArgumentException($"preset '{config.Preset}' ran out of distinct {config.Split.ToString().ToLowerInvariant()} equations after {writer.Count} items; ask for fewer or widen its ranges");
                }

                var spec = specs[(int)(index % specs.Count)];
                long seed = Seeds.Mix(config.Seed, (long)config.Split + 1, index);
                var problem = EquationTracer.Draw(spec, Seeds.Random(seed));
                attempts++;
                var text = problem.Text;
                if (splits.Assign(text) != config.Split)
                {
                    otherSplit++;
                    continue;
                }

                if (!seen.Add(text))
                {
                    duplicates++;
                    continue;
                }

                var (thinking, answer) = EquationTracer.Trace(problem);
                var completion = $"{AnswerExtractor.ThinkOpen}\n{(config.AnswerOnly ? string.Empty : thinking + "\n")}{AnswerExtractor.ThinkClose}\n{AnswerExtractor.AnswerOpen}{answer}{AnswerExtractor.AnswerClose}"; // answer-only: an empty think, as arithmetic writes it
                var record = new DatasetRecord(
                    $"{spec.Name}-{config.Split.ToString().ToLowerInvariant()}-{writer.Count:D7}", config.ResolvedSystemPrompt, $"Solve for x: {text}", completion,
                    string.Empty, answer, spec.Name, seed, config.AnswerOnly ? "answer-only" : "equation", config.Split.ToString().ToLowerInvariant(), text);
                var failure = ExampleVerifier.Verify(record, rewards);
                if (failure is not null)
                {
                    throw new InvalidOperationException($"generated example {record.Id} does not verify: {failure}");
                }

                writer.Write(record);
                byDifficulty[spec.Name] = byDifficulty.GetValueOrDefault(spec.Name) + 1;
                progress?.Invoke(writer.Count);
            }

            writer.Commit();
        }

        var card = new DatasetCard
        {
            Config = config, Presets = [], Count = byDifficulty.Values.Sum(), Verified = byDifficulty.Values.Sum(), ByDifficulty = byDifficulty,
            Attempts = attempts, RejectedInvalid = 0, RejectedOtherSplit = otherSplit, RejectedDuplicates = duplicates, Sha256 = DatasetCard.Sha256Of(outPath),
        };
        card.Save(outPath);
        return card;
    }
}
