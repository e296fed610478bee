// The training data behind a checkpoint: its run's data and replay mix (the dataset cards beside them) or curriculum
// presets, then
// those of the model that run started from (init_from), and so on back to a model trained from scratch. A checkpoint
// outside a run folder, or data without a card, adds nothing: then nothing is known and nothing is claimed. Data made
// by `distill` or `rewrite` has their card instead, which names the problems it came from: a preset, or a problems file
// (or compiler traces) with a card of its own, followed the same way.
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

            var known = presets.Count;
            if (config["data"]?.GetValue<string>() is { Length: > 0 } data)
            {
                presets.AddRange(PresetsOf(data, depth: 0));
            }

            if (config["curriculum"]?["levels"] is JsonArray levels)
            {
                presets.AddRange(levels.SelectMany(l => PresetCatalog.Resolve(l!.GetValue<string>())));
            }

            // Replay data (train --mix FILE:SHARE) is training data too; it widens what is known of a run's data, but
            // never stands in for main data without a card, or a model trained mostly on unknown data would be judged
            // by its replay rows alone.
            if (presets.Count > known && config["mix"] is JsonArray mixes)
            {
                foreach (var spec in mixes.Select(m => m?.GetValue<string>() ?? string.Empty).Where(m => m.LastIndexOf(':') > 0))
                {
                    presets.AddRange(PresetsOf(Sft.ReplayMix.Parse(spec).File, depth: 0));
                }
            }

            current = config["init_from"]?.GetValue<string>() is { Length: > 0 } init && Directory.Exists(init) ? init : null;
        }

        return presets.Count == 0 ? null : new TrainingCoverage(presets);
    }

    /// <summary>The presets behind a dataset: its `generate` card, or a distill/rewrite card's source, followed back.</summary>
    private static IEnumerable<DifficultySpec> PresetsOf(string data, int depth)
    {
        var cardPath = DatasetCard.PathFor(data);
        if (DatasetCard.TryLoad(cardPath) is { } card)
        {
            return card.Presets;
        }

        if (depth > 4 || ParseOrNull(cardPath) is not JsonObject teacherCard
            || teacherCard["format"]?.GetValue<string>() is not ("reasoner-distill/1" or "reasoner-rewrite/1")
            || teacherCard["config"] is not JsonObject config)
        {
            return [];
        }

        if (config["preset"]?.GetValue<string>() is { Length: > 0 } preset)
        {
            return PresetCatalog.Resolve(preset);
        }

        return (config["data"] ?? config["in"])?.GetValue<string>() is { Length: > 0 } source ? PresetsOf(source, depth + 1) : [];
    }

    private static JsonNode? ParseOrNull(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
