// Training progress: a Spectre.Console bar per run (step, loss, tokens/s, ETA) in a terminal; plain lines
// every few seconds when output is redirected; a final summary line is printed by the caller either way.
using Reasoner.Training.Sft;
using Spectre.Console;

namespace Reasoner.Cli;

internal static class TrainingProgress
{
    private static bool Interactive => !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, handing it a reporter keyed by run name; <paramref name="total"/> is steps, or seconds for time-bound runs.</summary>
    public static T Run<T>(IReadOnlyList<string> runs, Func<TrainProgress, double> position, double total, Func<Action<string, TrainProgress>, T> work) =>
        Run(runs, position, total, Describe, work);

    /// <summary>The same for any progress record, described by <paramref name="describe"/>.</summary>
    public static T Run<TProgress, T>(IReadOnlyList<string> runs, Func<TProgress, double> position, double total, Func<TProgress, string> describe, Func<Action<string, TProgress>, T> work)
    {
        if (!Interactive)
        {
            return work(PlainLines(describe, seconds: 5));
        }

        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = runs.ToDictionary(r => r, r => ctx.AddTask(r, maxValue: total));
                return work((name, p) =>
                {
                    var task = tasks[name];
                    task.Value = System.Math.Min(total, position(p));
                    task.Description = Markup.Escape($"{name,-12} {describe(p)}");
                });
            });
    }

    /// <summary>A reporter that prints one line per run at most every <paramref name="seconds"/> (thread-safe).</summary>
    public static Action<string, TProgress> PlainLines<TProgress>(Func<TProgress, string> describe, double seconds)
    {
        var last = new Dictionary<string, DateTime>();
        return (name, p) =>
        {
            lock (last)
            {
                if (!last.TryGetValue(name, out var t) || (DateTime.UtcNow - t).TotalSeconds >= seconds)
                {
                    last[name] = DateTime.UtcNow;
                    Console.Error.WriteLine($"  {name,-12} {describe(p)}");
                }
            }
        };
    }

    private static string Describe(TrainProgress p) => FormattableString.Invariant(
        $"step {p.Step,5}{(p.MaxSteps > 0 ? $"/{p.MaxSteps}" : string.Empty)}  loss {p.Loss:F4}  lr {p.LearningRate:G3}  {p.TokensPerSecond,6:F0} tok/s  {p.ElapsedSeconds,4:F0} s{(p.EvalAccuracy is { } a ? $"  held-out acc {a:P0}" : string.Empty)}");
}
