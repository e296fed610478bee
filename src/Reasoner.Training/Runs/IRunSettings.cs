// The settings every trainer's config shares with the run skeleton (TrainingRun): when to stop, how often to log,
// evaluate and checkpoint, the optimizer and its learning-rate schedule. TrainConfig and GrpoConfig implement it,
// so each range is checked once, here, with the same message.
using Reasoner.Training.Optimization;

namespace Reasoner.Training.Runs;

public interface IRunSettings
{
    long Seed { get; }

    /// <summary>Optimizer steps; 0 means "until the time budget".</summary>
    int MaxSteps { get; }

    /// <summary>Wall-clock seconds; 0 means none. The run stops at whichever limit comes first.</summary>
    double TimeBudgetSeconds { get; }

    int LogEvery { get; }

    int CheckpointEvery { get; }

    int KeepCheckpoints { get; }

    string? EvalData { get; }

    int EvalEvery { get; }

    int EvalItems { get; }

    /// <summary>Longest completion generated when scoring held-out items.</summary>
    int EvalMaxNewTokens { get; }

    int Threads { get; }

    double LearningRate { get; }

    LrSchedulerType LrSchedulerType { get; }

    int WarmupSteps { get; }

    /// <summary>Cosine and linear schedules end at learning_rate * min_lr_ratio.</summary>
    double MinLrRatio { get; }

    double WeightDecay { get; }

    double Beta1 { get; }

    double Beta2 { get; }

    /// <summary>0 turns clipping off.</summary>
    double ClipGradNorm { get; }

    /// <summary>LoRA adapters on a frozen init_from model, or null for full fine-tuning.</summary>
    LoraSettings? Lora { get; }

    /// <summary>The model the run starts from (a LoRA run's frozen base), or null for a fresh model.</summary>
    string? StartingModel { get; }
}

public static class RunSettings
{
    /// <summary>Checks the shared settings; throws with what to change.</summary>
    public static void Validate(IRunSettings s)
    {
        if (s.MaxSteps < 0 || s.TimeBudgetSeconds < 0 || (s.MaxSteps == 0 && s.TimeBudgetSeconds == 0))
        {
            throw new ArgumentException("set max_steps > 0 or time_budget_seconds > 0 (or both)");
        }

        if (s.LearningRate <= 0 || s.MinLrRatio is < 0 or > 1 || s.WarmupSteps < 0 || s.WeightDecay < 0 || s.Beta1 is < 0 or >= 1 || s.Beta2 is < 0 or >= 1 || s.ClipGradNorm < 0)
        {
            throw new ArgumentException("optimizer settings out of range: learning_rate > 0, 0 <= min_lr_ratio <= 1, warmup_steps >= 0, weight_decay >= 0, 0 <= beta1, beta2 < 1, clip_grad_norm >= 0");
        }

        if (s.Lora is not null && s.StartingModel is null)
        {
            throw new ArgumentException("LoRA needs a model to adapt: set init_from (LoRA trains adapters on a frozen pretrained model, not a fresh one)");
        }

        _ = s.Lora?.ToConfig(s.StartingModel ?? string.Empty);
        if (s.LogEvery < 1 || s.CheckpointEvery < 1 || s.KeepCheckpoints < 1 || s.EvalEvery < 1 || s.EvalItems < 0 || s.EvalMaxNewTokens < 1 || s.Threads < 1)
        {
            throw new ArgumentException("log_every, checkpoint_every, keep_checkpoints, eval_every, eval max new tokens and threads must be at least 1 (eval_items at least 0)");
        }
    }
}
