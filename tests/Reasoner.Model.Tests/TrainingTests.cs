using System.Text.Json;
using Reasoner.Training.Optimization;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Model.Tests;

[Collection(nameof(ProcessWideTorchState))]
public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TrainConfig TinyRun(int steps, string name = "data")
    {
        var data = Path.Combine(_dir, $"{name}.jsonl");
        if (!File.Exists(data))
        {
            DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 400, Seed = 3 }, data);
        }

        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }));
        return new TrainConfig { Data = data, Model = model, MaxSteps = steps, BatchTokens = 1_024, WarmupSteps = 5, CheckpointEvery = 10, EvalEvery = 1_000, LogEvery = 5, Seed = 7 };
    }

    [Fact]
    public void A_tiny_sft_run_lowers_the_loss_and_changes_every_parameter_and_writes_its_run_folder()
    {
        var config = TinyRun(60);
        var runDir = Path.Combine(_dir, "run");
        var result = SftTrainer.Run(config, runDir);
        var metrics = RunFolder.ReadMetrics(runDir).Where(r => r.Kind == "train").ToList();
        Assert.True(metrics[^1].Values["loss"] < metrics[0].Values["loss"] * 0.6, $"loss {metrics[0].Values["loss"]} -> {metrics[^1].Values["loss"]}");

        var (initial, _) = SftTrainer.InitialModel(config); // exactly how the trainer built the run's starting model
        var (trained, _) = Checkpoint.Load(result.FinalCheckpoint);
        var before = initial.state_dict();
        foreach (var (name, tensor) in trained.state_dict())
        {
            Assert.False(tensor.equal(before[name]).all().item<bool>(), $"{name} did not change");
        }

        foreach (var file in new[] { "config.json", "metrics.jsonl", "loss.png", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(runDir, file)), file);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(runDir, "tb")));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(runDir, "checkpoints")).Length); // keep_checkpoints
    }

    [Fact]
    public void A_new_run_in_a_folder_that_holds_a_run_is_refused_and_the_folder_is_left_as_it_was()
    {
        var runDir = Path.Combine(_dir, "used");
        SftTrainer.Run(TinyRun(20), runDir);
        var before = Directory.GetFileSystemEntries(runDir, "*", SearchOption.AllDirectories).Order().ToList();
        var metrics = File.ReadAllText(Path.Combine(runDir, RunFolder.MetricsFile));

        var error = Assert.Throws<ArgumentException>(() => SftTrainer.Run(TinyRun(20), runDir));
        Assert.Contains("already holds a run", error.Message);
        Assert.Contains("--resume", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(runDir, "*", SearchOption.AllDirectories).Order().ToList());
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(runDir, RunFolder.MetricsFile)));

        // Pretraining refuses it before writing its corpus over the one that run trained on.
        var corpus = Path.Combine(runDir, "data", Reasoner.Training.Pretraining.Pretrainer.CorpusFile);
        Directory.CreateDirectory(Path.GetDirectoryName(corpus)!);
        File.WriteAllText(corpus, "the old run's corpus\n");
        var recipe = Reasoner.Training.Pretraining.Pretrainer.Config(runDir, new Reasoner.Training.Pretraining.PretrainOptions { Count = 50, MaxSteps = 5, TimeBudgetSeconds = 0 });
        Assert.Throws<ArgumentException>(() => Reasoner.Training.Pretraining.Pretrainer.Run(recipe, runDir));
        Assert.Equal("the old run's corpus\n", File.ReadAllText(corpus));

        // A folder with other files but no run (pretrain writes its corpus to RUN/data first) is fine.
        var fresh = Path.Combine(_dir, "fresh");
        Directory.CreateDirectory(Path.Combine(fresh, "data"));
        Assert.Equal(20, SftTrainer.Run(TinyRun(20), fresh).Steps);
    }

    [Fact]
    public void Bf16_compute_with_fp32_master_weights_trains_like_fp32()
    {
        var fp32 = SftTrainer.Run(TinyRun(60), Path.Combine(_dir, "fp32"));
        var bf16 = SftTrainer.Run(TinyRun(60) with { Precision = Precision.Bf16 }, Path.Combine(_dir, "bf16"));
        var first = RunFolder.ReadMetrics(Path.Combine(_dir, "bf16")).First(r => r.Kind == "train").Values["loss"];
        Assert.True(bf16.FinalLoss < first * 0.6, $"bf16 loss {first} -> {bf16.FinalLoss}");
        Assert.InRange(bf16.FinalLoss, fp32.FinalLoss * 0.8, fp32.FinalLoss * 1.25);

        // Master weights and optimizer state stay fp32 in the checkpoint.
        var (model, _) = Checkpoint.Load(bf16.FinalCheckpoint);
        Assert.All(model.parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void A_resumed_run_reaches_exactly_the_same_weights_as_an_uninterrupted_one()
    {
        var config = TinyRun(30);
        var straight = SftTrainer.Run(config, Path.Combine(_dir, "straight"));

        var interrupted = Path.Combine(_dir, "interrupted");
        SftTrainer.Run(config, interrupted, stopAfterStep: 25); // "killed" after step 25: last checkpoint is step 20
        var resumed = SftTrainer.Run(config, interrupted, resume: true);

        Assert.Equal(straight.Steps, resumed.Steps);
        SameWeights.InCheckpoints(straight.FinalCheckpoint, resumed.FinalCheckpoint);
    }

    [Fact]
    public void A_diverging_run_stops_with_a_clear_message_and_keeps_the_last_good_checkpoint()
    {
        var config = TinyRun(200) with { LearningRate = 1e9, WarmupSteps = 0, ClipGradNorm = 0, CheckpointEvery = 1 };
        var runDir = Path.Combine(_dir, "diverge");
        var error = Assert.Throws<TrainingDivergedException>(() => SftTrainer.Run(config, runDir));
        Assert.Contains("the last good checkpoint is", error.Message);
        Assert.Contains("Lower learning_rate", error.Message);

        // The checkpoint the message names is on disk, complete, the newest one, and holds finite weights.
        var named = System.Text.RegularExpressions.Regex.Match(error.Message, @"the last good checkpoint is (\S+)\. ").Groups[1].Value;
        Assert.True(Directory.Exists(named), $"'{named}' is not on disk");
        Assert.Equal(named, RunFolder.LatestCheckpointIn(runDir));
        var (model, _) = Checkpoint.Load(named);
        Assert.All(model.parameters(), p => Assert.True(TorchSharp.torch.isfinite(p).all().item<bool>(), "a saved weight is not finite"));
        Assert.True(Checkpoint.LoadOptimizer(named) is not null, "the checkpoint cannot be resumed: no optimizer state");
    }

    [Fact]
    public void An_empty_dataset_is_named_as_empty_not_as_too_long()
    {
        var config = TinyRun(5);
        var empty = Path.Combine(_dir, "empty.jsonl");
        File.WriteAllText(empty, string.Empty); // what distill writes when the verifier accepted nothing
        var error = Assert.Throws<ArgumentException>(() => SftTrainer.Run(config with { Data = empty }, Path.Combine(_dir, "empty-run")));
        Assert.Contains("empty.jsonl: the file holds no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_training_config_fails_at_start_with_what_to_change()
    {
        Assert.Contains("data is required", Assert.Throws<ArgumentException>(() => new TrainConfig().Validate()).Message);
        Assert.Contains("max_steps > 0 or time_budget_seconds > 0", Assert.Throws<ArgumentException>(() => new TrainConfig { Data = "x", MaxSteps = 0 }.Validate()).Message);
    }
}
