// The card of a distill or rewrite output (OUT.card.json): the config, the teacher, and what happened to every
// problem, summed from the progress lines: acceptance by difficulty and rejections by reason. It is rebuilt from the
// progress file at the end of every run, so a resumed run's card counts the whole run.
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;

namespace Reasoner.Distillation;

public static class RunCard
{
    public static JsonObject Build(string command, JsonObject config, string teacher, Journal journal, long retries, long malformed)
    {
        var byDifficulty = new SortedDictionary<string, long[]>(StringComparer.Ordinal); // problems, accepted, samples, correct
        var rejections = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long rows = 0;
        foreach (var entry in journal.Done.Values)
        {
            var difficulty = entry["difficulty"]?.GetValue<string>() ?? "unknown";
            var counts = byDifficulty.TryGetValue(difficulty, out var c) ? c : byDifficulty[difficulty] = new long[4];
            int kept = entry["rows"]!.GetValue<int>();
            counts[0]++;
            counts[1] += entry["accepted"]?.GetValue<bool>() ?? kept > 0 ? 1 : 0;
            counts[2] += entry["tried"]?.GetValue<int>() ?? 0;
            counts[3] += entry["correct"]?.GetValue<int>() ?? 0;
            rows += kept;
            if (entry["rejections"] is JsonObject reasons)
            {
                foreach (var (reason, n) in reasons)
                {
                    rejections[reason] = rejections.GetValueOrDefault(reason) + n!.GetValue<int>();
                }
            }
        }

        long problems = byDifficulty.Values.Sum(v => v[0]), accepted = byDifficulty.Values.Sum(v => v[1]);
        long samples = byDifficulty.Values.Sum(v => v[2]), correct = byDifficulty.Values.Sum(v => v[3]);
        var table = new JsonObject();
        foreach (var (difficulty, v) in byDifficulty)
        {
            table[difficulty] = new JsonObject
            {
                ["problems"] = v[0], ["accepted"] = v[1], ["acceptance_rate"] = Rate(v[1], v[0]), ["samples"] = v[2], ["samples_accepted"] = v[3], ["sample_acceptance_rate"] = Rate(v[3], v[2]),
            };
        }

        return new JsonObject
        {
            ["format"] = $"reasoner-{command}/1",
            ["config"] = config.DeepClone(),
            ["teacher"] = teacher,
            ["problems"] = problems,
            ["accepted"] = accepted,
            ["acceptance_rate"] = Rate(accepted, problems),
            ["rows"] = rows,
            ["samples"] = samples,
            ["samples_accepted"] = correct,
            ["sample_acceptance_rate"] = Rate(correct, samples),
            ["by_difficulty"] = table,
            ["rejections"] = new JsonObject(rejections.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
            ["retries"] = retries,
            ["malformed_replies"] = malformed,
            ["sha256"] = DatasetCard.Sha256Of(journal.Path),
            ["created"] = DateTimeOffset.UtcNow.ToString("O"),
        };
    }

    public static void Save(string outPath, JsonObject card) =>
        AtomicFile.WriteAllText(DatasetCard.PathFor(outPath), card.ToJsonString(JsonText.Indented) + "\n");

    private static double Rate(long part, long whole) => whole == 0 ? 0 : System.Math.Round((double)part / whole, 4);
}
