using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;
using Reasoner.Model.Network;

namespace Reasoner.Model.Tests;

/// <summary>
/// A run that fails before it has done anything leaves nothing behind, so the corrected command simply runs: train,
/// grpo and pretrain (one run skeleton), demo, and distill and rewrite (one teacher pass). A folder that holds no
/// metrics rows and no checkpoint is accepted as --out.
/// </summary>
public sealed class RunFolderCleanupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-cleanup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TinyModel()
    {
        var path = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }));
        return path;
    }

    private string Data()
    {
        var path = Path.Combine(_dir, "train.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 50, Seed = 4 }, path);
        return path;
    }

    [Fact]
    public void Train_that_fails_before_its_first_step_leaves_no_folder_and_the_corrected_command_runs()
    {
        var run = Path.Combine(_dir, "t3");
        var (code, _, error) = ReasonerProcess.Run(["train", "--data", Path.Combine(_dir, "nope.jsonl"), "--max-steps", "5", "--out", run]);
        Assert.Equal(2, code);
        Assert.Contains("nope.jsonl", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run), "a failed run left its folder");

        (code, _, error) = ReasonerProcess.Run(["train", "--data", Data(), "--model", TinyModel(), "--max-steps", "2", "--out", run]);
        Assert.True(code == 0, error);

        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        (code, _, error) = ReasonerProcess.Run(["train", "--data", Path.Combine(_dir, "nope.jsonl"), "--max-steps", "2", "--out", empty]);
        Assert.Equal(2, code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty)); // the user's own folder stays, emptied of what the run made
        (code, _, error) = ReasonerProcess.Run(["train", "--data", Data(), "--model", TinyModel(), "--max-steps", "2", "--out", empty]);
        Assert.True(code == 0, error);
    }

    [Fact]
    public void Grpo_that_fails_before_its_first_step_leaves_no_folder()
    {
        var sft = Path.Combine(_dir, "sft");
        Assert.Equal(0, ReasonerProcess.Run(["train", "--data", Data(), "--model", TinyModel(), "--max-steps", "1", "--out", sft]).Code);
        var run = Path.Combine(_dir, "rl");
        var (code, _, error) = ReasonerProcess.Run(["grpo", "--init-from", sft, "--data", Path.Combine(_dir, "nope.jsonl"), "--out", run]);
        Assert.Equal(2, code);
        Assert.Contains("nope.jsonl", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void Demo_that_fails_before_training_leaves_no_folder()
    {
        var run = Path.Combine(_dir, "demo");
        var (code, _, error) = ReasonerProcess.Run(["demo", "--presets", "add-1d", "--out", run]);
        Assert.Equal(2, code);
        Assert.Contains("ran out of distinct", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void Distill_whose_teacher_fails_every_request_leaves_no_files()
    {
        var output = Path.Combine(_dir, "d.jsonl");
        var (code, _, error) = ReasonerProcess.Run(["distill", "--teacher", "http://127.0.0.1:9", "--teacher-model", "m", "--retries", "0", "--preset", "add-2d", "--count", "5", "--out", output]);
        Assert.Equal(2, code);
        Assert.Contains("the teacher failed all of the first", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_dir, "d.*"));
    }
}
