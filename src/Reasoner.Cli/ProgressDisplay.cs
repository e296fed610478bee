// Progress for long work: a Spectre.Console bar in a terminal, plain lines about once a second otherwise,
// and always a final summary line (Spectre never prints 100% when output is redirected).
using System.Diagnostics;
using Spectre.Console;

namespace Reasoner.Cli;

internal static class ProgressDisplay
{
    public static T Run<T>(string title, long total, Func<Action<long>, T> work) => Run<T>(title, total, report => work(done => report(done, string.Empty)));

    /// <summary>As <see cref="Run{T}(string, long, Func{Action{long}, T})"/>, with a status after the count (an acceptance rate, say) and an ETA.</summary>
    public static T Run<T>(string title, long total, Func<Action<long, string>, T> work)
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
                    return work((done, status) =>
                    {
                        task.Value = done;
                        task.Description = status.Length == 0 ? title : $"{title} {Markup.Escape(status)}";
                    });
                });
        }
        else
        {
            long lastPrint = 0, first = -1;
            result = work((done, status) =>
            {
                first = first < 0 ? done : first; // a resumed run starts part way
                if (clock.ElapsedMilliseconds - lastPrint >= 1_000)
                {
                    lastPrint = clock.ElapsedMilliseconds;
                    var rate = (done - first) / System.Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                    var eta = rate > 0 ? $", ETA {TimeSpan.FromSeconds(System.Math.Round((total - done) / rate)):g}" : string.Empty;
                    Console.Error.WriteLine($"{title}: {done}/{total} ({100.0 * done / System.Math.Max(total, 1):F0}%{eta}){(status.Length == 0 ? string.Empty : " " + status)}");
                }
            });
        }

        Console.Error.WriteLine($"{title}: done in {clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }
}
