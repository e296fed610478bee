// Training and generation throughput of the model presets. Training: forward + backward + clip + AdamW on a
// (B=32, T=256) batch of random tokens, fp32, tokens/s; model FLOPs (6 N + 12 L T C per token) as a share of
// the fp32 matmul peak measured here; the same model and step in PyTorch (scripts/torch_train_bench.py) as a
// ratio; bf16 compute with fp32 master weights (Bf16Twin) as a speedup. Generation: greedy, KV cache, batch 1 and 64.
using System.Diagnostics;
using System.Globalization;
using Reasoner.Training.Optimization;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using Reasoner.Training.Sft;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Bench;

internal static class TrainBench
{
    private const int Batch = 32;
    private const int Sequence = 256;
    private const int Vocab = 128;

    public static int Run(string root)
    {
        TorchRuntime.EnsureLoaded();
        foreach (int threads in new[] { 1, 2 })
        {
            set_num_threads(threads);
            double peak = MatmulPeak();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {threads} thread(s): fp32 matmul peak {peak:F1} GFLOP/s (1024^3)"));
            Console.WriteLine("| model | params | Reasoner train tok/s fp32 | MFU fp32 | bf16 tok/s | bf16 speedup | PyTorch fp32 tok/s | ratio fp32 | gen tok/s batch 1 | gen tok/s batch 64 |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var preset in new[] { "nano", "micro", "mini" })
            {
                var config = ModelConfig.Preset(preset, Vocab);
                manual_seed(0);
                var model = new CausalLM(config);
                int steps = preset == "nano" ? 10 : preset == "micro" ? 4 : 3;
                double ours = TrainTokensPerSecond(model, steps, bf16: false);
                double half = TrainTokensPerSecond(model, steps, bf16: true);
                double flopsPerToken = (6.0 * model.ParameterCount) + (12.0 * config.NumHiddenLayers * Sequence * config.HiddenSize);
                double mfu = ours * flopsPerToken / (peak * 1e9);
                double? torch = PyTorch(root, config, steps, threads);
                double gen1 = threads == 1 ? GenerationTokensPerSecond(model, 1) : double.NaN;
                double gen64 = threads == 1 ? GenerationTokensPerSecond(model, 64) : double.NaN;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {preset} | {model.ParameterCount:N0} | {ours:F0} | {mfu:P1} | {half:F0} | {half / ours:F2}x | {(torch is { } t ? t.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} | {(torch is { } r ? (ours / r).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a")} | {(double.IsNaN(gen1) ? "-" : gen1.ToString("F0", CultureInfo.InvariantCulture))} | {(double.IsNaN(gen64) ? "-" : gen64.ToString("F0", CultureInfo.InvariantCulture))} |"));
            }

            Console.WriteLine();
        }

        return 0;
    }

    /// <summary>Best of five 0.5 s windows of 1024^3 fp32 matmuls: a single window was noisy here (63 vs 83 GFLOP/s).</summary>
    private static double MatmulPeak()
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++)
        {
            using var _ = a.matmul(b);
        }

        double best = 0;
        for (int window = 0; window < 5; window++)
        {
            var clock = Stopwatch.StartNew();
            int n = 0;
            while (clock.Elapsed.TotalSeconds < 0.5)
            {
                using var _ = a.matmul(b);
                n++;
            }

            best = System.Math.Max(best, 2.0 * 1024 * 1024 * 1024 * n / clock.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }

    /// <summary>The trainer's step: forward, backward, clip, AdamW; bf16 runs the twin as the trainer does.</summary>
    private static double TrainTokensPerSecond(CausalLM model, int steps, bool bf16)
    {
        var parameters = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        using var optimizer = new AdamW(parameters, 0.9, 0.95, 0.1);
        using var twin = bf16 ? new Bf16Twin(model) : null;
        var network = twin?.Compute ?? model;
        using var ids = randint(0, Vocab, [Batch, Sequence + 1]);
        var x = ids.narrow(1, 0, Sequence);
        var y = ids.narrow(1, 1, Sequence);
        network.train();
        void Step()
        {
            using var scope = NewDisposeScope();
            twin?.LoadWeights();
            network.zero_grad();
            var logits = network.Forward(x).to_type(ScalarType.Float32);
            F.cross_entropy(logits.view(-1, Vocab), y.reshape(-1)).backward();
            var gradients = twin?.WideGradients() ?? optimizer.Gradients();
            AdamW.ClipGradients(gradients, 1.0);
            optimizer.Update(1e-3, gradients);
        }

        for (int i = 0; i < 3; i++) // the same three warm-up steps as scripts/torch_train_bench.py
        {
            Step();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            Step();
        }

        return (double)Batch * Sequence * steps / clock.Elapsed.TotalSeconds;
    }

    private static double GenerationTokensPerSecond(CausalLM model, int batch)
    {
        var generator = new TextGenerator(model, 0, []); // no stop token: every row runs the full length
        var prompts = Enumerable.Range(0, batch).Select(i => (IReadOnlyList<int>)new[] { 1, 20 + (i % 50), 30, 4 }).ToList();
        var options = new GenerationOptions { MaxNewTokens = 128 };
        generator.Generate(prompts, options with { MaxNewTokens = 8 });
        var clock = Stopwatch.StartNew();
        generator.Generate(prompts, options);
        return (double)batch * options.MaxNewTokens / clock.Elapsed.TotalSeconds;
    }

    private static double? PyTorch(string root, ModelConfig config, int steps, int threads)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "torch_train_bench.py"));
        foreach (var value in new[] { config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads, config.NumKeyValueHeads, config.IntermediateSize, Vocab, Batch, Sequence, steps, threads })
        {
            start.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
        }

        start.Environment.Remove("OPENBLAS_CORETYPE"); // fair fp32: let OpenBLAS pick its kernel for this command only
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture); // same core count as ours
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? double.Parse(output.Trim(), CultureInfo.InvariantCulture) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
