// report.md and plots for a GRPO run: reward and accuracy per step, completion length, held-out accuracy.
using System.Globalization;
using System.Text;
using Reasoner.Math.Data;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Grpo;

public static class GrpoReport
{
    public static void Write(string directory, GrpoConfig config, int steps, double elapsedSeconds)
    {
        var rows = RunFolder.ReadMetrics(directory);
        IReadOnlyList<(int, double)> Series(string kind, string name) => RunFolder.Series(rows, kind, name);
        Plots.Lines(Path.Combine(directory, "reward.png"), "GRPO reward (rollout batch mean)", "reward",
            [("reward", Series("train", "reward_mean")), ("accuracy", Series("train", "accuracy"))]);
        Plots.Lines(Path.Combine(directory, "length.png"), "completion length (tokens)", "tokens", [("mean", Series("train", "completion_length_mean"))]);
        var eval = Series("eval", "accuracy");
        if (eval.Count > 0)
        {
            Plots.Lines(Path.Combine(directory, "accuracy.png"), "held-out exact match (greedy)", "accuracy", [("eval", eval)]);
        }

        var train = rows.Where(r => r.Kind == "train").ToList();
        double Last(string name, int window = 10) => train.TakeLast(window).Where(r => r.Values.ContainsKey(name)).Select(r => r.Values[name]).DefaultIfEmpty(double.NaN).Average();
        double First(string name, int window = 10) => train.Take(window).Where(r => r.Values.ContainsKey(name)).Select(r => r.Values[name]).DefaultIfEmpty(double.NaN).Average();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# GRPO run: {Path.GetFileName(directory)}");
        text.AppendLine();
        text.AppendLine("| item | value |");
        text.AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| start | {config.InitFrom} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| prompts | {config.Data ?? "curriculum " + string.Join(" > ", config.Curriculum!.Levels)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| rollout batch | {config.PromptsPerStep} prompts x {config.NumGenerations} completions, temperature {config.Temperature}, max {config.MaxNewTokens} tokens |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| loss | {config.LossType}, scale_rewards {config.ScaleRewards}, eps [{config.Epsilon}, {config.ClipHigh}], beta {config.Beta}, mu {config.NumIterations}, lr {config.LearningRate:G3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| rewards | {config.Rewards} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| steps / wall clock | {steps} / {elapsedSeconds:F0} s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| reward, first 10 -> last 10 steps | {First("reward_mean"):F3} -> {Last("reward_mean"):F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| rollout accuracy, first 10 -> last 10 | {First("accuracy"):P1} -> {Last("accuracy"):P1} |");
        if (eval.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| held-out accuracy, first -> last eval | {eval[0].Item2:P1} -> {eval[^1].Item2:P1} |");
        }

        text.AppendLine();
        text.AppendLine("Plots: `reward.png`, `length.png`, `accuracy.png`. Metrics: `metrics.jsonl` (TensorBoard events in `tb/`). Sampled rollouts: `completions.jsonl`.");
        AtomicFile.WriteAllText(Path.Combine(directory, "report.md"), text.ToString());
    }
}
