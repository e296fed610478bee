// The base-model recipe: write the pretraining corpus into RUN/data/, then train a fresh model on every token
// (TrainMode.Pretrain). The run folder's config.json is an ordinary train config, so `reasoner train --resume RUN`
// continues a killed pretraining run.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Training.Pretraining;

/// <summary>What `reasoner pretrain` asks for; the rest of the recipe is fixed in <see cref="Pretrainer.Config"/>.</summary>
public sealed record PretrainOptions
{
    [JsonPropertyName("model")]
    [Description("Size preset (nano, micro, mini) or a config.json.")]
    public string Model { get; init; } = "nano";

    [JsonPropertyName("count")]
    [Description("Corpus rows: one-digit facts, small worked examples, copy/reverse/sort strings.")]
    public int Count { get; init; } = 20_000;

    [JsonPropertyName("max_steps")]
    [Description("Optimizer steps; 0 means until the time budget.")]
    public int MaxSteps { get; init; }

    [JsonPropertyName("time_budget_seconds")]
    [Description("Wall-clock seconds; 0 means none.")]
    public double TimeBudgetSeconds { get; init; } = 300;

    [JsonPropertyName("seed")]
    [Description("Seed for the corpus, initialisation and data order.")]
    public long Seed { get; init; } = 1;
}

public sealed record PretrainRecipe(PretrainCorpusConfig Corpus, TrainConfig Train);

public static class Pretrainer
{
    public const string CorpusFile = "pretrain.jsonl";

    public static PretrainRecipe Config(string runDirectory, PretrainOptions options) => new(
        new PretrainCorpusConfig { Count = options.Count, Seed = options.Seed }.Validate(),
        new TrainConfig
        {
            Data = Path.Combine(Path.GetFullPath(runDirectory), "data", CorpusFile), Model = options.Model, Mode = TrainMode.Pretrain, Seed = options.Seed,
            MaxSteps = options.MaxSteps, TimeBudgetSeconds = options.TimeBudgetSeconds, BatchTokens = 1_024, LearningRate = 1e-3, MinLrRatio = 0.1, WarmupSteps = 50,
            CheckpointEvery = 500, EvalEvery = 1_000_000, LogEvery = 10,
        }.Validate());

    public static TrainResult Run(PretrainRecipe recipe, string runDirectory, Action<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        RunFolder.RefuseIfUsed(runDirectory); // before the corpus is written over the one that run trained on
        Directory.CreateDirectory(Path.GetDirectoryName(recipe.Train.Data)!);
        PretrainCorpus.Write(recipe.Corpus, recipe.Train.Data);
        return SftTrainer.Run(recipe.Train, runDirectory, progress: progress, cancel: cancel);
    }
}
