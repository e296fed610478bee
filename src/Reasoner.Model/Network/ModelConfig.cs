// The network's shape with Hugging Face config.json names, so our checkpoints open in HF tools and HF checkpoints of
// the supported architectures (Llama, Qwen2, Qwen3, Mistral, Mixtral) load here. Presets live under configs/models/ (nano ≈
// 0.8M, micro ≈ 4.8M, mini ≈ 19M parameters). What this network cannot compute exactly (another architecture, an
// activation other than SiLU, an unimplemented rope kind, a field it does not know) is refused by name, never silently
// approximated. Files are read through HfConfigFields, which accepts transformers 4.x and 5.x spellings.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reasoner.Model.Network;

public sealed record ModelConfig
{
    /// <summary>The architectures this network implements, by HF model_type and class name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Supported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["llama"] = "LlamaForCausalLM", ["qwen2"] = "Qwen2ForCausalLM", ["qwen3"] = "Qwen3ForCausalLM", ["mistral"] = "MistralForCausalLM",
        ["mixtral"] = "MixtralForCausalLM",
    };

    /// <summary>llama, mistral (no attention bias), qwen2 (bias on q, k, v) or qwen3 (RMSNorm on each head's q and k).</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "llama";

    /// <summary>As written in config.json; our own checkpoints write the class of <see cref="ModelType"/>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

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

    /// <summary>Per-head width when it is not hidden_size / num_attention_heads (Qwen3 sets it).</summary>
    [JsonPropertyName("head_dim")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HeadDimension { get; init; }

    /// <summary>Longest sequence (prompt + completion) the rotary tables cover.</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 1024;

    [JsonPropertyName("rms_norm_eps")]
    public double RmsNormEps { get; init; } = 1e-5;

    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>null, or {"rope_type": "linear" | "llama3", "factor": …}; other kinds are refused by name.</summary>
    [JsonPropertyName("rope_scaling")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? RopeScaling { get; init; }

    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Bias on q/k/v projections; absent means Qwen2's bias, and none for the others.</summary>
    [JsonPropertyName("attention_bias")]
    public bool? AttentionBias { get; init; }

    [JsonPropertyName("mlp_bias")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MlpBias { get; init; }

    /// <summary>Mistral and Qwen2: attention sees at most this many earlier positions (Qwen2 only with use_sliding_window).</summary>
    [JsonPropertyName("sliding_window")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SlidingWindow { get; init; }

    [JsonPropertyName("use_sliding_window")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UseSlidingWindow { get; init; }

    [JsonPropertyName("torch_dtype")]
    public string TorchDtype { get; init; } = "float32";

    [JsonPropertyName("bos_token_id")]
    [JsonConverter(typeof(IdListConverter))]
    public IReadOnlyList<int>? BosTokenId { get; init; } = [1];

    /// <summary>One id or several (Llama-3 instruct models list 128001, 128008, 128009).</summary>
    [JsonPropertyName("eos_token_id")]
    [JsonConverter(typeof(IdListConverter))]
    public IReadOnlyList<int>? EosTokenId { get; init; } = [2];

    /// <summary>Mixtral: experts per sparse MLP (block_sparse_moe); 0 for a dense MLP.</summary>
    [JsonPropertyName("num_local_experts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NumLocalExperts { get; init; }

    /// <summary>Mixtral: experts each token is routed to (top-k of the router's softmax, renormalized).</summary>
    [JsonPropertyName("num_experts_per_tok")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NumExpertsPerTok { get; init; }

    /// <summary>Mixtral: weight of the load-balancing loss added to the training loss.</summary>
    [JsonPropertyName("router_aux_loss_coef")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double RouterAuxLossCoef { get; init; }

    /// <summary>
    /// Reasoner's own field, not HF's: "column-addition" places rotary positions by digit column
    /// (<see cref="Generation.PositionCoupling"/>); null (the default) numbers tokens 0, 1, 2, ... as every HF model does.
    /// </summary>
    [JsonPropertyName("position_coupling")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PositionCoupling { get; init; }

    /// <summary>With position_coupling: training shifts the column grid by a random 0..this many positions.</summary>
    [JsonPropertyName("position_coupling_max_offset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PositionCouplingMaxOffset { get; init; }

    [JsonIgnore]
    public bool IsMoe => NumLocalExperts > 0;

    [JsonIgnore]
    public int HeadDim => HeadDimension ?? HiddenSize / NumAttentionHeads;

    [JsonIgnore]
    public bool QkvBias => AttentionBias ?? ModelType == "qwen2";

    /// <summary>Qwen3 normalizes each head's query and key (q_norm, k_norm) before the rotary embedding.</summary>
    [JsonIgnore]
    public bool QkNorm => ModelType == "qwen3";

    /// <summary>The window attention is limited to, or null for full causal attention.</summary>
    [JsonIgnore]
    public int? AttentionWindow => ModelType switch
    {
        "mistral" or "mixtral" => SlidingWindow,
        "qwen2" or "qwen3" when UseSlidingWindow == true => SlidingWindow,
        _ => null,
    };

    public static readonly JsonSerializerOptions Json = Reasoner.Math.Data.JsonText.Indented;

    /// <summary>The config with architectures filled in, as our checkpoints write it.</summary>
    public ModelConfig Normalized() => this with { Architectures = Architectures ?? [Supported.GetValueOrDefault(ModelType, ModelType)] };

    public ModelConfig Validate()
    {
        if (!Supported.TryGetValue(ModelType, out var expected))
        {
            throw new ArgumentException($"model_type '{ModelType}' is not supported; supported: {string.Join(", ", Supported.Keys)}");
        }

        if (Architectures is { Count: > 0 } architectures && architectures.FirstOrDefault(a => !Supported.Values.Contains(a, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"architecture '{unknown}' is not supported; supported: {string.Join(", ", Supported.Values)}");
        }

        if (Architectures is { Count: > 0 } named && !named.Contains(expected, StringComparer.Ordinal))
        {
            throw new ArgumentException($"architectures {string.Join(", ", named)} do not match model_type '{ModelType}' ({expected})");
        }

        if (HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || VocabSize <= 0 || IntermediateSize <= 0)
        {
            throw new ArgumentException("hidden_size, intermediate_size, num_hidden_layers, num_attention_heads and vocab_size must be positive");
        }

        if ((HeadDimension is null && HiddenSize % NumAttentionHeads != 0) || HeadDim % 2 != 0 || HeadDim <= 0)
        {
            throw new ArgumentException($"hidden_size {HiddenSize} must split into {NumAttentionHeads} heads of even size (or set head_dim); change num_attention_heads");
        }

        if (NumKeyValueHeads <= 0 || NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new ArgumentException($"num_attention_heads {NumAttentionHeads} must be a multiple of num_key_value_heads {NumKeyValueHeads}");
        }

        if (HiddenAct is not ("silu" or "swish"))
        {
            throw new ArgumentException($"hidden_act '{HiddenAct}' is not supported; this network computes SwiGLU with silu");
        }

        if (MlpBias == true)
        {
            throw new ArgumentException("mlp_bias true is not supported: the MLP here has no bias");
        }

        if ((ModelType == "mixtral") != IsMoe || (IsMoe && (NumExpertsPerTok < 1 || NumExpertsPerTok > NumLocalExperts || RouterAuxLossCoef < 0)))
        {
            throw new ArgumentException($"a mixture of experts is model_type mixtral with num_local_experts > 0 and 1 <= num_experts_per_tok <= num_local_experts (got {ModelType}, {NumLocalExperts}, {NumExpertsPerTok})");
        }

        if (PositionCoupling is not (null or Generation.PositionCoupling.ColumnAddition))
        {
            throw new ArgumentException($"position_coupling '{PositionCoupling}' is not implemented; the one layout is '{Generation.PositionCoupling.ColumnAddition}'");
        }

        if (PositionCouplingMaxOffset < 0 || (PositionCoupling is null && PositionCouplingMaxOffset != 0))
        {
            throw new ArgumentException("position_coupling_max_offset must be >= 0, and set only with position_coupling");
        }

        _ = RopeScalingKind;
        return this;
    }

    /// <summary>null (plain RoPE), "linear" or "llama3"; anything else is refused by name.</summary>
    [JsonIgnore]
    public string? RopeScalingKind
    {
        get
        {
            if (RopeScaling is null)
            {
                return null;
            }

            var kind = (RopeScaling["rope_type"] ?? RopeScaling["type"])?.GetValue<string>();
            return kind switch
            {
                null or "default" => null,
                "linear" or "llama3" => kind,
                _ => throw new ArgumentException($"rope_scaling type '{kind}' is not implemented (linear and llama3 are); refusing rather than computing a different model"),
            };
        }
    }

    public static ModelConfig Load(string path)
    {
        try
        {
            var fields = HfConfigFields.Normalize(HfConfigFields.Parse(File.ReadAllText(path)));
            return (fields.Deserialize<ModelConfig>() ?? throw new ArgumentException($"{path}: empty")).Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: not a valid config.json ({Reasoner.Math.Data.JsonText.Describe(e)})", e);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
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

    /// <summary>HF writes a token id as a number, or as a list where a model has several; null stays null.</summary>
    private sealed class IdListConverter : JsonConverter<IReadOnlyList<int>?>
    {
        public override IReadOnlyList<int>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => [reader.GetInt32()],
            JsonTokenType.StartArray => JsonSerializer.Deserialize<int[]>(ref reader, options),
            _ => throw new JsonException("a token id must be a number or a list of numbers"),
        };

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<int>? value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else if (value.Count == 1)
            {
                writer.WriteNumberValue(value[0]);
            }
            else
            {
                JsonSerializer.Serialize(writer, value.ToArray(), options);
            }
        }
    }
}
