// `moe`: the moe-mini preset (8 experts, top 2) against a dense model of the same active size (micro's attention with
// one MLP as wide as two experts), same batch, same thread count: total and active parameters, training tokens/s
// (forward + backward) and batch-1 decode tokens/s, with the ratio. Never asserted in tests.
using System.Diagnostics;
using System.Globalization;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Bench;

public static class MoeBench
{
    public static int Run(double seconds)
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(1);
        var tokenizer = new CharTokenizer();
        var moe = ModelConfig.Preset("moe-mini", tokenizer.VocabSize);
        var dense = ModelConfig.Preset("micro", tokenizer.VocabSize) with { IntermediateSize = moe.IntermediateSize * moe.NumExpertsPerTok };
        Console.WriteLine($"# one thread; training: batch 8 x 256 tokens, forward + backward (+ the balance loss for the MoE), {seconds:F0} s per cell after a warm-up; decode: batch 1, 128 new tokens, greedy");
        Console.WriteLine("| model | total parameters | active parameters per token | train tokens/s | decode tokens/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var rows = new List<(double Train, double Decode)>();
        foreach (var (name, config) in new[] { ("moe-mini (8 experts, top 2)", moe), ($"dense, intermediate {dense.IntermediateSize}", dense) })
        {
            manual_seed(1);
            using var model = new CausalLM(config);
            long expert = 3L * config.HiddenSize * config.IntermediateSize;
            long active = model.ParameterCount - (config.IsMoe ? config.NumHiddenLayers * (config.NumLocalExperts - config.NumExpertsPerTok) * expert : 0);
            double train = TrainRate(model, seconds), decode = DecodeRate(model, tokenizer);
            rows.Add((train, decode));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {model.ParameterCount:N0} | {active:N0} | {train:F0} | {decode:F0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MoE / dense of equal active size: training {rows[0].Train / rows[1].Train:F2}x, decode {rows[0].Decode / rows[1].Decode:F2}x"));
        return 0;
    }

    private static double TrainRate(CausalLM model, double seconds)
    {
        model.train();
        using var ids = randint(0, model.Config.VocabSize, [8, 256], dtype: int64, generator: new TorchSharp.torch.Generator(3));
        int steps = 0;
        var clock = new Stopwatch();
        for (int i = 0; clock.Elapsed.TotalSeconds < seconds; i++)
        {
            if (i == 2)
            {
                clock.Start(); // two warm-up steps
            }

            using var scope = NewDisposeScope();
            model.zero_grad();
            model.Routing = model.Config.IsMoe ? [] : null;
            var logits = model.Forward(ids);
            var loss = F.cross_entropy(logits.view(-1, logits.shape[2]), ids.view(-1));
            if (model.Config.IsMoe)
            {
                using var coefficient = model.Config.RouterAuxLossCoef.ToScalar();
                loss = loss.add(model.TakeRouting().Loss, coefficient);
            }

            loss.backward();
            steps += clock.IsRunning ? 1 : 0;
        }

        return steps * 8 * 256 / clock.Elapsed.TotalSeconds;
    }

    private static double DecodeRate(CausalLM model, CharTokenizer tokenizer)
    {
        model.eval();
        model.Routing = null;
        var generator = new TextGenerator(model, tokenizer.PadId, []);
        var prompt = new List<int>[] { tokenizer.Encode("12 * 34 = ") };
        generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 16 });
        var clock = Stopwatch.StartNew();
        var produced = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 128 })[0].Count;
        return produced / clock.Elapsed.TotalSeconds;
    }
}
