using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;
using Reasoner.Model.Network;

namespace Reasoner.Model.Tests;

/// <summary>`reasoner distill --teacher RUN_FOLDER` (a checkpoint teacher in this process, as the length recipe uses it) and the --threads flags of distill and eval.</summary>
public sealed class CheckpointTeacherCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-cli-teacher-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_checkpoint_teacher_samples_on_the_threads_asked_for_and_a_thread_count_below_one_is_refused()
    {
        // Given a tiny trained run and five held-out problems
        var data = Path.Combine(_dir, "train.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 40, Seed = 4 }, data);
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }));
        var run = Path.Combine(_dir, "run");
        var (code, _, error) = ReasonerProcess.Run(["train", "--data", data, "--model", model, "--max-steps", "2", "--out", run]);
        Assert.True(code == 0, error);
        var problems = Path.Combine(_dir, "problems.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 5, Seed = 9, Split = Reasoner.Math.Problems.Split.Test }, problems);

        // When the run is the teacher, on one thread
        var output = Path.Combine(_dir, "kept.jsonl");
        (code, var stdout, error) = ReasonerProcess.Run(["distill", "--teacher", run, "--data", problems, "-k", "1", "--temperature", "0", "--max-tokens", "16", "--threads", "1", "--out", output]);

        // Then every problem was sampled and judged, and the card says so
        Assert.True(code == 0, error);
        Assert.Contains("of 5 problems accepted", stdout, StringComparison.Ordinal);
        var card = JsonDocument.Parse(File.ReadAllText(DatasetCard.PathFor(output))).RootElement;
        Assert.Equal(5, card.GetProperty("problems").GetInt32());

        // And zero threads is refused by name, before anything is written, by distill and by eval
        var refused = Path.Combine(_dir, "refused.jsonl");
        (code, _, error) = ReasonerProcess.Run(["distill", "--teacher", run, "--data", problems, "--threads", "0", "--out", refused]);
        Assert.Equal(2, code);
        Assert.Contains("--threads: 0 is not a thread count", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_dir, "refused.*"));
        (code, _, error) = ReasonerProcess.Run(["eval", "--model", run, "--data", problems, "--threads", "0", "--out", Path.Combine(_dir, "eval.json")]);
        Assert.Equal(2, code);
        Assert.Contains("--threads: 0 is not a thread count", error, StringComparison.Ordinal);
    }
}
