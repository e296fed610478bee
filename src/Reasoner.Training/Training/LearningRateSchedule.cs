// Linear warmup, then cosine decay to min_lr_ratio * lr. Progress is steps / max_steps, or the share of the
// time budget used when the run is time-bound (whichever is further along).
namespace Reasoner.Training.Training;

public static class LearningRateSchedule
{
    public static double At(TrainConfig config, int step, double elapsedSeconds)
    {
        if (step < config.WarmupSteps)
        {
            return config.LearningRate * (step + 1) / config.WarmupSteps;
        }

        double byStep = config.MaxSteps > 0 ? (double)(step - config.WarmupSteps) / System.Math.Max(1, config.MaxSteps - config.WarmupSteps) : 0;
        double byTime = config.TimeBudgetSeconds > 0 ? elapsedSeconds / config.TimeBudgetSeconds : 0;
        double progress = System.Math.Clamp(System.Math.Max(byStep, byTime), 0, 1);
        double minimum = config.LearningRate * config.MinLrRatio;
        return minimum + (0.5 * (config.LearningRate - minimum) * (1 + System.Math.Cos(System.Math.PI * progress)));
    }
}
