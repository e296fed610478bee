using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Folders that transformers 5.17 itself saved (scripts/device/make_transformers5_checkpoints.py, run on the GPU
/// machine; tests/fixtures/hf5/): rope_parameters instead of rope_theta/rope_scaling, dtype instead of torch_dtype,
/// chat_template.jinja beside a tokenizer_config.json without one. Reasoner loads each with no flag and agrees with
/// transformers' own prompt, prompt ids, greedy tokens, their log-probabilities and the last position's top 5.
/// </summary>
public sealed class Transformers5CheckpointTests(ITestOutputHelper output)
{
    private static readonly string Dir = Oracles.FixturePath("hf5");

    public static TheoryData<string> Folders => [.. Directory.GetFiles(Dir, "*.reference.json").Select(f => Path.GetFileName(f)[..^".reference.json".Length]).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_saved_by_transformers_5_loads_with_its_chat_template_and_matches_transformers(string name)
    {
        var folder = Path.Combine(Dir, name);
        var reference = JsonNode.Parse(File.ReadAllText(folder + ".reference.json"))!;
        Assert.True(File.Exists(Path.Combine(folder, "chat_template.jinja")));
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!["chat_template"]);

        var (model, tokenizer) = Checkpoint.Load(folder);
        using var _ = model;
        Assert.Equal("chatml", tokenizer.Chat.Name);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal(config["rope_parameters"]!["rope_theta"]!.GetValue<double>(), model.Config.RopeTheta);
        bool bf16 = name.Contains("bf16", StringComparison.Ordinal);
        // transformers computed the bf16 folders in bf16, we compute in fp32: dense models stay within a few hundredths;
        // a mixture of experts can route a token to another expert where two router scores tie in bf16, so only its
        // prompt, ids and first greedy token are held to the dense bound (the figure is printed and in the docs).
        double tolerance = !bf16 ? 1e-4 : model.Config.IsMoe ? double.PositiveInfinity : 0.1;

        foreach (var (text, ids) in reference["texts"]!.AsObject())
        {
            Assert.Equal(ids!.AsArray().Select(i => i!.GetValue<int>()), tokenizer.Encode(text));
        }

        double worst = 0;
        foreach (var prompt in reference["prompts"]!.AsArray())
        {
            var promptText = tokenizer.Chat.Render([("user", prompt!["question"]!.GetValue<string>())]);
            Assert.Equal(prompt["prompt"]!.GetValue<string>(), promptText);
            var promptIds = prompt["prompt_ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToList();
            Assert.Equal(promptIds, tokenizer.Encode(promptText));

            // Teacher-forced on transformers' greedy tokens, up to the first special token (it ran without an end token).
            var greedy = prompt["greedy_ids"]!.AsArray().Select(i => i!.GetValue<int>()).ToList();
            var logprobs = prompt["greedy_logprobs"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
            int kept = greedy.FindIndex(id => id == tokenizer.Chat.StopIds(tokenizer)[0]) is var stop and >= 0 ? stop + 1 : greedy.Count;
            using var noGrad = no_grad();
            var all = tensor(promptIds.Concat(greedy.Take(kept)).Select(i => (long)i).ToArray()).unsqueeze(0);
            var ours = nn.functional.log_softmax(model.Forward(all).squeeze(0).to_type(ScalarType.Float32), 1); // (T, V)
            for (int k = 0; k < kept; k++)
            {
                var row = ours[promptIds.Count - 1 + k];
                double diff = System.Math.Abs(row[greedy[k]].item<float>() - logprobs[k]);
                worst = System.Math.Max(worst, diff);
                Assert.True(diff <= (k == 0 ? System.Math.Min(tolerance, 0.1) : tolerance), $"{name}: token {k} log-prob differs by {diff}");
                if (!bf16)
                {
                    Assert.Equal(greedy[k], (int)row.argmax().item<long>());
                }
            }

            var last = ours[promptIds.Count - 1];
            foreach (var pair in prompt["last_top5"]!.AsArray())
            {
                Assert.True(System.Math.Abs(last[pair![0]!.GetValue<int>()].item<float>() - pair[1]!.GetValue<double>()) <= System.Math.Min(tolerance, 0.1));
            }
        }

        output.WriteLine($"{name}: max |log-prob difference| {worst:E2} over two prompts");
    }

    [Theory]
    [InlineData("rope_parameters", """{"rope_theta": 1000000.0, "rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32}""", "rope_type 'yarn' is not implemented")]
    [InlineData("rope_parameters", """{"rope_theta": 1000000.0, "rope_type": "default", "partial_rotary_factor": 0.5}""", "rope_parameters.partial_rotary_factor")]
    [InlineData("rope_parameters", """{"rope_type": "default"}""", "has no rope_theta")]
    [InlineData("rope_parameters", """{"rope_theta": 10000.0, "rope_type": "llama3", "factor": 8.0}""", "has no low_freq_factor")]
    [InlineData("rope_theta", "10000.0", "rope_parameters.rope_theta 1000000.0 and rope_theta 10000.0 disagree")]
    [InlineData("torch_dtype", "\"bfloat16\"", "dtype \"float32\" and torch_dtype \"bfloat16\" disagree")]
    [InlineData("logit_softcapping", "30.0", "field 'logit_softcapping' is not one Reasoner implements")]
    [InlineData("attention_dropout", "0.1", "attention_dropout 0.1 is not supported")]
    [InlineData("layer_types", """["full_attention", "sliding_attention", "full_attention"]""", "layer_types [full_attention, sliding_attention]")]
    public void A_config_field_Reasoner_does_not_implement_is_refused_by_name(string field, string json, string message)
    {
        var dir = Directory.CreateTempSubdirectory("reasoner-hf5-").FullName;
        try
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "qwen2-f32", "config.json")))!.AsObject();
            config[field] = JsonNode.Parse(json);
            var path = Path.Combine(dir, "config.json");
            File.WriteAllText(path, config.ToJsonString());
            var error = Assert.Throws<ArgumentException>(() => ModelConfig.Load(path));
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_4x_spelling_and_the_5x_spelling_of_the_same_config_load_the_same_model_config()
    {
        var dir = Directory.CreateTempSubdirectory("reasoner-hf5-").FullName;
        try
        {
            var five = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "llama-f32", "config.json")))!.AsObject();
            var four = (JsonObject)five.DeepClone();
            var rope = four["rope_parameters"]!.AsObject();
            four["rope_theta"] = rope["rope_theta"]!.DeepClone();
            rope.Remove("rope_theta");
            four["rope_scaling"] = rope.DeepClone();
            four.Remove("rope_parameters");
            four["torch_dtype"] = four["dtype"]!.DeepClone();
            four.Remove("dtype");
            File.WriteAllText(Path.Combine(dir, "five.json"), five.ToJsonString());
            File.WriteAllText(Path.Combine(dir, "four.json"), four.ToJsonString());
            var a = ModelConfig.Load(Path.Combine(dir, "five.json"));
            var b = ModelConfig.Load(Path.Combine(dir, "four.json"));
            Assert.Equal(500000.0, a.RopeTheta);
            Assert.Equal("llama3", a.RopeScalingKind);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(b), System.Text.Json.JsonSerializer.Serialize(a));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
