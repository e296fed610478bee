// Benchmarks (never asserted in tests). `generate` (default): items/s/core of generate + trace + verify beside a
// plain Python generator. `train`: training and generation tokens/s of the model presets beside PyTorch. `decode`:
// decode tokens/s beside llama.cpp on the same GGUF. `serve-load` and `serve-speed`: a running `reasoner serve`
// under load (scripts/bench-serve.sh). `moe`: moe-mini against a dense model of equal active size (scripts/bench-moe.sh). `rollouts`: GRPO rollout
// tokens/s, static batches against continuous batching (scripts/bench-rollouts.sh).
// Run: `dotnet run -c Release --project bench/Reasoner.Bench -- [generate|train|decode] [--seconds S] [--big]`,
// or scripts/bench-generate.sh, scripts/bench-train.sh and scripts/bench-decode.sh.
using System.Diagnostics;
using System.Globalization;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;

namespace Reasoner.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        int at = Array.IndexOf(args, "--seconds");
        double seconds = at >= 0 ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : 3.0;
        if (args.Length >= 2 && args[0] == "vocab-vectors")
        {
            return VocabVectors.Run(args[1]);
        }

        if (args.Length >= 2 && args[0] == "write-qwen-shaped")
        {
            return DecodeBench.WriteQwenShaped(args[1]);
        }

        if (args.Length >= 4 && args[0] == "screenshots")
        {
            return Screenshots.Run(args[1], args[2], args[3], args.Length > 4 ? args[4] : null).GetAwaiter().GetResult();
        }

        if (args.Length >= 3 && args[0] == "write-random-model")
        {
            return ServeBench.WriteRandomModel(args[1], args[2]);
        }

        if (args.Length >= 3 && args[0] is "serve-load" or "serve-speed")
        {
            string? Flag(string name) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : null;
            int maxTokens = int.Parse(Flag("--max-tokens") ?? "64", CultureInfo.InvariantCulture);
            return args[0] == "serve-load"
                ? ServeBench.Load(args[1], args[2], int.Parse(Flag("--clients") ?? "4", CultureInfo.InvariantCulture), seconds, maxTokens,
                    Flag("--pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null, Flag("--key"))
                : ServeBench.Speed(args[1], args[2], Flag("--gguf") ?? throw new ArgumentException("serve-speed needs --gguf FILE"), maxTokens, int.Parse(Flag("--threads") ?? "2", CultureInfo.InvariantCulture));
        }

        if (args.Length >= 3 && args[0] == "rollouts")
        {
            int Int(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            return RolloutBench.Run(args[1], args[2], Int("--steps", 4), Int("--prompts", 4), Int("-G", 8), Int("--max-new-tokens", 512), Int("--threads", 2));
        }

        if (args.Contains("moe"))
        {
            return MoeBench.Run(at >= 0 ? seconds : 10);
        }

        return args.Contains("train") ? TrainBench.Run(FindRoot()) : args.Contains("decode") ? DecodeBench.Run(args.Contains("--big")) : GenerateBench(seconds);
    }

    private static int GenerateBench(double seconds)
    {
        string[] presets = ["level-3", "level-5", "level-8"];
        var root = FindRoot();
        Console.WriteLine($"# generate + trace + verify (answer, format, every step), one thread, {seconds:F1} s per cell after a warm-up");
        Console.WriteLine("# reference: scripts/reference_generator.py, plain Python, same preset, node-style CoT, no verification");
        Console.WriteLine("| preset | style | Reasoner items/s/core | mean completion chars | Python reference items/s | ratio |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var preset in presets)
        {
            var reference = RunReference(root, preset, seconds);
            foreach (var style in new[] { TraceStyle.Node, TraceStyle.Digit })
            {
                Measure(preset, style, 0.5);
                var (rate, chars) = Measure(preset, style, seconds);
                var ratio = reference is { } r ? (rate / r).ToString("F1", CultureInfo.InvariantCulture) + "x" : "n/a";
                var referenceText = reference?.ToString("F0", CultureInfo.InvariantCulture) ?? "python3 missing";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {preset} | {style.ToString().ToLowerInvariant()} | {rate:F0} | {chars:F0} | {referenceText} | {ratio} |"));
            }
        }

        return 0;
    }

    /// <summary>Generates, traces, formats and fully re-verifies items until the time is up.</summary>
    private static (double Rate, double MeanChars) Measure(string preset, TraceStyle style, double seconds)
    {
        var config = new GenerateConfig { Preset = preset, Style = style, Count = int.MaxValue / 2 };
        var builder = new ExampleBuilder(config);
        long verified = 0, chars = 0;
        var clock = Stopwatch.StartNew();
        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve(preset), config.Count, 7, Split.Train, new SplitAssigner()))
        {
            var record = builder.Build(problem); // traces, then re-verifies from the text: answer, format, every step
            verified++;
            chars += record.Completion.Length;
            if ((verified & 63) == 0 && clock.Elapsed.TotalSeconds >= seconds)
            {
                break;
            }
        }

        return (verified / clock.Elapsed.TotalSeconds, (double)chars / verified);
    }

    private static double? RunReference(string root, string preset, double seconds)
    {
        var script = Path.Combine(root, "scripts", "reference_generator.py");
        var presetPath = Path.Combine(root, "configs", "presets", preset + ".json");
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { script, presetPath, seconds.ToString(CultureInfo.InvariantCulture) }, RedirectStandardOutput = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? double.Parse(output.Trim(), CultureInfo.InvariantCulture) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal static string FindRoot()
    {
        for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Reasoner.slnx")))
            {
                return d;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
