// The network's shape, with Hugging Face config.json names so a checkpoint folder opens in HF tools.
// Presets live under configs/models/ (nano ≈ 0.8M, micro ≈ 4.8M, mini ≈ 19M parameters).
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reasoner.Model.Network;

public sealed record ModelConfig
{
    /// <summary>"llama" (no attention bias) or "qwen2" (bias on q, k, v).</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "llama";

    [JsonPropertyName("architectures")]
    public IReadOnlyList<string> Architectures => [ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"];

    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 128;

    /// <summary>Width of the residual stream (C).</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 128;

    /// <summary>Width of the SwiGLU MLP; about 8/3 * C rounded is the Llama choice.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; } = 384;

    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; init; } = 4;

    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; init; } = 4;

    /// <summary>Grouped-query attention: heads share K/V in groups of NumAttentionHeads / NumKeyValueHeads.</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int NumKeyValueHeads { get; init; } = 2;

    /// <summary>Longest sequence (prompt + completion) the rotary tables cover.</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 1024;

    [JsonPropertyName("rms_norm_eps")]
    public double RmsNormEps { get; init; } = 1e-5;

    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; init; } = 10000.0;

    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Bias on q/k/v projections (Qwen2); Llama has none.</summary>
    [JsonPropertyName("attention_bias")]
    public bool AttentionBias { get; init; }

    [JsonPropertyName("torch_dtype")]
    public string TorchDtype { get; init; } = "float32";

    [JsonPropertyName("bos_token_id")]
    public int BosTokenId { get; init; } = 1;

    [JsonPropertyName("eos_token_id")]
    public int EosTokenId { get; init; } = 2;

    [JsonIgnore]
    public int HeadDim => HiddenSize / NumAttentionHeads;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public ModelConfig Validate()
    {
        if (HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || VocabSize <= 0 || IntermediateSize <= 0)
        {
            throw new ArgumentException("hidden_size, intermediate_size, num_hidden_layers, num_attention_heads and vocab_size must be positive");
        }

        if (HiddenSize % NumAttentionHeads != 0 || HeadDim % 2 != 0)
        {
            throw new ArgumentException($"hidden_size {HiddenSize} must split into {NumAttentionHeads} heads of even size; change num_attention_heads");
        }

        if (NumKeyValueHeads <= 0 || NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new ArgumentException($"num_attention_heads {NumAttentionHeads} must be a multiple of num_key_value_heads {NumKeyValueHeads}");
        }

        if (ModelType is not ("llama" or "qwen2"))
        {
            throw new ArgumentException($"model_type '{ModelType}' is not supported; use llama or qwen2");
        }

        return this;
    }

    public static ModelConfig Load(string path)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path)) ?? throw new ArgumentException($"{path}: empty")).Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: not a valid config.json ({e.Message})", e);
        }
    }

    /// <summary>A named preset (nano, micro, mini) or a path to a config.json.</summary>
    public static ModelConfig Preset(string name, int vocabSize)
    {
        if (File.Exists(name))
        {
            return Load(name) with { VocabSize = vocabSize };
        }

        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream($"models/{name}.json")
            ?? throw new ArgumentException($"unknown model size '{name}'; use nano, micro, mini or a path to a config.json");
        using var reader = new StreamReader(stream);
        var config = JsonSerializer.Deserialize<ModelConfig>(reader.ReadToEnd())!;
        return (config with { VocabSize = vocabSize }).Validate();
    }
}
