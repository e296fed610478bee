using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Hugging Face checkpoints in the real layouts of Llama-3.2, Qwen2.5, Qwen3 and Mistral, with random weights, written
/// by PyTorch (scripts/make_hf_checkpoint.py, not by Reasoner), one file or sharded, F32, BF16 or F16: our forward
/// pass against an independent PyTorch one (scripts/torch_forward_oracle.py). The checkpoints and the oracle's logits
/// are committed under tests/fixtures/hf/; with REASONER_LIVE_ORACLES=1 the oracle also runs now.
/// </summary>
public sealed class HfCheckpointTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private static readonly int[] Ids = [3, 17, 42, 99, 127, 0, 64, 5, 77, 31, 8, 120, 56, 2, 90, 11, 45, 101, 23, 66]; // longer than Mistral's window of 8
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-hf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string, int> Layouts => new()
    {
        { "llama", "F32", 1 }, { "llama", "F32", 2 }, { "llama", "BF16", 1 }, { "llama", "BF16", 2 },
        { "qwen2", "F32", 1 }, { "qwen2", "F32", 2 }, { "qwen2", "BF16", 1 }, { "qwen2", "BF16", 2 },
        { "qwen3", "F32", 1 }, { "qwen3", "F32", 2 }, { "qwen3", "BF16", 1 }, { "qwen3", "BF16", 2 },
        { "mistral", "F32", 1 }, { "mistral", "F32", 2 }, { "mistral", "BF16", 1 }, { "mistral", "BF16", 2 }, { "mistral", "F16", 2 },
        { "mixtral", "F32", 1 }, { "mixtral", "BF16", 2 },
    };

    private static string Folder(string arch, string dtype, int shards) => Oracles.FixturePath(Path.Combine("hf", $"{arch}-{dtype.ToLowerInvariant()}{(shards > 1 ? "-sharded" : string.Empty)}"));

    [Theory]
    [Trait("Category", "Oracle")]
    [MemberData(nameof(Layouts))]
    public void A_random_weight_checkpoint_in_a_real_layout_matches_an_independent_pytorch_forward_pass(string arch, string dtype, int shards)
    {
        var folder = Folder(arch, dtype, shards);
        var logitsPath = folder + ".logits.json";
        if (Oracles.Record)
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Oracles.RunScript(Oracles.SystemPython, "make_hf_checkpoint.py", [arch, folder, "--dtype", dtype, "--shards", shards.ToString(CultureInfo.InvariantCulture)], null, "install python3-torch");
        }

        using var model = Checkpoint.LoadModel(folder);
        Assert.Equal(arch, model.Config.ModelType);
        var ours = Logits(model);
        if (Oracles.Live)
        {
            var output = Oracles.RunScript(Oracles.SystemPython, "torch_forward_oracle.py", [folder, .. Ids.Select(i => i.ToString(CultureInfo.InvariantCulture))], null, "install python3-torch; .ci/run does");
            AssertClose(ours, JsonSerializer.Deserialize<float[][]>(output)!, "PyTorch (live)");
            if (Oracles.Record)
            {
                var record = new JsonObject
                {
                    ["provenance"] = Oracles.Provenance(Oracles.SystemPython, "torch_forward_oracle.py", "torch"),
                    ["checkpoint"] = $"scripts/make_hf_checkpoint.py {arch} --dtype {dtype} --shards {shards}",
                    ["ids"] = new JsonArray(Ids.Select(i => (JsonNode)i).ToArray()),
                    ["logits"] = JsonNode.Parse(output),
                };
                Reasoner.Math.Data.AtomicFile.WriteAllText(logitsPath, record.ToJsonString() + "\n");
            }
        }

        var fixture = JsonNode.Parse(File.ReadAllText(logitsPath))!;
        Assert.Equal(Ids, fixture["ids"]!.AsArray().Select(i => i!.GetValue<int>()));
        AssertClose(ours, fixture["logits"].Deserialize<float[][]>()!, $"PyTorch ({Path.GetFileName(logitsPath)})");
    }

    [Fact]
    public void A_safetensors_export_is_a_folder_transformers_opens_and_loads_back_to_the_same_logits()
    {
        using var model = Checkpoint.LoadModel(Folder("qwen3", "F32", 1));
        var folder = Path.Combine(_dir, "export");
        Reasoner.Model.Export.HfExport.Write(model, new Reasoner.Model.Tokenization.CharTokenizer(), folder, ScalarType.BFloat16);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal("Qwen3ForCausalLM", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal("qwen3", config["model_type"]!.GetValue<string>());
        Assert.Equal("bfloat16", config["torch_dtype"]!.GetValue<string>());
        Assert.Equal(16, config["head_dim"]!.GetValue<int>());
        var header = SafetensorsHeader.Read(Path.Combine(folder, "model.safetensors"));
        Assert.Equal(model.state_dict().Keys.Order(StringComparer.Ordinal), header.Keys.Order(StringComparer.Ordinal)); // transformers' key names
        Assert.Contains("model.layers.0.self_attn.q_norm.weight", header.Keys);
        Assert.All(header.Values, t => Assert.Equal("BF16", t.Dtype));
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "generation_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        using var back = Checkpoint.LoadModel(folder);
        AssertClose(Logits(model), Logits(back), 0.25, "the bf16 export"); // bf16 rounding only
    }

    [Fact]
    public void Config_json_keeps_the_real_field_meanings()
    {
        var llama = ModelConfig.Load(Path.Combine(Folder("llama", "F32", 1), "config.json"));
        Assert.Equal([128001, 128008, 128009], llama.EosTokenId!);
        Assert.Equal("llama3", llama.RopeScalingKind);
        Assert.Equal(12, llama.HeadDim);
        var qwen2 = ModelConfig.Load(Path.Combine(Folder("qwen2", "F32", 1), "config.json"));
        Assert.True(qwen2.QkvBias); // Qwen2 has q/k/v bias although its config.json has no attention_bias field
        Assert.Null(qwen2.AttentionWindow); // use_sliding_window is false
        var qwen3 = ModelConfig.Load(Path.Combine(Folder("qwen3", "F32", 1), "config.json"));
        Assert.True(qwen3.QkNorm);
        Assert.False(qwen3.QkvBias);
        Assert.Equal(8, ModelConfig.Load(Path.Combine(Folder("mistral", "F32", 1), "config.json")).AttentionWindow);
    }

    [Theory]
    [InlineData("architecture", "architecture 'GPT2LMHeadModel' is not supported")]
    [InlineData("rope", "rope_scaling rope_type 'yarn' is not implemented")]
    [InlineData("activation", "hidden_act 'gelu' is not supported")]
    [InlineData("missing", "tensor 'model.norm.weight' is missing")]
    [InlineData("extra", "unexpected tensor 'lm_head.weight'")]
    [InlineData("shape", "has shape [64, 48] but config.json implies [128, 48]")]
    [InlineData("truncated", "truncated")]
    [InlineData("lost-shard", "names shard 'model-00002-of-00002.safetensors'")]
    public void A_checkpoint_that_is_not_what_it_claims_is_refused_naming_the_file_and_the_tensor(string damage, string message)
    {
        var folder = Path.Combine(_dir, damage);
        CopyFolder(Folder("qwen2", "BF16", 2), folder);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        switch (damage)
        {
            case "architecture": config["architectures"] = new JsonArray("GPT2LMHeadModel"); break;
            case "rope": config["rope_scaling"] = new JsonObject { ["rope_type"] = "yarn", ["factor"] = 4.0 }; break;
            case "activation": config["hidden_act"] = "gelu"; break;
            case "missing": RewriteWithout(folder, "model.norm.weight"); break;
            case "extra": AddTensor(folder, "model.norm.weight", "lm_head.weight"); break; // the model ties its embeddings: no lm_head
            case "shape": config["vocab_size"] = 128; RewriteVocab(folder, 64); break;
            case "truncated": Truncate(Path.Combine(folder, "model-00002-of-00002.safetensors")); break;
            case "lost-shard": File.Delete(Path.Combine(folder, "model-00002-of-00002.safetensors")); break;
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        var error = Assert.ThrowsAny<Exception>(() => Checkpoint.LoadModel(folder));
        Assert.True(error is CheckpointException or ArgumentException, error.ToString());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal); // the file (or folder) is named
    }

    private static float[][] Logits(CausalLM model)
    {
        using var noGrad = no_grad();
        var logits = model.Forward(tensor(Ids.Select(i => (long)i).ToArray()).unsqueeze(0)).squeeze(0);
        var flat = logits.data<float>().ToArray();
        int vocab = (int)logits.shape[1];
        return Enumerable.Range(0, (int)logits.shape[0]).Select(t => flat.AsSpan(t * vocab, vocab).ToArray()).ToArray();
    }

    private static void AssertClose(float[][] ours, float[][] reference, string source) => AssertClose(ours, reference, Tolerance, source);

    private static void AssertClose(float[][] ours, float[][] reference, double tolerance, string source)
    {
        Assert.Equal(ours.Length, reference.Length);
        double worst = 0;
        for (int t = 0; t < reference.Length; t++)
        {
            for (int v = 0; v < reference[t].Length; v++)
            {
                worst = System.Math.Max(worst, System.Math.Abs(ours[t][v] - reference[t][v]));
            }
        }

        Assert.True(worst < tolerance, $"largest logit difference from {source}: {worst}");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>Rewrites the shard that holds <paramref name="name"/> through <paramref name="edit"/> (header and data alike).</summary>
    private static void EditShard(string folder, string name, Func<Dictionary<string, (TensorEntry Entry, byte[] Data)>, Dictionary<string, (TensorEntry Entry, byte[] Data)>> edit)
    {
        var located = WeightLoader.Index(folder);
        var file = located[name].File;
        var bytes = File.ReadAllBytes(file);
        long start = 8 + BitConverter.ToInt64(bytes, 0);
        var tensors = SafetensorsHeader.Read(file).ToDictionary(kv => kv.Key, kv => (kv.Value, bytes[(int)(start + kv.Value.Begin)..(int)(start + kv.Value.End)]));
        var edited = edit(tensors);
        var header = new JsonObject();
        long offset = 0;
        foreach (var (key, (entry, data)) in edited)
        {
            header[key] = new JsonObject { ["dtype"] = entry.Dtype, ["shape"] = new JsonArray(entry.Shape.Select(s => (JsonNode)s).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + data.Length) };
            offset += data.Length;
        }

        var text = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        using var output = File.Create(file);
        output.Write(BitConverter.GetBytes((long)text.Length));
        output.Write(text);
        foreach (var (_, data) in edited.Values)
        {
            output.Write(data);
        }
    }

    private static void RewriteWithout(string folder, string name) => EditShard(folder, name, t => t.Where(kv => kv.Key != name).ToDictionary());

    private static void AddTensor(string folder, string besides, string name) => EditShard(folder, besides, t => t.Append(new(name, t[besides])).ToDictionary());

    private static void RewriteVocab(string folder, int rows) => EditShard(folder, "model.embed_tokens.weight", t => t.ToDictionary(kv => kv.Key, kv => kv.Key != "model.embed_tokens.weight"
        ? kv.Value
        : (kv.Value.Entry with { Shape = [rows, kv.Value.Entry.Shape[1]] }, kv.Value.Data[..(int)(rows * kv.Value.Entry.Shape[1] * 2)])));

    private static void Truncate(string file)
    {
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 100)]);
    }
}
