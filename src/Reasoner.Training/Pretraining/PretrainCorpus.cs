// The base model's corpus: deliberately not the target task's chain of thought. It holds one-digit
// arithmetic facts, short worked examples in node and prose styles (level-1: one + or - of 1-2 digits),
// and general string tasks (copy, reverse, sort), all in the <think>/<answer> chat format so a base model
// knows the template R1-Zero prompts with. Every math row is built and verified by the math compiler.
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;

namespace Reasoner.Training.Pretraining;

public sealed record PretrainCorpusConfig
{
    [JsonPropertyName("count")]
    public int Count { get; init; } = 20_000;

    [JsonPropertyName("seed")]
    public long Seed { get; init; } = 1;

    /// <summary>Shares of the corpus: one-digit facts, worked examples, string tasks (they need not sum to 1).</summary>
    [JsonPropertyName("mix")]
    public IReadOnlyDictionary<string, double> Mix { get; init; } = new Dictionary<string, double> { ["facts"] = 0.3, ["worked"] = 0.3, ["strings"] = 0.4 };

    [JsonPropertyName("worked_preset")]
    public string WorkedPreset { get; init; } = "level-1";

    public PretrainCorpusConfig Validate()
    {
        if (Count < 1)
        {
            throw new ArgumentException($"corpus count must be positive, got {Count}");
        }

        var unknown = Mix.Keys.Except(["facts", "worked", "strings"]).ToList();
        if (unknown.Count > 0 || Mix.Values.Any(v => v < 0 || !double.IsFinite(v)) || Mix.Values.Sum() <= 0)
        {
            throw new ArgumentException($"corpus mix takes non-negative shares of facts, worked and strings (got {string.Join(", ", Mix.Select(m => $"{m.Key}:{m.Value}"))})");
        }

        _ = PresetCatalog.Resolve(WorkedPreset);
        return this;
    }
}

public static class PretrainCorpus
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>Writes the corpus as messages JSONL (atomically) and its recipe beside it as NAME.card.json.</summary>
    public static void Write(PretrainCorpusConfig config, string path)
    {
        config.Validate();
        var random = Seeds.Random(Seeds.Mix(config.Seed, 0xBA5E));
        double total = config.Mix.Values.Sum();
        int Share(string kind) => (int)System.Math.Round(config.Count * config.Mix.GetValueOrDefault(kind) / total);
        var rows = new List<DatasetRecord>();
        rows.AddRange(Facts(Share("facts"), random));
        rows.AddRange(Worked(Share("worked"), config));
        rows.AddRange(Strings(Share("strings"), random));
        var shuffled = rows.OrderBy(_ => random.Next()).ToList();
        using (var writer = new DatasetWriter(path, DatasetShape.Messages))
        {
            foreach (var row in shuffled)
            {
                writer.Write(row);
            }

            writer.Commit();
        }

        var card = new { format = "reasoner-pretrain-corpus/1", config, rows = shuffled.Count, by_task = shuffled.GroupBy(r => r.Difficulty).ToDictionary(g => g.Key, g => g.Count()), sha256 = DatasetCard.Sha256Of(path) };
        AtomicFile.WriteAllText(Path.ChangeExtension(path, null) + ".card.json", JsonSerializer.Serialize(card, Reasoner.Math.Data.JsonText.Indented) + "\n");
    }

    private static string Answer(string answer) => $"<think>\n</think>\n<answer>{answer}</answer>";

    /// <summary>Addition, subtraction and multiplication tables of one-digit numbers.</summary>
    private static IEnumerable<DatasetRecord> Facts(int count, Random random)
    {
        for (int i = 0; i < count; i++)
        {
            int a = random.Next(10), b = random.Next(10);
            var (op, value) = random.Next(3) switch { 0 => ("+", a + b), 1 => ("-", a - b), _ => ("*", a * b) };
            var question = $"{a} {op} {b}";
            yield return new DatasetRecord($"fact-{i}", null, question, Answer(value.ToString(System.Globalization.CultureInfo.InvariantCulture)), question, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "facts", i);
        }
    }

    /// <summary>Small problems with node- or prose-style thinking, alternating.</summary>
    private static IEnumerable<DatasetRecord> Worked(int count, PretrainCorpusConfig config)
    {
        var node = new ExampleBuilder(new GenerateConfig { Preset = config.WorkedPreset, Style = TraceStyle.Node });
        var prose = new ExampleBuilder(new GenerateConfig { Preset = config.WorkedPreset, Style = TraceStyle.Prose, Questions = QuestionStyle.Mixed });
        int index = 0;
        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve(config.WorkedPreset), count, Seeds.Mix(config.Seed, 0x3014), Split.Train, new SplitAssigner()))
        {
            yield return (index++ % 2 == 0 ? node : prose).Build(problem) with { Difficulty = "worked" };
        }
    }

    /// <summary>copy / reverse / sort of random lowercase strings, 3-8 letters.</summary>
    private static IEnumerable<DatasetRecord> Strings(int count, Random random)
    {
        for (int i = 0; i < count; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(3, 9)).Select(_ => Letters[random.Next(Letters.Length)]).ToArray());
            var (task, answer) = random.Next(3) switch
            {
                0 => ("copy", text),
                1 => ("reverse", new string(text.Reverse().ToArray())),
                _ => ("sort", new string(text.Order().ToArray())),
            };
            yield return new DatasetRecord($"{task}-{i}", null, $"{task} {text}", Answer(answer), string.Empty, answer, task, i);
        }
    }
}
