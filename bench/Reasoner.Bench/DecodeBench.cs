// Decode speed on the same model, ours against llama.cpp (LLamaSharp 0.30, the GGUF we export, f32): tokens per
// second at batch 1 for both, and ours batched at 8 and 64, for the nano, micro and mini presets and a random
// checkpoint shaped like Qwen2.5-0.5B. One thread per side. Prints a table with the ratios the issue asks for:
// ours at batch 1 / llama.cpp at batch 1 (target >= 0.5x), ours batched / llama.cpp at batch 1 (target >= 4x).
// Run: scripts/bench-decode.sh (or `dotnet run -c Release --project bench/Reasoner.Bench -- decode [--big]`).
using System.Diagnostics;
using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Native;
using Reasoner.Model.Export;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Bench;

internal static class DecodeBench
{
    private const int NewTokens = 128;

    /// <summary>Each rate is the best of this many runs, the two sides taking turns: the machine's noise only slows runs down.</summary>
    private const int Repeats = 3;

    public static int Run(bool big)
    {
        TorchRuntime.EnsureLoaded(); // first: it also loads libtorch's own libgomp, which llama.cpp's CPU backend needs too
        set_num_threads(1);
        var tokenizer = new CharTokenizer();
        var shapes = new List<(string Name, ModelConfig Config)>
        {
            ("nano", ModelConfig.Preset("nano", tokenizer.VocabSize)),
            ("micro", ModelConfig.Preset("micro", tokenizer.VocabSize)),
            ("mini", ModelConfig.Preset("mini", tokenizer.VocabSize)),
        };
        if (big)
        {
            // Qwen2.5-0.5B's shape (24 layers, d896, 14 heads / 2 KV heads, MLP 4864), with our character vocabulary.
            shapes.Add(("0.5B-shaped", new ModelConfig
            {
                ModelType = "qwen2", VocabSize = tokenizer.VocabSize, HiddenSize = 896, IntermediateSize = 4864, NumHiddenLayers = 24,
                NumAttentionHeads = 14, NumKeyValueHeads = 2, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-6, RopeTheta = 1e6, AttentionBias = true,
            }));
        }

        Console.WriteLine($"# greedy decode, {NewTokens} new tokens after a 14-token prompt, one thread each side, best of {Repeats} runs taking turns; llama.cpp = LLamaSharp 0.30 on our f32 GGUF export");
        Console.WriteLine("| model | params | llama.cpp b1 tok/s | ours b1 tok/s | ours b8 tok/s | ours b64 tok/s | ours b1 / llama.cpp b1 | ours b64 / llama.cpp b1 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var dir = Directory.CreateTempSubdirectory("reasoner-decode-").FullName;
        try
        {
            foreach (var (name, config) in shapes)
            {
                manual_seed(1);
                using var model = new CausalLM(config);
                var path = Path.Combine(dir, name + ".gguf");
                GgufExport.Write(model, tokenizer, path, GgmlType.F32, name);
                var prompt = tokenizer.Chat.Prompt(tokenizer, "(37+48)*12-5");
                double theirs = 0, b1 = 0, b8 = 0, b64 = 0;
                for (int repeat = 0; repeat < Repeats; repeat++)
                {
                    theirs = System.Math.Max(theirs, LlamaCppTokensPerSecond(path, prompt, NewTokens, threads: 1));
                    b1 = System.Math.Max(b1, Ours(model, tokenizer, prompt, 1));
                    b8 = System.Math.Max(b8, Ours(model, tokenizer, prompt, 8));
                    b64 = System.Math.Max(b64, Ours(model, tokenizer, prompt, 64));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {model.ParameterCount / 1e6:F2}M | {theirs:F0} | {b1:F0} | {b8:F0} | {b64:F0} | {b1 / theirs:F2}x | {b64 / theirs:F1}x |"));
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    /// <summary>Qwen2.5-0.5B's exact shape (494M parameters, vocabulary 151,936, tied) with random weights, as a bf16 HF folder.</summary>
    public static int WriteQwenShaped(string directory)
    {
        TorchRuntime.EnsureLoaded();
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 151_936, HiddenSize = 896, IntermediateSize = 4864, NumHiddenLayers = 24, NumAttentionHeads = 14,
            NumKeyValueHeads = 2, MaxPositionEmbeddings = 2048, RmsNormEps = 1e-6, RopeTheta = 1e6, TieWordEmbeddings = true,
        };
        manual_seed(1);
        using var model = new CausalLM(config);
        HfExport.Write(model, new CharTokenizer(), directory, ScalarType.BFloat16);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {directory}: {model.ParameterCount:N0} parameters, {model.ParameterCount * 4 / 1e9:F2} GB in fp32"));
        return 0;
    }

    /// <summary>Our batched KV-cache generation; a stop token is never chosen so every row decodes NewTokens (forced length).</summary>
    private static double Ours(CausalLM model, CharTokenizer tokenizer, List<int> prompt, int batch)
    {
        var generator = new TextGenerator(model, tokenizer.PadId, []);
        var prompts = Enumerable.Repeat((IReadOnlyList<int>)prompt, batch).ToList();
        generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 8 }); // warm-up
        var clock = Stopwatch.StartNew();
        var outputs = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = NewTokens });
        return outputs.Sum(o => o.Count) / clock.Elapsed.TotalSeconds;
    }

    /// <summary>llama.cpp's own decode loop: the prompt as one batch, then one token per call, greedy; tokens/s of the decode.</summary>
    public static double LlamaCppTokensPerSecond(string path, List<int> prompt, int newTokens, int threads)
    {
        QuietLlamaCpp();
        var parameters = new ModelParams(path) { ContextSize = 512, GpuLayerCount = 0, Threads = threads, BatchThreads = threads, BatchSize = 512 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        double Run(int tokens)
        {
            var handle = context.NativeHandle;
            handle.MemoryClear(true);
            var batch = new LLamaBatch();
            for (int i = 0; i < prompt.Count; i++)
            {
                batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
            }

            handle.Decode(batch);
            var clock = Stopwatch.StartNew();
            var logits = handle.GetLogitsIth(batch.TokenCount - 1);
            for (int n = 0; n < tokens; n++)
            {
                int next = 0;
                for (int v = 1; v < logits.Length; v++)
                {
                    next = logits[v] > logits[next] ? v : next;
                }

                batch.Clear();
                batch.Add(next, prompt.Count + n, LLamaSeqId.Zero, true);
                handle.Decode(batch);
                logits = handle.GetLogitsIth(0);
            }

            return tokens / clock.Elapsed.TotalSeconds;
        }

        Run(8); // warm-up
        return Run(newTokens);
    }

    /// <summary>llama.cpp logs every load to stderr; keep its errors only. Must run before LLamaSharp's first call.</summary>
    private static void QuietLlamaCpp()
    {
        if (NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            return;
        }

        NativeLibraryConfig.All.WithLogCallback((level, message) =>
        {
            if (level == LLamaLogLevel.Error)
            {
                Console.Error.Write($"llama.cpp: {message}");
            }
        });
    }
}
