using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Training.Grpo;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Model.Tests;

[Collection(nameof(ProcessWideTorchState))]
public sealed class GrpoTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-grpo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static GrpoConfig Valid => new() { InitFrom = "base", Data = "prompts.jsonl" };

    [Theory]
    [InlineData("g1", "num_generations must be at least 2")]
    [InlineData("indivisible", "micro_batch_rows (5) must divide the rollout batch, prompts_per_step x num_generations = 8; try 4")]
    [InlineData("beta", "beta must be >= 0")]
    [InlineData("reward", "unknown reward 'cookie'; known rewards: accuracy, format, steps, length")]
    [InlineData("nosource", "set exactly one prompt source")]
    [InlineData("both", "set exactly one prompt source")]
    [InlineData("noinit", "init_from is required")]
    [InlineData("greedy", "temperature > 0")]
    [InlineData("curriculum", "curriculum needs 0 <= down_threshold < up_threshold <= 1")]
    [InlineData("level", "unknown preset 'level-99'")]
    public void Bad_configuration_fails_at_start_and_says_what_to_change(string kind, string message)
    {
        var config = kind switch
        {
            "g1" => Valid with { NumGenerations = 1 },
            "indivisible" => Valid with { PromptsPerStep = 2, NumGenerations = 4, MicroBatchRows = 5 },
            "beta" => Valid with { Beta = -0.1 },
            "reward" => Valid with { Rewards = "accuracy:1,cookie:0.5" },
            "nosource" => Valid with { Data = null },
            "both" => Valid with { Curriculum = new CurriculumConfig() },
            "noinit" => Valid with { InitFrom = "" },
            "greedy" => Valid with { Temperature = 0 },
            "curriculum" => Valid with { Data = null, Curriculum = new CurriculumConfig { UpThreshold = 0.1, DownThreshold = 0.5 } },
            "level" => Valid with { Data = null, Curriculum = new CurriculumConfig { Levels = ["level-1", "level-99"] } },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var error = Assert.ThrowsAny<ArgumentException>(() => config.Validate());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_curriculum_moves_up_when_success_is_high_and_down_when_it_is_low()
    {
        var config = new CurriculumConfig { Levels = ["level-1", "level-2", "level-3"], Window = 4, UpThreshold = 0.75, DownThreshold = 0.25 };
        var curriculum = new Curriculum(config);
        Assert.Equal(0, curriculum.Record([1, 1, 1])); // window not full yet
        Assert.Equal(1, curriculum.Record([1]));
        Assert.Equal("level-2", curriculum.Preset);
        Assert.Equal(0, curriculum.Record([1, 0, 1, 0])); // 0.5: stay
        Assert.Equal(-1, curriculum.Record([0, 0, 0, 0])); // the window slides: 0, 0, 0, 0
        Assert.Equal(0, curriculum.Level);
        Assert.Equal(0, curriculum.Record([0, 0, 0, 0])); // already at the bottom

        var resumed = new Curriculum(config, new CurriculumState { Level = 1, Recent = [1, 1, 1] });
        Assert.Equal(1, resumed.Record([1]));
        Assert.Equal(2, resumed.Level);
    }

    /// <summary>A tiny model that answers one-digit sums right some of the time: answer-only SFT, briefly.</summary>
    private string BaseCheckpoint(out string prompts)
    {
        var data = Path.Combine(_dir, "sft.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 80, Seed = 3, AnswerOnly = true }, data);
        prompts = data; // RL on the same one-digit sums: the point is that the reward rises
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 64 }));
        var sft = new TrainConfig { Data = data, Model = model, MaxSteps = 300, BatchTokens = 512, LearningRate = 3e-3, WarmupSteps = 10, CheckpointEvery = 1_000, EvalEvery = 1_000, Seed = 11 };
        return SftTrainer.Run(sft, Path.Combine(_dir, "sft")).FinalCheckpoint;
    }

    private static GrpoConfig Tiny(string init, string prompts, int steps) => new()
    {
        InitFrom = init, Data = prompts, MaxSteps = steps, PromptsPerStep = 16, NumGenerations = 8, MicroBatchRows = 64, MaxNewTokens = 12,
        LearningRate = 1e-3, Rewards = "accuracy:1,format:0.1", CheckpointEvery = 5, LogCompletionsEvery = 5, Seed = 5,
    };

    [Fact]
    public void Dynamic_sampling_trains_only_on_groups_whose_rewards_differ_and_draws_more_prompts_for_them()
    {
        var init = BaseCheckpoint(out var prompts);
        var plain = Path.Combine(_dir, "plain");
        GrpoTrainer.Run(Tiny(init, prompts, 3) with { PromptsPerStep = 4, MicroBatchRows = 32, Rewards = "accuracy:1" }, plain); // binary reward: a group is flat when every completion fails or every one succeeds
        var filtered = Path.Combine(_dir, "filtered");
        GrpoTrainer.Run(Tiny(init, prompts, 3) with { PromptsPerStep = 4, MicroBatchRows = 32, Rewards = "accuracy:1", FilterGroups = true, MaxNumGenBatches = 6 }, filtered);

        var before = RunFolder.ReadMetrics(plain).Where(r => r.Kind == "train").ToList();
        var after = RunFolder.ReadMetrics(filtered).Where(r => r.Kind == "train").ToList();
        Assert.All(before, r => Assert.Equal(1, r.Values["gen_batches"])); // off: one batch, every group trained, flat ones too
        Assert.Contains(before, r => r.Values["zero_std_fraction_trained"] > 0);
        Assert.All(after, r =>
        {
            Assert.Equal(0, r.Values["zero_std_fraction_trained"]); // on: no flat group reaches the loss
            Assert.True(r.Values["groups_trained"] == 4 || r.Values["gen_batches"] == 6, "short of groups before max_num_gen_batches");
        });
        Assert.Contains(after, r => r.Values["gen_batches"] > 1); // this task's groups are often flat: more prompts were drawn
    }

    [Theory]
    [InlineData(LossAggregation.Dapo)]
    [InlineData(LossAggregation.Grpo)]
    [InlineData(LossAggregation.Cispo)]
    public void Skipping_the_rows_with_advantage_zero_gives_the_same_update(LossAggregation loss)
    {
        // Given a batch in which some groups are flat (every completion right, or every one wrong), in micro-batches
        // smaller than the batch so the skipped rows change which rows share a pass
        var init = BaseCheckpoint(out var prompts);
        var config = Tiny(init, prompts, 3) with { PromptsPerStep = 4, MicroBatchRows = 8, Rewards = "accuracy:1", LossType = loss, EpsilonHigh = loss == LossAggregation.Cispo ? 5.0 : null, NumIterations = 2 };

        // When the same steps run with the skip on (the default) and off
        var skipped = GrpoTrainer.Run(config, Path.Combine(_dir, "skipped"));
        var full = GrpoTrainer.Run(config with { SkipZeroAdvantageRows = false }, Path.Combine(_dir, "full"));

        // Then some rows were skipped, the logged loss and clip fractions are the same, and so are the weights (up
        // to the order in which float gradients were summed)
        var on = RunFolder.ReadMetrics(Path.Combine(_dir, "skipped")).Where(r => r.Kind == "train").ToList();
        var off = RunFolder.ReadMetrics(Path.Combine(_dir, "full")).Where(r => r.Kind == "train").ToList();
        Assert.Contains(on, r => r.Values["skipped_row_fraction"] > 0);
        Assert.All(off, r => Assert.Equal(0.0, r.Values["skipped_row_fraction"]));
        for (int i = 0; i < on.Count; i++)
        {
            Assert.Equal(off[i].Values["loss"], on[i].Values["loss"], 6);
            Assert.Equal(off[i].Values["grad_norm"], on[i].Values["grad_norm"], 5);
            Assert.Equal(off[i].Values["clip_fraction"], on[i].Values["clip_fraction"], 9);
            Assert.Equal(1.0, on[i].Values["trained_token_fraction"]);
        }

        var a = Checkpoint.Load(skipped.FinalCheckpoint).Model.state_dict();
        var b = Checkpoint.Load(full.FinalCheckpoint).Model.state_dict();
        var start = Checkpoint.Load(init).Model.state_dict();
        Assert.All(a, kv => Assert.True(kv.Value.allclose(b[kv.Key], rtol: 1e-4, atol: 1e-6), $"{kv.Key} differs"));
        Assert.Contains(a, kv => !kv.Value.allclose(start[kv.Key])); // the steps moved the weights

        // And with a KL term the rows are trained (their KL gradient is not zero)
        var kl = Path.Combine(_dir, "kl");
        GrpoTrainer.Run(config with { Beta = 0.04, MaxSteps = 1 }, kl);
        Assert.All(RunFolder.ReadMetrics(kl).Where(r => r.Kind == "train"), r => Assert.Equal(0.0, r.Values["skipped_row_fraction"]));
    }

    [Theory]
    [InlineData("cispo")]
    [InlineData("sapo")]
    [InlineData("delta")]
    [InlineData("top-entropy")]
    [InlineData("entropy-bonus")]
    [InlineData("normalize-then-sum")]
    public void Every_loss_option_trains_off_policy_passes_with_finite_losses(string option)
    {
        var init = BaseCheckpoint(out var prompts);
        var config = Tiny(init, prompts, 2) with { NumIterations = 2, MicroBatchRows = 32 };
        config = option switch
        {
            "cispo" => config with { LossType = LossAggregation.Cispo, EpsilonHigh = 5.0 },
            "sapo" => config with { LossType = LossAggregation.Sapo },
            "delta" => config with { LossType = LossAggregation.Grpo, Delta = 1.5 },
            "top-entropy" => config with { TopEntropyQuantile = 0.2 },
            "normalize-then-sum" => config with { MultiObjectiveAggregation = MultiObjectiveAggregation.NormalizeThenSum },
            _ => config with { EntropyCoef = 0.01 },
        };
        var runDir = Path.Combine(_dir, option);
        GrpoTrainer.Run(config, runDir);
        var train = RunFolder.ReadMetrics(runDir).Where(r => r.Kind == "train").ToList();
        Assert.Equal(2, train.Count);
        Assert.All(train, r => Assert.True(double.IsFinite(r.Values["loss"]) && r.Values["grad_norm"] > 0, $"{option}: loss {r.Values["loss"]}, grad {r.Values["grad_norm"]}"));
        Assert.All(train, r => Assert.InRange(r.Values["trained_token_fraction"], option == "top-entropy" ? 0.15 : 1.0, option == "top-entropy" ? 0.45 : 1.0));
    }

    [Fact]
    public void Steps_per_generation_trains_later_slices_off_policy_against_the_log_probs_they_were_sampled_with()
    {
        var init = BaseCheckpoint(out var prompts);
        var config = Tiny(init, prompts, 4) with { PromptsPerStep = 4, MicroBatchRows = 32, StepsPerGeneration = 2, Epsilon = 0.001, LearningRate = 3e-3 };
        var runDir = Path.Combine(_dir, "spg");
        GrpoTrainer.Run(config, runDir);
        var train = RunFolder.ReadMetrics(runDir).Where(r => r.Kind == "train").ToList();
        Assert.Equal([1.0, 0.0, 1.0, 0.0], train.Select(r => r.Values["generated_this_step"]));
        Assert.All(train, r => Assert.Equal(4.0, r.Values["groups_trained"])); // each slice: half of 2 x 4 prompts x 8 completions
        // A first slice is trained by the policy that sampled it: every ratio is 1, nothing is clipped. A second slice
        // was sampled before the first slice's update, and its recorded log-probabilities now differ from the policy's.
        Assert.Equal(0.0, train[0].Values["clip_fraction"]);
        Assert.Equal(0.0, train[2].Values["clip_fraction"]);
        Assert.True(train[1].Values["clip_fraction"] > 0, $"clip fraction of an off-policy slice: {train[1].Values["clip_fraction"]}");
        Assert.True(train[3].Values["clip_fraction"] > 0, $"clip fraction of an off-policy slice: {train[3].Values["clip_fraction"]}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_seeded_tiny_grpo_run_on_an_easy_task_raises_the_mean_reward_and_writes_its_run_folder()
    {
        var init = BaseCheckpoint(out var prompts);
        var runDir = Path.Combine(_dir, "grpo");
        var result = GrpoTrainer.Run(Tiny(init, prompts, 100), runDir);
        var train = RunFolder.ReadMetrics(runDir).Where(r => r.Kind == "train").ToList();
        Assert.Equal(100, train.Count);
        double first = train.Take(10).Average(r => r.Values["reward_mean"]), last = train.TakeLast(10).Average(r => r.Values["reward_mean"]);
        Assert.True(last > first + 0.1, $"mean reward {first:F3} -> {last:F3}"); // measured: 0.278 -> 0.446
        Assert.True(train.TakeLast(10).Average(r => r.Values["accuracy"]) > train.Take(10).Average(r => r.Values["accuracy"]) + 0.05, "accuracy did not rise with the reward");

        var row = RunFolder.ReadMetrics(runDir).First(r => r.Kind == "train").Values;
        foreach (var name in new[] { "reward_std", "reward/accuracy", "reward/format", "zero_std_fraction", "accuracy", "completion_length_mean", "completion_length_max", "truncation_rate", "entropy", "clip_fraction", "tokens_per_second", "seconds_generation", "seconds_training" })
        {
            Assert.True(row.ContainsKey(name), name);
        }

        foreach (var file in new[] { "config.json", "metrics.jsonl", GrpoTrainer.CompletionsFile, "reward.png", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(runDir, file)), file);
        }

        Assert.Contains("\"completion\"", File.ReadLines(Path.Combine(runDir, GrpoTrainer.CompletionsFile)).First(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(result.FinalCheckpoint, "model.safetensors")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_resumed_grpo_run_reaches_exactly_the_same_weights_with_kl_and_several_passes()
    {
        var init = BaseCheckpoint(out var prompts);
        var config = Tiny(init, prompts, 10) with { Beta = 0.04, NumIterations = 2, EpsilonHigh = 0.28, LossType = LossAggregation.Grpo, ScaleRewards = RewardScaling.None };
        var straight = GrpoTrainer.Run(config, Path.Combine(_dir, "straight"));
        var killedDir = Path.Combine(_dir, "killed");
        GrpoTrainer.Run(config, killedDir, stopAfterStep: 7); // last checkpoint at step 5
        var resumed = GrpoTrainer.Run(config, killedDir, resume: true);
        Assert.Equal(10, resumed.Steps);
        SameWeights.InCheckpoints(straight.FinalCheckpoint, resumed.FinalCheckpoint);

        var kl = RunFolder.ReadMetrics(Path.Combine(_dir, "straight")).Where(r => r.Kind == "train").Select(r => r.Values.GetValueOrDefault("kl", double.NaN)).ToList();
        Assert.Equal(0.0, kl[0], 6); // the policy starts as the reference
        Assert.True(kl[^1] > 0, "KL to the reference grows once the policy moves");
    }
}
