// Throughput of the data engine: generate + trace + verify, items per second on one core, per preset and
// style. Not a test: run with `dotnet run -c Release --project bench/Reasoner.Bench [-- --seconds S]`.
// scripts/bench-generate.sh runs it beside a Python reference generator and prints the ratio.
using System.Diagnostics;
using System.Globalization;
using Reasoner.Math.Data;
using Reasoner.Math.Generation;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        double seconds = args.Length >= 2 && args[0] == "--seconds" ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3.0;
        string[] presets = ["level-3", "level-5", "level-8"];
        var styles = new[] { TraceStyle.Node, TraceStyle.Digit };
        Console.WriteLine($"# generate + trace + verify, one thread, {seconds:F1} s per cell (after a warm-up)");
        Console.WriteLine("| preset | style | items/s/core | verified | mean completion chars |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var preset in presets)
        {
            foreach (var style in styles)
            {
                Measure(preset, style, 0.5);
                var (rate, verified, chars) = Measure(preset, style, seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {preset} | {style.ToString().ToLowerInvariant()} | {rate:F0} | {verified} | {chars:F0} |"));
            }
        }

        return 0;
    }

    /// <summary>Generates, traces, formats and fully re-verifies items until the time is up.</summary>
    private static (double Rate, long Verified, double MeanChars) Measure(string preset, TraceStyle style, double seconds)
    {
        var config = new GenerateConfig { Preset = preset, Style = style, Count = int.MaxValue / 2 };
        var builder = new ExampleBuilder(config);
        var rewards = new MathRewards(VerifierOptions.Default);
        long verified = 0, chars = 0;
        var clock = Stopwatch.StartNew();
        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve(preset), config.Count, 7, Split.Train, new SplitAssigner()))
        {
            var record = builder.Build(problem); // traces and verifies once inside
            if (ExampleVerifier.Verify(record, rewards) is not null)
            {
                throw new InvalidOperationException($"{record.Id} does not verify");
            }

            verified++;
            chars += record.Completion.Length;
            if ((verified & 63) == 0 && clock.Elapsed.TotalSeconds >= seconds)
            {
                break;
            }
        }

        return (verified / clock.Elapsed.TotalSeconds, verified, (double)chars / verified);
    }
}
