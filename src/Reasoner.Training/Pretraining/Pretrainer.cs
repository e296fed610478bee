// The base-model recipe: write the pretraining corpus into RUN/data/, then train a fresh model on every token
// (TrainMode.Pretrain). The run folder's config.json is an ordinary train config, so `reasoner train --resume RUN`
// continues a killed pretraining run.
using Reasoner.Training.Runs;
using Reasoner.Training.Training;

namespace Reasoner.Training.Pretraining;

public sealed record PretrainRecipe(PretrainCorpusConfig Corpus, TrainConfig Train);

public static class Pretrainer
{
    public const string CorpusFile = "pretrain.jsonl";

    public static PretrainRecipe Config(string runDirectory, string model, int count, long seed, int maxSteps, double budgetSeconds) => new(
        new PretrainCorpusConfig { Count = count, Seed = seed }.Validate(),
        new TrainConfig
        {
            Data = Path.Combine(Path.GetFullPath(runDirectory), "data", CorpusFile), Model = model, Mode = TrainMode.Pretrain, Seed = seed,
            MaxSteps = maxSteps, TimeBudgetSeconds = budgetSeconds, BatchTokens = 1_024, LearningRate = 1e-3, MinLrRatio = 0.1, WarmupSteps = 50,
            CheckpointEvery = 500, EvalEvery = 1_000_000, LogEvery = 10,
        }.Validate());

    public static TrainResult Run(PretrainRecipe recipe, string runDirectory, Action<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        RunFolder.RefuseIfUsed(runDirectory); // before the corpus is written over the one that run trained on
        Directory.CreateDirectory(Path.GetDirectoryName(recipe.Train.Data)!);
        PretrainCorpus.Write(recipe.Corpus, recipe.Train.Data);
        return Trainer.Run(recipe.Train, runDirectory, progress: progress, cancel: cancel);
    }
}
