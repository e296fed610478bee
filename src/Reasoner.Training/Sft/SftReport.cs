// report.md in an SFT or pretraining run folder: what was trained, on what, for how long, and how it ended.
using System.Globalization;
using System.Text;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Sft;

public static class SftReport
{
    public static void Write(string directory, TrainConfig config, int steps, double finalLoss, RunContext run, long tokens, SftData data)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Training run: {Path.GetFileName(directory)}");
        text.AppendLine();
        text.AppendLine("| item | value |");
        text.AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mode | {config.Mode} |");
        long trainable = run.Model.Lora?.TrainableCount ?? run.Model.ParameterCount;
        text.AppendLine(CultureInfo.InvariantCulture, $"| model | {config.InitFrom ?? config.Model}, {run.Model.ParameterCount:N0} parameters, {trainable:N0} trainable{(run.Model.Lora is { } lora ? $" (LoRA r {lora.Config.R} on {string.Join(", ", lora.Config.TargetModules)})" : string.Empty)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| data | {config.Data}: {data.Rows.Count} rows ({data.DroppedTooLong} longer than {config.MaxSeqLen} tokens dropped) |");
        if (config.Kd is { } kd)
        {
            string divergence = kd.Beta switch { 0 => "forward KL", 1 => "reverse KL", _ => FormattableString.Invariant($"generalized JSD, beta {kd.Beta}") };
            text.AppendLine(CultureInfo.InvariantCulture, $"| distillation | teacher {kd.Teacher}; {divergence}, alpha {kd.Alpha}, T {kd.Temperature}; on-policy share (lmbda) {kd.Lmbda} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| seed | {config.Seed} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| steps | {steps} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| final loss | {finalLoss:F4} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| held-out accuracy (greedy) | {(run.EvalAccuracy is { } a ? a.ToString("P1", CultureInfo.InvariantCulture) : "not evaluated")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wall clock | {run.Elapsed:F0} s, {tokens / System.Math.Max(1e-9, run.Elapsed):F0} trained tokens/s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| last checkpoint | {Path.GetRelativePath(directory, run.LastCheckpoint!)} |");
        text.AppendLine();
        text.AppendLine("Plots: `loss.png`, `accuracy.png`. Metrics: `metrics.jsonl` (also as TensorBoard events in `tb/`). Config: `config.json`.");
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "report.md"), text.ToString());
    }
}
