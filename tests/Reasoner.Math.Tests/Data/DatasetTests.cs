using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Tracing;

namespace Reasoner.Math.Tests.Data;

public sealed class DatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Generated_rows_have_the_TRL_messages_shape_and_our_fields()
    {
        var path = Path.Combine(_dir, "train.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-3", Count = 50, Seed = 5, Style = TraceStyle.Digit, SystemPrompt = "r1" }, path);
        var first = JsonDocument.Parse(File.ReadLines(path).First()).RootElement;
        var messages = first.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal("assistant", messages[2].GetProperty("role").GetString());
        Assert.StartsWith("<think>", messages[2].GetProperty("content").GetString());
        foreach (var field in new[] { "id", "expression", "answer", "difficulty", "seed" })
        {
            Assert.True(first.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Prompt_completion_shape_round_trips_through_the_reader()
    {
        var path = Path.Combine(_dir, "pc.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-2", Count = 20, Shape = DatasetShape.PromptCompletion }, path);
        var first = JsonDocument.Parse(File.ReadLines(path).First()).RootElement;
        Assert.Equal("user", first.GetProperty("prompt")[0].GetProperty("role").GetString());
        Assert.Equal("assistant", first.GetProperty("completion")[0].GetProperty("role").GetString());
        var records = DatasetReader.Read(path).ToList();
        Assert.Equal(20, records.Count);
        Assert.All(records, r => Assert.Contains("<answer>", r.Completion));
    }

    [Fact]
    public void The_card_records_config_seed_counts_and_checksum_and_regenerates_the_same_file()
    {
        var path = Path.Combine(_dir, "a.jsonl");
        var config = new GenerateConfig { Preset = "level-4,mul-2x2", Count = 100, Seed = 9, Style = TraceStyle.Prose, ReflectionRate = 0.1 };
        var card = DatasetGenerator.Run(config, path);
        var saved = JsonDocument.Parse(File.ReadAllText(DatasetCard.PathFor(path))).RootElement;
        Assert.Equal(9, saved.GetProperty("config").GetProperty("seed").GetInt64());
        Assert.Equal("Prose", saved.GetProperty("config").GetProperty("style").GetString());
        Assert.Equal(100, saved.GetProperty("count").GetInt64());
        Assert.Equal(50, saved.GetProperty("by_difficulty").GetProperty("mul-2x2").GetInt64());
        Assert.Equal(DatasetCard.Sha256Of(path), saved.GetProperty("sha256").GetString());

        var savedConfig = saved.GetProperty("config").Deserialize<GenerateConfig>()!;
        var again = Path.Combine(_dir, "b.jsonl");
        DatasetGenerator.Run(savedConfig, again);
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(again));
        Assert.Equal(card.Sha256, DatasetCard.Sha256Of(again));
    }

    [Fact]
    public void A_failed_generation_leaves_no_partial_file()
    {
        var path = Path.Combine(_dir, "fail.jsonl");
        Assert.Throws<InvalidOperationException>(() => DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 1_000 }, path));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("{\"id\": 1,", 2, "not valid JSON")]
    [InlineData("[1, 2]", 2, "expected a JSON object")]
    [InlineData("{\"messages\": \"hi\"}", 2, "'messages' must be a list")]
    [InlineData("{\"messages\": [{\"role\": \"user\"}]}", 2, "needs string 'role' and 'content'")]
    [InlineData("{\"answer\": \"5\"}", 2, "no user prompt")]
    public void A_malformed_line_fails_with_the_file_and_line_number(string badLine, int line, string reason)
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(path, ["{\"prompt\": \"1+1\", \"completion\": \"<think></think><answer>2</answer>\", \"answer\": \"2\"}", badLine]);
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path).ToList());
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{path}:{line}: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Config_validation_says_what_to_change()
    {
        Assert.Contains("count must be positive", Assert.Throws<ArgumentException>(() => new GenerateConfig { Count = 0 }.Validate()).Message);
        Assert.Contains("test fraction", Assert.Throws<ArgumentException>(() => new GenerateConfig { TestFraction = 1.5 }.Validate()).Message);
        Assert.Contains("ReflectionRate", Assert.Throws<ArgumentException>(() => new GenerateConfig { ReflectionRate = -1 }.Validate()).Message);
    }
}
