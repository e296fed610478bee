using System.Text;
using System.Text.Json.Nodes;
using LLama;
using LLama.Common;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Export;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Testing;
using Reasoner.Training.Sft;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// The README's "Bring your own model" recipe as a user runs it, on a folder shaped like Qwen2.5-Instruct's (Qwen2
/// layout, bf16 on disk, a byte-level BPE tokenizer.json with ChatML's added tokens, a chat_template with Qwen's default
/// system message) with random weights and GPT-2's real vocabulary standing in for Qwen's: LoRA cold start, GRPO,
/// merge, GGUF export, and llama.cpp decoding the export as we do.
/// </summary>
public sealed class BringYourOwnModelTests : IDisposable
{
    private const string QwenLikeTemplate =
        "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
        + "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}"
        + "{%- for message in messages %}{%- if message.role != 'system' %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endif %}{%- endfor %}"
        + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    private const int ImStart = 50257;
    private const int ImEnd = 50258;

    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-byom-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_completion_only_loss_mask_follows_the_models_own_chat_template()
    {
        var folder = WriteQwenLikeFolder(Path.Combine(_dir, "base"));
        var tokenizer = TokenizerFiles.Load(folder);
        Assert.Equal("qwen2.5", tokenizer.Chat.Name); // ChatML with Qwen's default system message
        var data = Path.Combine(_dir, "cot.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-2d", Count = 5, Seed = 1, Style = Reasoner.Math.Tracing.TraceStyle.Digit, Compact = true }, data);
        var records = DatasetReader.Read(data).ToList();
        var rows = SftData.Load(data, tokenizer, 1024).Rows;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var rendered = $"<|im_start|>system\n{ChatFormats.QwenDefaultSystem}<|im_end|>\n<|im_start|>user\n{records[i].Prompt}<|im_end|>\n<|im_start|>assistant\n";
            Assert.Equal(tokenizer.Encode(rendered), row.Tokens.Take(row.PromptLength)); // what the template renders, Qwen's default system included
            var trained = row.Tokens.Skip(row.PromptLength).ToList();
            Assert.Equal(ImEnd, trained[^1]); // the end-of-turn marker is trained on: it is what stops decoding
            Assert.Equal(records[i].Completion, tokenizer.Decode(trained));
            Assert.DoesNotContain(ImStart, trained);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_qwen_shaped_folder_goes_through_lora_cold_start_grpo_merge_and_a_gguf_that_llama_cpp_decodes_as_we_do()
    {
        var folder = WriteQwenLikeFolder(Path.Combine(_dir, "Qwen-like"));
        var data = Path.Combine(_dir, "cot.jsonl");
        Run("generate", "--preset", "add-2d", "--count", "60", "--style", "digit", "--compact", "--seed", "3", "--out", data);

        var sft = Path.Combine(_dir, "cold-start");
        Run("train", "--init-from", folder, "--data", data, "--lora-r", "4", "--lora-alpha", "8", "--lora-targets", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
            "--lr", "1e-3", "--max-steps", "3", "--batch-tokens", "2048", "--out", sft);
        var adapters = Directory.GetDirectories(Path.Combine(sft, "checkpoints")).Single(d => Path.GetFileName(d).StartsWith("checkpoint-", StringComparison.Ordinal) && d.EndsWith("3", StringComparison.Ordinal));
        var adapterConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(adapters, "adapter_config.json")))!;
        Assert.Equal("LORA", adapterConfig["peft_type"]!.GetValue<string>());
        Assert.Equal(4, adapterConfig["r"]!.GetValue<int>());
        Assert.Equal(Path.GetFullPath(folder), adapterConfig["base_model_name_or_path"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(adapters, "model.safetensors"))); // adapters only, never a second copy of the base
        var keys = SafetensorsKeys(Path.Combine(adapters, "adapter_model.safetensors"));
        Assert.Equal(2 * 2 * 7, keys.Count); // 2 layers x 7 targets x (A, B)
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", keys);
        Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", keys);

        var rl = Path.Combine(_dir, "r1");
        Run("grpo", "--init-from", sft, "--data", data, "--lora-r", "4", "--max-steps", "1", "--prompts", "2", "-G", "2", "--max-new-tokens", "8", "--out", rl);
        var merged = Path.Combine(_dir, "r1-merged");
        Run("merge", rl, "--out", merged);
        var gguf = Path.Combine(_dir, "r1.gguf");
        Run("export", merged, "--format", "gguf", "--dtype", "f32", "--out", gguf);
        Assert.Contains("answer", Run("solve", "12 + 7", "--model", merged, "--max-new-tokens", "8").Output, StringComparison.OrdinalIgnoreCase);

        var (model, tokenizer) = Checkpoint.Load(merged);
        Assert.Equal("qwen2", model.Config.ModelType);
        var prompt = tokenizer.Chat.Prompt(tokenizer, "12 + 7");
        var parameters = new ModelParams(gguf) { ContextSize = 256, GpuLayerCount = 0, Threads = 1, BatchSize = 256 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        Assert.Equal(tokenizer.VocabSize, weights.Vocab.Count);
        var rendered = $"<|im_start|>system\n{ChatFormats.QwenDefaultSystem}<|im_end|>\n<|im_start|>user\n12 + 7<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(prompt, context.Tokenize(rendered, addBos: false, special: true).Select(t => (int)t).ToList());
        var stops = tokenizer.Chat.StopIds(tokenizer).ToArray();
        var (theirLogits, theirGreedy) = GgufExportTests.LlamaCpp(context, prompt, newTokens: 12, tokenizer.VocabSize, stops);
        var ours = new TextGenerator(model, tokenizer.PadId, stops).Generate([prompt], new GenerationOptions { MaxNewTokens = 12 })[0];
        Assert.NotEmpty(ours);
        Assert.Equal(ours, theirGreedy);
        double worst = GgufExportTests.LastLogits(model, prompt).Select((v, i) => System.Math.Abs(v - theirLogits[i])).Max();
        Assert.True(worst < 2e-3, $"largest logit difference {worst}");
    }

    /// <summary>A Qwen2.5-Instruct-shaped folder: GPT-2's vocabulary plus ChatML's two added tokens, random qwen2 weights in bf16.</summary>
    private static string WriteQwenLikeFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        Gpt2TokenizerJson.Write(folder);
        var path = Path.Combine(folder, "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var added = json["added_tokens"]!.AsArray();
        added.Add(new JsonObject { ["id"] = ImStart, ["content"] = "<|im_start|>", ["special"] = true });
        added.Add(new JsonObject { ["id"] = ImEnd, ["content"] = "<|im_end|>", ["special"] = true });
        File.WriteAllText(path, json.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["chat_template"] = QwenLikeTemplate, ["eos_token"] = "<|im_end|>", ["pad_token"] = "<|endoftext|>",
        }.ToJsonString());
        var tokenizer = TokenizerFiles.Load(folder);
        manual_seed(2);
        using var model = new CausalLM(new ModelConfig
        {
            ModelType = "qwen2", VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, MaxPositionEmbeddings = 512, AttentionBias = true, TieWordEmbeddings = true, EosTokenId = [ImEnd],
        });
        HfExport.Write(model, tokenizer, folder, ScalarType.BFloat16);
        return folder;
    }

    private static List<string> SafetensorsKeys(string path)
    {
        using var stream = File.OpenRead(path);
        var length = new byte[8];
        stream.ReadExactly(length);
        var header = new byte[BitConverter.ToInt64(length)];
        stream.ReadExactly(header);
        return JsonNode.Parse(Encoding.UTF8.GetString(header))!.AsObject().Select(p => p.Key).Where(k => k != "__metadata__").ToList();
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var (code, output, error) = ReasonerProcess.Run(args);
        Assert.True(code == 0, $"reasoner {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
        return (code, output);
    }
}
