using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

public sealed class ModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static CausalLM Tiny(bool qwen = false, long seed = 1)
    {
        manual_seed(seed);
        var config = ModelConfig.Preset("nano", new CharTokenizer().VocabSize) with
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
            ModelType = qwen ? "qwen2" : "llama", AttentionBias = qwen, TieWordEmbeddings = !qwen,
        };
        return new CausalLM(config);
    }

    [Fact]
    public void Parameter_names_and_shapes_follow_hugging_face_for_the_nano_preset()
    {
        var model = new CausalLM(ModelConfig.Preset("nano", 104));
        var names = model.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").ToList();
        Assert.Equal(
            [
                "model.embed_tokens.weight [104, 128]",
                "model.layers.0.input_layernorm.weight [128]",
                "model.layers.0.self_attn.q_proj.weight [128, 128]",
                "model.layers.0.self_attn.k_proj.weight [64, 128]",
                "model.layers.0.self_attn.v_proj.weight [64, 128]",
                "model.layers.0.self_attn.o_proj.weight [128, 128]",
                "model.layers.0.post_attention_layernorm.weight [128]",
                "model.layers.0.mlp.gate_proj.weight [384, 128]",
                "model.layers.0.mlp.up_proj.weight [384, 128]",
                "model.layers.0.mlp.down_proj.weight [128, 384]",
            ],
            names.Take(10));
        Assert.Equal("model.norm.weight [128]", names[^1]);
        Assert.Equal(2 + (4 * 9), names.Count);
        Assert.InRange(model.ParameterCount, 700_000, 900_000);
    }

    [Fact]
    public void Qwen2_layout_has_qkv_bias_and_an_untied_head()
    {
        var names = Tiny(qwen: true).named_parameters().Select(p => p.name).ToList();
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", names);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names);
        Assert.Equal("lm_head.weight", names[^1]);
    }

    [Fact]
    public void Output_with_the_kv_cache_equals_output_without_it_for_batched_prompts_of_different_lengths()
    {
        var model = Tiny();
        var tokenizer = new CharTokenizer();
        var prompts = new[] { "12+7", "(37+48)*12-5", "9" }.Select(q => (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, q)).ToList();
        var generator = new TextGenerator(model, tokenizer.PadId, [tokenizer.EosId]);
        var cached = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 24 });
        var uncached = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 24, UseCache = false });
        Assert.Equal(uncached, cached);

        // A prompt alone gives the same tokens as inside a padded batch.
        var alone = generator.Generate([prompts[0]], new GenerationOptions { MaxNewTokens = 24 });
        Assert.Equal(cached[0], alone[0]);
    }

    [Fact]
    public void The_kv_cache_grows_past_its_first_buffer_and_unpadded_batches_decode_as_single_rows_do()
    {
        var model = Tiny(qwen: true, seed: 3); // grouped-query attention: 4 query heads share 2 key/value heads
        var tokenizer = new CharTokenizer();
        var prompts = new[] { "12+7", "34+5", "6*78" }.Select(q => (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, q)).ToList(); // one length: no padding
        var generator = new TextGenerator(model, tokenizer.PadId, []); // no stop: 150 tokens, past the first 64-position buffer and its doubling
        var cached = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 150 });
        var uncached = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 150, UseCache = false });
        Assert.All(cached, row => Assert.Equal(150, row.Count));
        Assert.Equal(uncached, cached);
        Assert.Equal(cached[1], generator.Generate([prompts[1]], new GenerationOptions { MaxNewTokens = 150 })[0]);
    }

    [Fact]
    public void The_training_path_with_the_causal_flag_equals_the_explicit_mask_used_in_generation()
    {
        var model = Tiny();
        using var _ = no_grad();
        var ids = tensor(new long[,] { { 1, 20, 21, 22, 23, 4, 30 } });
        var causal = model.Forward(ids);
        var masked = model.Forward(ids, attentionMask: ones_like(ids));
        Assert.True(causal.allclose(masked, rtol: 1e-5, atol: 1e-5));

        // Changing a later token must not change earlier logits.
        var changed = ids.clone();
        changed[0, 6] = tensor(40L);
        var after = model.Forward(changed);
        Assert.True(causal.narrow(1, 0, 6).allclose(after.narrow(1, 0, 6), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sampling_is_reproducible_with_a_seed_and_top_k_one_is_greedy()
    {
        var model = Tiny();
        var tokenizer = new CharTokenizer();
        var prompts = new[] { (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, "3*4") };
        var generator = new TextGenerator(model, tokenizer.PadId, [tokenizer.EosId]);
        var a = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, Seed = 5 });
        var b = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, Seed = 5 });
        Assert.Equal(a, b);
        var topOne = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 16, Temperature = 0.7, TopK = 1 });
        var greedy = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 16 });
        Assert.Equal(greedy, topOne);
    }

    [Fact]
    public void Checkpoint_round_trips_exactly()
    {
        var model = Tiny(qwen: true);
        var tokenizer = new CharTokenizer();
        var path = Path.Combine(_dir, "ckpt");
        Checkpoint.Save(path, model, tokenizer);
        Assert.True(File.Exists(Path.Combine(path, "config.json")));
        Assert.True(File.Exists(Path.Combine(path, "tokenizer.json")));
        var (loaded, loadedTokenizer) = Checkpoint.Load(path);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(model.Config.Normalized()), System.Text.Json.JsonSerializer.Serialize(loaded.Config.Normalized())); // lists compare by content
        Assert.Equal(tokenizer.VocabSize, loadedTokenizer.VocabSize);
        var original = model.state_dict();
        foreach (var (name, tensor) in loaded.state_dict())
        {
            Assert.True(tensor.equal(original[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_with_the_file_and_the_problem()
    {
        var path = Path.Combine(_dir, "ckpt");
        Checkpoint.Save(path, Tiny(), new CharTokenizer());
        var weights = Path.Combine(path, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 100)]);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("model.safetensors: truncated: tensor", error.Message);
    }

    [Fact]
    public void A_checkpoint_that_does_not_match_its_config_is_refused()
    {
        var path = Path.Combine(_dir, "ckpt");
        Checkpoint.Save(path, Tiny(), new CharTokenizer());
        var config = File.ReadAllText(Path.Combine(path, "config.json")).Replace("\"intermediate_size\": 64", "\"intermediate_size\": 96", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(path, "config.json"), config);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("tensor 'model.layers.0.mlp.gate_proj.weight' has shape [64, 32] but config.json implies [96, 32]", error.Message);

        File.Delete(Path.Combine(path, "config.json"));
        Assert.Contains("config.json: file is missing", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void Tokenizer_keeps_tags_as_single_tokens_and_round_trips_through_tokenizer_json()
    {
        var tokenizer = new CharTokenizer();
        var ids = tokenizer.Encode("<think>\n1 + 2 = 3\n</think>\n<answer>3</answer>");
        Assert.Equal(tokenizer.IdOf("<think>"), ids[0]);
        Assert.Equal(tokenizer.IdOf("</answer>"), ids[^1]);
        tokenizer.Save(_dir);
        var loaded = CharTokenizer.Load(_dir);
        Assert.Equal(ids, loaded.Encode("<think>\n1 + 2 = 3\n</think>\n<answer>3</answer>"));
        Assert.Equal("<think>\n1 + 2 = 3\n</think>\n<answer>3</answer>", loaded.Decode(ids));
    }
}
