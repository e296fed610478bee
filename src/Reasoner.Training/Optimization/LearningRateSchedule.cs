// One learning-rate schedule for every trainer: linear warmup over warmup_steps, then cosine or linear decay to
// min_lr_ratio * lr, or constant (Hugging Face's lr_scheduler_type "cosine", "linear", "constant_with_warmup").
// Progress through the decay is steps / max_steps, or the share of the time budget used when the run is time-bound
// (whichever is further along).
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Optimization;

[JsonConverter(typeof(SnakeCaseEnumConverter<LrSchedulerType>))]
public enum LrSchedulerType
{
    /// <summary>Half a cosine from lr down to lr * min_lr_ratio (nanoGPT, Llama).</summary>
    Cosine,

    /// <summary>A straight line from lr down to lr * min_lr_ratio (TRL's default).</summary>
    Linear,

    /// <summary>lr after warmup, unchanged (RL steps are few and each one's data comes from the current policy).</summary>
    Constant,
}

/// <summary>Enum values as Hugging Face spells them in JSON: "cosine", "dr_grpo".</summary>
public sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower)
    where T : struct, Enum;

public sealed class LearningRateSchedule(IRunSettings settings)
{
    public double At(int step, double elapsedSeconds)
    {
        double peak = settings.LearningRate;
        if (settings.WarmupSteps > 0 && step < settings.WarmupSteps)
        {
            return peak * (step + 1) / settings.WarmupSteps;
        }

        if (settings.LrSchedulerType == LrSchedulerType.Constant)
        {
            return peak;
        }

        double byStep = settings.MaxSteps > 0 ? (double)(step - settings.WarmupSteps) / System.Math.Max(1, settings.MaxSteps - settings.WarmupSteps) : 0;
        double byTime = settings.TimeBudgetSeconds > 0 ? elapsedSeconds / settings.TimeBudgetSeconds : 0;
        double progress = System.Math.Clamp(System.Math.Max(byStep, byTime), 0, 1);
        double minimum = peak * settings.MinLrRatio;
        return settings.LrSchedulerType == LrSchedulerType.Linear
            ? peak - ((peak - minimum) * progress)
            : minimum + (0.5 * (peak - minimum) * (1 + System.Math.Cos(System.Math.PI * progress)));
    }
}
