// What a model was trained on is followed through distill and rewrite outputs back to the problems' presets, so
// `eval` and `solve` warn about problems outside a student's training data as they do for compiler data.
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Training.Runs;

namespace Reasoner.Model.Tests;

public sealed class ModelLineageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-lineage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RunOn(string name, string data)
    {
        var run = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(run, RunFolder.CheckpointFolder));
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFile), new JsonObject { ["data"] = data }.ToJsonString());
        return Path.Combine(run, RunFolder.CheckpointFolder, "step-1");
    }

    private string TeacherOutput(string name, string command, JsonObject config)
    {
        var path = Path.Combine(_dir, name + ".jsonl");
        File.WriteAllText(path, string.Empty);
        File.WriteAllText(DatasetCard.PathFor(path), new JsonObject { ["format"] = $"reasoner-{command}/1", ["config"] = config }.ToJsonString());
        return path;
    }

    [Fact]
    public void A_student_of_distilled_or_rewritten_data_knows_the_presets_its_problems_came_from()
    {
        var problems = Path.Combine(_dir, "problems.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "mul-2x2", Count = 5, Seed = 1 }, problems);

        var distilled = TeacherOutput("distilled", "distill", new JsonObject { ["data"] = problems, ["preset"] = null });
        var coverage = ModelLineage.CoverageOf(RunOn("a", distilled));
        Assert.NotNull(coverage);
        Assert.Equal("mul-2x2", coverage.Presets);
        Assert.Contains("3-digit operand of '*'", coverage.Outside("123 * 45"), StringComparison.Ordinal);
        Assert.Null(coverage.Outside("12 * 45"));

        var rewritten = TeacherOutput("rewritten", "rewrite", new JsonObject { ["in"] = distilled });
        Assert.Equal("mul-2x2", ModelLineage.CoverageOf(RunOn("b", rewritten))?.Presets);

        var fromPreset = TeacherOutput("from-preset", "distill", new JsonObject { ["data"] = null, ["preset"] = "add-2d" });
        Assert.Equal("add-2d", ModelLineage.CoverageOf(RunOn("c", fromPreset))?.Presets);

        // A card of another kind, or one whose source is gone, claims nothing.
        var unknown = TeacherOutput("unknown", "something-else", new JsonObject { ["data"] = problems });
        Assert.Null(ModelLineage.CoverageOf(RunOn("d", unknown)));
        var orphan = TeacherOutput("orphan", "distill", new JsonObject { ["data"] = Path.Combine(_dir, "gone.jsonl") });
        Assert.Null(ModelLineage.CoverageOf(RunOn("e", orphan)));
    }

    [Fact]
    public void Replay_data_mixed_into_a_run_counts_as_training_data()
    {
        var main = Path.Combine(_dir, "main.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "mul-2x2", Count = 5, Seed = 1 }, main);
        var replay = Path.Combine(_dir, "replay.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "mul-3x3", Count = 5, Seed = 1 }, replay);
        var checkpoint = RunOn("mixed", main);
        var configPath = Path.Combine(_dir, "mixed", RunFolder.ConfigFile);
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        Assert.Equal("mul-2x2", ModelLineage.CoverageOf(checkpoint)?.Presets);
        Assert.NotNull(ModelLineage.CoverageOf(checkpoint)!.Outside("123 * 456"));

        config["mix"] = new JsonArray(replay + ":0.2");
        File.WriteAllText(configPath, config.ToJsonString());
        var coverage = ModelLineage.CoverageOf(checkpoint);
        Assert.NotNull(coverage);
        Assert.Equal("mul-2x2, mul-3x3", coverage.Presets);
        Assert.Null(coverage.Outside("123 * 456"));
        Assert.NotNull(coverage.Outside("1234 * 5678"));

        // Main data without a card: nothing is known of it, so the replay rows alone claim nothing either.
        var unknown = Path.Combine(_dir, "unknown.jsonl");
        File.Copy(main, unknown);
        config["data"] = unknown;
        File.WriteAllText(configPath, config.ToJsonString());
        Assert.Null(ModelLineage.CoverageOf(checkpoint));
    }
}
