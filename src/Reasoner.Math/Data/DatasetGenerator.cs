// The generate job: stream problems, trace and verify each, write JSONL and its card atomically.
using Reasoner.Math.Problems;

namespace Reasoner.Math.Data;

public static class DatasetGenerator
{
    /// <param name="progress">Called after each written row with the number written so far.</param>
    public static DatasetCard Run(GenerateConfig config, string outPath, Action<long>? progress = null)
    {
        config.Validate();
        if (Equations.EquationSpec.TryResolve(config.Preset) is { } equations)
        {
            return Equations.EquationDataset.Run(config, equations, outPath, progress); // the equations family
        }

        var presets = PresetCatalog.Resolve(config.Preset);
        var stats = new DrawStats();
        var builder = new ExampleBuilder(config);
        var byDifficulty = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var writer = new DatasetWriter(outPath, config.Shape))
        {
            foreach (var problem in ProblemGenerator.Stream(presets, config.Count, config.Seed, config.Split, new SplitAssigner(config.TestFraction), stats))
            {
                writer.Write(builder.Build(problem));
                byDifficulty[problem.Difficulty] = byDifficulty.GetValueOrDefault(problem.Difficulty) + 1;
                progress?.Invoke(writer.Count);
            }

            writer.Commit();
        }

        var card = new DatasetCard
        {
            Config = config,
            Presets = presets,
            Count = byDifficulty.Values.Sum(),
            Verified = byDifficulty.Values.Sum(),
            ByDifficulty = byDifficulty,
            Attempts = stats.Attempts,
            RejectedInvalid = stats.Invalid,
            RejectedOtherSplit = stats.OtherSplit,
            RejectedDuplicates = stats.Duplicates,
            Sha256 = DatasetCard.Sha256Of(outPath),
        };
        card.Save(outPath);
        return card;
    }
}
