using LLama;
using LLama.Common;
using LLama.Native;
using Reasoner.Model.Export;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Testing;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Our GGUF export read by an independent implementation, llama.cpp (through LLamaSharp 0.30): the vocabulary and the
/// tokenization of sample prompts, the logits of a prompt, and the greedy continuation of three prompts must equal
/// ours. llama.cpp's CPU backend needs libgomp.so.1: libtorch's own copy, loaded before any test runs (TorchSetup),
/// answers to that name, so this runs on a machine with nothing but the .NET SDK.
/// </summary>
public sealed class GgufExportTests : IDisposable
{
    private static readonly string[] Prompts = ["12+7", "(37+48)*12-5", "457 + 68"];
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-gguf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("llama", "F32", 2e-3)]
    [InlineData("llama", "F16", 5e-2)]
    [InlineData("qwen2", "F32", 2e-3)]
    [InlineData("qwen2", "Q8_0", 2e-1)]
    public void Llama_cpp_reads_our_gguf_with_the_same_vocabulary_tokens_logits_and_greedy_text(string layout, string dtype, double tolerance)
    {
        var model = ModelTests.Tiny(qwen: layout == "qwen2", seed: 5);
        var tokenizer = new CharTokenizer();
        var path = Path.Combine(_dir, $"{layout}-{dtype}.gguf");
        GgufExport.Write(model, tokenizer, path, Enum.Parse<GgmlType>(dtype), "tiny");

        var parameters = new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0, Threads = 1, BatchSize = 256 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        Assert.Equal(tokenizer.VocabSize + 256, weights.Vocab.Count); // our characters, then llama.cpp's 256 byte tokens

        foreach (var prompt in Prompts)
        {
            var text = "<|bos|>" + prompt + "<|assistant|>";
            var theirs = context.Tokenize(text, addBos: false, special: true).Select(t => (int)t).ToList();
            var ours = tokenizer.Chat.Prompt(tokenizer, prompt);
            Assert.Equal(ours, theirs);

            var (theirLogits, theirGreedy) = LlamaCpp(context, ours, newTokens: 12, tokenizer.VocabSize, tokenizer.EosId);
            if (dtype != "Q8_0")
            {
                Assert.Equal(Greedy(model, tokenizer, ours, 12), theirGreedy); // quantized weights may pick another near-tie token
            }

            var mine = LastLogits(model, ours);
            double worst = mine.Select((v, i) => System.Math.Abs(v - theirLogits[i])).Max();
            Assert.True(worst < tolerance, $"{prompt}: largest logit difference {worst} ({dtype})");
        }
    }

    [Fact]
    public void The_permutation_for_llama_cpp_moves_each_heads_rotate_half_pairs_next_to_each_other()
    {
        // Head dim 4: rows (0, 1 | 2, 3) pair 0 with 2 and 1 with 3 in HF's rotate-half layout; llama.cpp wants 0, 2, 1, 3.
        using var rows = tensor(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }).reshape(8, 1);
        var permuted = GgufExport.Permute(rows, heads: 2).reshape(-1).data<float>().ToArray();
        Assert.Equal([0f, 2, 1, 3, 4, 6, 5, 7], permuted);
    }

    /// <summary>llama.cpp's logits after the prompt (first <paramref name="vocab"/> entries) and its greedy continuation, ended by a stop id as ours is.</summary>
    internal static (float[] Logits, List<int> Greedy) LlamaCpp(LLamaContext context, List<int> prompt, int newTokens, int vocab, params int[] stop)
    {
        var handle = context.NativeHandle;
        handle.MemoryClear(true);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Count; i++)
        {
            batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
        }

        Assert.Equal(DecodeResult.Ok, handle.Decode(batch));
        var first = handle.GetLogitsIth(batch.TokenCount - 1).ToArray()[..vocab];
        var greedy = new List<int>();
        var logits = first;
        for (int n = 0; n < newTokens; n++)
        {
            int next = Array.IndexOf(logits, logits.Max());
            if (stop.Contains(next))
            {
                break; // where our generator stops too
            }

            greedy.Add(next);
            batch.Clear();
            batch.Add(next, prompt.Count + n, LLamaSeqId.Zero, true);
            Assert.Equal(DecodeResult.Ok, handle.Decode(batch));
            logits = handle.GetLogitsIth(0).ToArray()[..vocab];
        }

        return (first, greedy);
    }

    [Theory]
    [InlineData("F32", 2e-3)]
    [InlineData("F16", 5e-2)]
    public void Llama_cpp_reads_a_byte_level_bpe_export_with_the_same_tokens_logits_and_greedy_text(string dtype, double tolerance)
    {
        var folder = Path.Combine(_dir, "bpe");
        Directory.CreateDirectory(folder);
        Gpt2TokenizerJson.Write(folder); // GPT-2's real vocabulary and merges
        var tokenizer = HfBpeTokenizer.Load(folder, ChatFormats.ChatMl);
        manual_seed(4);
        var model = new CausalLM(new ModelConfig
        {
            ModelType = "qwen2", VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, MaxPositionEmbeddings = 256, AttentionBias = true, EosTokenId = [50256],
        });
        var path = Path.Combine(_dir, $"bpe-{dtype}.gguf");
        GgufExport.Write(model, tokenizer, path, Enum.Parse<GgmlType>(dtype), "bpe");
        var metadata = GgufReader.Read(path);
        Assert.Equal("gpt2", metadata.Get<string>("tokenizer.ggml.model"));
        Assert.Equal(tokenizer.Chat.Jinja, metadata.Get<string>("tokenizer.chat_template"));
        var parameters = new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0, Threads = 1, BatchSize = 256 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        Assert.Equal(tokenizer.VocabSize, weights.Vocab.Count);
        foreach (var text in new[] { "457 + 268 = 725", "The answer is 1015.", "  spaces and\nnew lines", "café, naïve: 日本語 🙂", "I'm can't we'll" })
        {
            var ours = tokenizer.Encode(text);
            Assert.Equal(ours, context.Tokenize(text, addBos: false, special: false).Select(t => (int)t).ToList());
            var (theirLogits, theirGreedy) = LlamaCpp(context, ours, newTokens: 8, tokenizer.VocabSize, 50256);
            var mine = new TextGenerator(model, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer)).Generate([ours], new GenerationOptions { MaxNewTokens = 8 })[0];
            Assert.Equal(mine, theirGreedy);
            double worst = LastLogits(model, ours).Select((v, i) => System.Math.Abs(v - theirLogits[i])).Max();
            Assert.True(worst < tolerance, $"{text}: largest logit difference {worst} ({dtype})");
        }
    }

    private static List<int> Greedy(CausalLM model, CharTokenizer tokenizer, List<int> prompt, int newTokens) =>
        new TextGenerator(model, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer)).Generate([prompt], new GenerationOptions { MaxNewTokens = newTokens })[0];

    internal static float[] LastLogits(CausalLM model, List<int> prompt)
    {
        using var noGrad = no_grad();
        using var logits = model.Forward(tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0));
        return logits[0, -1].data<float>().ToArray();
    }
}
