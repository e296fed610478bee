// Aggregates item results: overall and per difficulty / operation / operand width ("+ 4x2"). Saved as eval.json, with every item's
// completion and verdict in eval.samples.jsonl beside it (as lm-eval's --log_samples), for error analysis.
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Training.Evaluation;

public sealed record EvalGroup(
    [property: JsonPropertyName("n")] int Count,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("pass_at_k")] double? PassAtK,
    [property: JsonPropertyName("maj_at_k")] double? MajAtK,
    [property: JsonPropertyName("format_error_rate")] double FormatErrorRate,
    [property: JsonPropertyName("step_validity")] double? StepValidity,
    [property: JsonPropertyName("mean_completion_tokens")] double MeanCompletionTokens)
{
    public static EvalGroup Of(IReadOnlyList<ItemResult> items)
    {
        var steps = items.Where(i => i.StepValidity is not null).Select(i => i.StepValidity!.Value).ToList();
        var pass = items.Where(i => i.PassAtK is not null).Select(i => i.PassAtK!.Value).ToList();
        var majority = items.Where(i => i.MajorityCorrect is not null).Select(i => i.MajorityCorrect!.Value ? 1.0 : 0.0).ToList();
        return new EvalGroup(
            items.Count,
            items.Count == 0 ? 0 : items.Average(i => i.Correct ? 1.0 : 0.0),
            pass.Count == 0 ? null : pass.Average(),
            majority.Count == 0 ? null : majority.Average(),
            items.Count == 0 ? 0 : items.Average(i => i.WellFormed ? 0.0 : 1.0),
            steps.Count == 0 ? null : steps.Average(),
            items.Count == 0 ? 0 : items.Average(i => i.CompletionTokens));
    }
}

public sealed record EvalReport(
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("overall")] EvalGroup Overall,
    [property: JsonPropertyName("by_family")] IReadOnlyDictionary<string, EvalGroup> ByFamily,
    [property: JsonPropertyName("by_difficulty")] IReadOnlyDictionary<string, EvalGroup> ByDifficulty,
    [property: JsonPropertyName("by_operation")] IReadOnlyDictionary<string, EvalGroup> ByOperation,
    [property: JsonPropertyName("by_width")] IReadOnlyDictionary<string, EvalGroup> ByWidth,
    [property: JsonIgnore] IReadOnlyList<ItemResult> Items)
{
    public static EvalReport From(IReadOnlyList<ItemResult> items, int samples) => new(
        samples,
        EvalGroup.Of(items),
        items.GroupBy(i => i.Family).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => EvalGroup.Of(g.ToList())),
        items.GroupBy(i => i.Difficulty).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => EvalGroup.Of(g.ToList())),
        items.GroupBy(i => i.Operation).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => EvalGroup.Of(g.ToList())),
        WidthBucket.Ordered(items.Where(i => i.Width is not null).Select(i => i.Width!).Distinct())
            .ToDictionary(w => w, w => EvalGroup.Of(items.Where(i => i.Width == w).ToList())),
        items);

    /// <summary>
    /// Markdown tables: one per family when there are several, one row per difficulty (level) and the total, then one per
    /// operand width when there are any.
    /// </summary>
    public string Table() =>
        (ByFamily.Count > 1 ? Table("family", ByFamily) + "\n" : string.Empty)
        + Table("difficulty", ByDifficulty)
        + (ByWidth.Count == 0 ? string.Empty : "\n" + Table("operand digits", ByWidth));

    private string Table(string heading, IReadOnlyDictionary<string, EvalGroup> groups)
    {
        var builder = new StringBuilder();
        bool sampled = Samples > 1;
        builder.AppendLine(sampled
            ? $"| {heading} | n | greedy acc | pass@{Samples} | maj@{Samples} | format errors | step validity | mean tokens |"
            : $"| {heading} | n | greedy acc | format errors | step validity | mean tokens |");
        builder.AppendLine(sampled ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" : "| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, group) in groups.Append(new("all", Overall)))
        {
            var extra = sampled ? $" {group.PassAtK:P1} | {group.MajAtK:P1} |" : string.Empty;
            builder.AppendLine(System.FormattableString.Invariant($"| {name} | {group.Count} | {group.Accuracy:P1} |{extra} {group.FormatErrorRate:P1} | {(group.StepValidity is { } v ? v.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "-")} | {group.MeanCompletionTokens:F0} |"));
        }

        return builder.ToString();
    }

    private static readonly JsonSerializerOptions ReportJson = JsonText.Indented;
    private static readonly JsonSerializerOptions SampleJson = new(JsonText.Compact) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the report to <paramref name="path"/> and the items to the matching .samples.jsonl, each atomically; returns the JSON.</summary>
    public string Save(string path)
    {
        var text = JsonSerializer.Serialize(this, ReportJson);
        AtomicFile.WriteAllText(path, text + "\n");
        AtomicFile.WriteAllText(SamplesPath(path), string.Concat(Items.Select(i => JsonSerializer.Serialize(i, SampleJson) + "\n")));
        return text;
    }

    /// <summary>eval.json → eval.samples.jsonl.</summary>
    public static string SamplesPath(string reportPath) => Path.ChangeExtension(reportPath, ".samples.jsonl");
}
