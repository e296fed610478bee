// The generate job: the presets' family streams verified rows; they are written as JSONL with their card, atomically.
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Data;

public static class DatasetGenerator
{
    /// <param name="progress">Called after each written row with the number written so far.</param>
    public static DatasetCard Run(GenerateConfig config, string outPath, Action<long>? progress = null)
    {
        config.Validate();
        var family = ProblemFamilies.For(config.Preset);
        var stats = new DrawStats();
        var byDifficulty = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var writer = new DatasetWriter(outPath, config.Shape))
        {
            foreach (var record in family.Generate(config, stats))
            {
                writer.Write(record);
                byDifficulty[record.Difficulty] = byDifficulty.GetValueOrDefault(record.Difficulty) + 1;
                progress?.Invoke(writer.Count);
            }

            writer.Commit();
        }

        var presets = family.Resolve(config.Preset);
        var card = new DatasetCard
        {
            Config = config,
            Family = family.Name,
            Presets = presets.OfType<DifficultySpec>().Distinct().ToList(),
            FamilyPresets = family is ArithmeticFamily ? null : presets.Distinct().ToList(),
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
