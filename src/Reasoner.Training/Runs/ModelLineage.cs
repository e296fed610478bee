// The training data behind a checkpoint: its run's data (the dataset card beside it) or curriculum presets, then
// those of the model that run started from (init_from), and so on back to a model trained from scratch. A checkpoint
// outside a run folder, or data without a card, adds nothing: then nothing is known and nothing is claimed.
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Training.Runs;

public static class ModelLineage
{
    public static TrainingCoverage? CoverageOf(string checkpoint)
    {
        var presets = new List<DifficultySpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = checkpoint; current is not null && CheckpointPaths.RunOf(current) is { } run && seen.Add(Path.GetFullPath(run));)
        {
            var configPath = Path.Combine(run, RunFolder.ConfigFile);
            if (!File.Exists(configPath) || JsonNode.Parse(File.ReadAllText(configPath)) is not JsonObject config)
            {
                break;
            }

            if (config["data"]?.GetValue<string>() is { Length: > 0 } data && DatasetCard.TryLoad(DatasetCard.PathFor(data)) is { } card)
            {
                presets.AddRange(card.Presets);
            }

            if (config["curriculum"]?["levels"] is JsonArray levels)
            {
                presets.AddRange(levels.SelectMany(l => PresetCatalog.Resolve(l!.GetValue<string>())));
            }

            current = config["init_from"]?.GetValue<string>() is { Length: > 0 } init && Directory.Exists(init) ? init : null;
        }

        return presets.Count == 0 ? null : new TrainingCoverage(presets);
    }
}
