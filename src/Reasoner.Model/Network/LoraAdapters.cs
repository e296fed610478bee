// LoRA adapters beside a frozen model (Hu et al., 2021; PEFT's LoraConfig): for each targeted projection W of every
// layer, y = W x + (alpha / r) * B (A dropout(x)), with A (r x in) drawn like PEFT's (Kaiming-uniform) and B (out x r)
// zero, so training starts from the base model exactly. The adapters live outside CausalLM's own state dict: the
// base keeps its Hugging Face names, and the adapters save as PEFT does (adapter_config.json, adapter_model.safetensors
// with base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight). Turning them off gives the base model back,
// which is GRPO's reference with no second copy of the weights. Dropout masks come from a generator seeded per step,
// so a resumed run draws the same masks.
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reasoner.Model.Network;

/// <summary>PEFT's LoraConfig, with its field names.</summary>
public sealed record LoraConfig
{
    public static readonly IReadOnlyList<string> AllTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    [JsonPropertyName("peft_type")]
    public string PeftType { get; init; } = "LORA";

    [JsonPropertyName("task_type")]
    public string TaskType { get; init; } = "CAUSAL_LM";

    [JsonPropertyName("r")]
    public int R { get; init; } = 8;

    [JsonPropertyName("lora_alpha")]
    public double LoraAlpha { get; init; } = 16;

    [JsonPropertyName("lora_dropout")]
    public double LoraDropout { get; init; }

    [JsonPropertyName("target_modules")]
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; init; }

    [JsonPropertyName("bias")]
    public string Bias { get; init; } = "none";

    [JsonPropertyName("fan_in_fan_out")]
    public bool FanInFanOut { get; init; }

    [JsonPropertyName("inference_mode")]
    public bool InferenceMode { get; init; } = true;

    [JsonPropertyName("use_rslora")]
    public bool UseRslora { get; init; }

    [JsonPropertyName("use_dora")]
    public bool UseDora { get; init; }

    [JsonIgnore]
    public double Scaling => LoraAlpha / R;

    public LoraConfig Validate()
    {
        if (R < 1 || LoraAlpha <= 0 || LoraDropout is < 0 or >= 1)
        {
            throw new ArgumentException($"LoRA needs r >= 1, lora_alpha > 0 and 0 <= lora_dropout < 1 (got r {R}, alpha {LoraAlpha}, dropout {LoraDropout})");
        }

        if (TargetModules.Count == 0 || TargetModules.FirstOrDefault(t => !AllTargets.Contains(t)) is { } unknown)
        {
            throw new ArgumentException($"lora target '{TargetModules.FirstOrDefault()}' is not one of {string.Join(", ", AllTargets)}");
        }

        if (UseRslora || UseDora || Bias != "none" || FanInFanOut)
        {
            throw new ArgumentException("rsLoRA, DoRA, LoRA biases and fan_in_fan_out are not supported; plain LoRA is");
        }

        return this;
    }
}

public sealed class LoraAdapters : nn.Module
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private readonly Dictionary<(int Layer, string Target), (Parameter A, Parameter B)> _adapters = [];
    private readonly Scalar _scaling;
    private Generator? _dropout;

    public LoraAdapters(ModelConfig model, LoraConfig config)
        : base("lora")
    {
        Config = config.Validate();
        if (model.IsMoe && config.TargetModules.FirstOrDefault(t => t is "gate_proj" or "up_proj" or "down_proj") is { } mlp)
        {
            throw new ArgumentException($"lora target '{mlp}': this is a mixture-of-experts model, whose MLPs are experts (w1, w2, w3), and LoRA on experts is not implemented; target the attention projections (q_proj, k_proj, v_proj, o_proj)");
        }

        _scaling = config.Scaling.ToScalar();
        for (int layer = 0; layer < model.NumHiddenLayers; layer++)
        {
            foreach (var target in config.TargetModules)
            {
                var (inputs, outputs) = Shape(model, target);
                var a = empty(config.R, inputs);
                nn.init.kaiming_uniform_(a, a: System.Math.Sqrt(5)); // PEFT's and nn.Linear's default
                var pair = (new Parameter(a), new Parameter(zeros(outputs, config.R)));
                _adapters[(layer, target)] = pair;
                register_parameter($"layers_{layer}_{target}_lora_A", pair.Item1);
                register_parameter($"layers_{layer}_{target}_lora_B", pair.Item2);
            }
        }
    }

    public LoraConfig Config { get; }

    /// <summary>False computes the base model alone (GRPO's reference).</summary>
    public bool Enabled { get; set; } = true;

    public long TrainableCount => _adapters.Values.Sum(p => p.A.numel() + p.B.numel());

    /// <summary>Seeds this step's dropout masks, so a resumed run draws the same ones.</summary>
    public void SeedDropout(long seed)
    {
        if (Config.LoraDropout > 0)
        {
            _dropout ??= new Generator();
            _dropout.manual_seed(seed);
        }
    }

    /// <summary>The adapter's contribution added to a projection's output, when this layer and target have one.</summary>
    /// <param name="training">The calling layer's mode: dropout only while training.</param>
    internal Tensor Apply(int layer, string target, Tensor input, Tensor output, bool training)
    {
        if (!Enabled || !_adapters.TryGetValue((layer, target), out var pair))
        {
            return output;
        }

        var x = input;
        if (Config.LoraDropout > 0 && training)
        {
            using Scalar keep = (1 - Config.LoraDropout).ToScalar();
            var mask = rand(input.shape, generator: _dropout, dtype: input.dtype).lt(keep).to_type(input.dtype);
            x = input * mask / keep;
        }

        if (x.dtype != pair.A.dtype)
        {
            x = x.to_type(pair.A.dtype);
        }

        var delta = nn.functional.linear(nn.functional.linear(x, pair.A), pair.B).mul(_scaling);
        return output.Plus(delta.dtype == output.dtype ? delta : delta.to_type(output.dtype));
    }

    /// <summary>Tensors under PEFT's names: base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight.</summary>
    public Dictionary<string, Tensor> PeftTensors() => _adapters.SelectMany(kv => new[]
    {
        (Key: PeftName(kv.Key.Layer, kv.Key.Target, "lora_A"), Value: (Tensor)kv.Value.A),
        (Key: PeftName(kv.Key.Layer, kv.Key.Target, "lora_B"), Value: (Tensor)kv.Value.B),
    }).ToDictionary(p => p.Key, p => p.Value);

    public static string PeftName(int layer, string target, string matrix) => $"base_model.model.{BaseName(layer, target)[..^".weight".Length]}.{matrix}.weight";

    /// <summary>The HF key of the base weight an adapter modifies.</summary>
    public static string BaseName(int layer, string target) =>
        $"model.layers.{layer}.{(target is "gate_proj" or "up_proj" or "down_proj" ? "mlp" : "self_attn")}.{target}.weight";

    /// <summary>W += (alpha / r) B A for every adapter: the merged model computes what base + adapters did.</summary>
    public void MergeInto(CausalLM model)
    {
        using var noGrad = no_grad();
        var weights = model.state_dict();
        foreach (var ((layer, target), (a, b)) in _adapters)
        {
            var weight = weights[BaseName(layer, target)];
            using var delta = b.matmul(a).mul(_scaling).to_type(weight.dtype);
            weight.PlusInPlace(delta);
        }
    }

    /// <summary>adapter_config.json and adapter_model.safetensors, as PEFT's save_pretrained writes them.</summary>
    public void Save(string directory, string baseModel)
    {
        Directory.CreateDirectory(directory);
        var config = Config with { BaseModelNameOrPath = baseModel };
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(config, Reasoner.Math.Data.JsonText.Indented) + "\n");
        using var scope = NewDisposeScope();
        TorchSharp.PyBridge.Safetensors.SaveStateDict(Path.Combine(directory, WeightsFile), PeftTensors().ToDictionary(kv => kv.Key, kv => kv.Value.detach().contiguous()));
    }

    /// <summary>Reads an adapter folder written by PEFT or by <see cref="Save"/>; every expected tensor must be there with its shape.</summary>
    public static LoraAdapters Load(string directory, ModelConfig model)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var config = JsonSerializer.Deserialize<LoraConfig>(File.ReadAllText(configPath)) ?? throw new Checkpoints.CheckpointException(configPath, "empty");
        var adapters = new LoraAdapters(model, config);
        var path = Path.Combine(directory, WeightsFile);
        var entries = Checkpoints.SafetensorsHeader.Read(path);
        var expected = adapters.PeftTensors();
        foreach (var (name, tensor) in expected)
        {
            if (!entries.TryGetValue(name, out var entry) || !entry.Shape.SequenceEqual(tensor.shape))
            {
                throw new Checkpoints.CheckpointException(path, entry is null ? $"missing tensor '{name}'" : $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", tensor.shape)}]");
            }
        }

        var loaded = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
        using (no_grad())
        {
            foreach (var (name, tensor) in expected)
            {
                tensor.copy_(loaded[name]);
            }
        }

        foreach (var t in loaded.Values)
        {
            t.Dispose();
        }

        return adapters;
    }

    private static (long Inputs, long Outputs) Shape(ModelConfig model, string target) => target switch
    {
        "q_proj" => (model.HiddenSize, model.NumAttentionHeads * model.HeadDim),
        "k_proj" or "v_proj" => (model.HiddenSize, model.NumKeyValueHeads * model.HeadDim),
        "o_proj" => (model.NumAttentionHeads * model.HeadDim, model.HiddenSize),
        "gate_proj" or "up_proj" => (model.HiddenSize, model.IntermediateSize),
        _ => (model.IntermediateSize, model.HiddenSize),
    };
}
