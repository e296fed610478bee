// Progress for long work: a Spectre.Console bar in a terminal, plain lines about once a second otherwise,
// and always a final summary line (Spectre never prints 100% when output is redirected).
using System.Diagnostics;
using Spectre.Console;

namespace Reasoner.Cli;

internal static class ProgressDisplay
{
    public static T Run<T>(string title, long total, Func<Action<long>, T> work)
    {
        var clock = Stopwatch.StartNew();
        T result;
        if (!Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(title, maxValue: total);
                    return work(done => task.Value = done);
                });
        }
        else
        {
            long lastPrint = 0;
            result = work(done =>
            {
                if (clock.ElapsedMilliseconds - lastPrint >= 1_000)
                {
                    lastPrint = clock.ElapsedMilliseconds;
                    Console.Error.WriteLine($"{title}: {done}/{total} ({100.0 * done / total:F0}%)");
                }
            });
        }

        Console.Error.WriteLine($"{title}: done in {clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }
}
