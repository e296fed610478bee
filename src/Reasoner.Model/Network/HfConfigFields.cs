// config.json as every transformers version writes it, brought to the one shape ModelConfig reads. transformers 5
// writes RoPE as rope_parameters ({"rope_theta", "rope_type", and the kind's own fields}, or one such dict per layer
// type) and the dtype as dtype; 4.x wrote rope_theta, rope_scaling and torch_dtype. Both spellings are read; where both
// are present and disagree the file is refused naming both. Policy: a field that could change the computation and that
// Reasoner does not implement is refused by name; only the fields listed in Harmless pass unread.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reasoner.Model.Network;

public static class HfConfigFields
{
    /// <summary>Fields ModelConfig reads and implements (the record's own JSON names).</summary>
    private static readonly HashSet<string> Implemented =
    [
        "model_type", "architectures", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps", "rope_theta", "rope_scaling", "hidden_act",
        "tie_word_embeddings", "attention_bias", "mlp_bias", "sliding_window", "use_sliding_window", "torch_dtype", "bos_token_id",
        "eos_token_id", "num_local_experts", "num_experts_per_tok", "router_aux_loss_coef",
        "position_coupling", "position_coupling_max_offset",
    ];

    /// <summary>
    /// Fields that never change what the network computes here: bookkeeping, generation defaults (generation_config.json
    /// is where generation reads them), initialisation, and switches whose value is checked below.
    /// </summary>
    private static readonly HashSet<string> Harmless =
    [
        "transformers_version", "_name_or_path", "use_cache", "initializer_range", "pad_token_id", "output_attentions",
        "output_hidden_states", "return_dict", "output_router_logits", "torchscript", "use_return_dict", "chunk_size_feed_forward",
        "id2label", "label2id", "problem_type", "finetuning_task", "tokenizer_class", "prefix", "task_specific_params",
        "max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups", "temperature", "top_k", "top_p",
        "typical_p", "repetition_penalty", "length_penalty", "no_repeat_ngram_size", "num_return_sequences", "bad_words_ids",
        "diversity_penalty", "sep_token_id", "decoder_start_token_id", "forced_bos_token_id", "forced_eos_token_id",
        "remove_invalid_values", "return_dict_in_generate", "output_scores", "is_decoder", "is_encoder_decoder", "add_cross_attention",
        "tie_encoder_decoder", "pruned_heads", "tf_legacy_loss", "use_bfloat16", "begin_suppress_tokens", "suppress_tokens",
        "cross_attention_hidden_size", "encoder_no_repeat_ngram_size", "exponential_decay_length_penalty",
    ];

    /// <summary>Fields harmless only at one value (dropout and jitter act in training; pretraining_tp > 1 slices matmuls differently).</summary>
    private static readonly Dictionary<string, (Func<JsonNode?, bool> Ok, string Expected)> HarmlessAt = new()
    {
        ["attention_dropout"] = (n => n is null || n.GetValue<double>() == 0, "0.0 (Reasoner trains without attention dropout)"),
        ["router_jitter_noise"] = (n => n is null || n.GetValue<double>() == 0, "0.0 (Reasoner's router adds no jitter)"),
        ["pretraining_tp"] = (n => n is null || n.GetValue<int>() == 1, "1"),
        ["use_mrope"] = (n => n is null || !n.GetValue<bool>(), "false (multimodal RoPE is not implemented)"),
        ["max_window_layers"] = (_ => true, "any"),
        ["layer_types"] = (_ => true, "any"),
    };

    /// <summary>Fields each rope_type carries besides rope_theta and rope_type; the kinds RotaryTables implements.</summary>
    private static readonly Dictionary<string, string[]> RopeKinds = new(StringComparer.Ordinal)
    {
        ["default"] = [],
        ["linear"] = ["factor"],
        ["llama3"] = ["factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"],
    };

    /// <summary>The config object in ModelConfig's shape; throws ArgumentException naming the field and the fix.</summary>
    public static JsonObject Normalize(JsonObject raw)
    {
        var config = (JsonObject)raw.DeepClone();
        foreach (var (name, value) in raw)
        {
            if (Implemented.Contains(name) || Harmless.Contains(name) || name is "rope_parameters" or "dtype")
            {
                continue;
            }

            if (!HarmlessAt.TryGetValue(name, out var rule))
            {
                throw new ArgumentException($"field '{name}' is not one Reasoner implements or knows to be harmless; it may change what the model computes, so the folder is refused rather than run without it. "
                    + "If you know it has no effect for this model, remove it from config.json");
            }

            if (!SafeOk(rule.Ok, value))
            {
                throw new ArgumentException($"{name} {value?.ToJsonString()} is not supported; Reasoner implements only {rule.Expected}");
            }
        }

        CheckLayerTypes(raw);
        Merge(config, "dtype", "torch_dtype", raw["dtype"]);
        if (raw["rope_parameters"] is { } rope)
        {
            var parameters = OneRope(rope);
            var theta = parameters["rope_theta"] ?? throw new ArgumentException("rope_parameters has no rope_theta; add the model's RoPE base (transformers writes it there)");
            Merge(config, "rope_parameters.rope_theta", "rope_theta", theta);
            var scaling = (JsonObject)parameters.DeepClone();
            scaling.Remove("rope_theta");
            CheckRopeKind(scaling, "rope_parameters");
            string kind = scaling["rope_type"]?.GetValue<string>() ?? "default";
            JsonNode? asScaling = kind == "default" ? null : scaling;
            if (raw["rope_scaling"] is { } old && !JsonNode.DeepEquals(Without(old, "rope_theta"), asScaling))
            {
                throw new ArgumentException($"rope_parameters {parameters.ToJsonString()} and rope_scaling {old.ToJsonString()} disagree; keep the one the model was trained with and delete the other");
            }

            config["rope_scaling"] = asScaling?.DeepClone();
        }

        config.Remove("rope_parameters");
        config.Remove("dtype");
        if (raw["rope_parameters"] is null && config["rope_scaling"] is JsonObject scalingObject)
        {
            CheckRopeKind(scalingObject, "rope_scaling");
        }

        foreach (var name in config.Where(kv => kv.Value is null && kv.Key is not ("bos_token_id" or "eos_token_id")).Select(kv => kv.Key).ToList())
        {
            config.Remove(name); // transformers writes null for "not set" (head_dim, sliding_window, rope_scaling)
        }

        return config;
    }

    private static bool SafeOk(Func<JsonNode?, bool> ok, JsonNode? value)
    {
        try
        {
            return ok(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>transformers 5 may write one rope dict per layer type; this network has one attention kind, so they must agree.</summary>
    private static JsonObject OneRope(JsonNode rope)
    {
        if (rope is not JsonObject parameters)
        {
            throw new ArgumentException($"rope_parameters {rope.ToJsonString()} is not an object");
        }

        if (parameters.Count > 0 && parameters.All(kv => kv.Value is JsonObject))
        {
            var first = parameters.First().Value!;
            if (parameters.Any(kv => !JsonNode.DeepEquals(kv.Value, first)))
            {
                throw new ArgumentException($"rope_parameters differ per layer type ({string.Join(", ", parameters.Select(kv => kv.Key))}); Reasoner applies one RoPE to every layer");
            }

            return (JsonObject)first;
        }

        return parameters;
    }

    private static void CheckRopeKind(JsonObject scaling, string field)
    {
        string kind = (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default";
        if (!RopeKinds.TryGetValue(kind, out var fields))
        {
            throw new ArgumentException($"{field} rope_type '{kind}' is not implemented (default, linear and llama3 are); refusing rather than computing a different model");
        }

        foreach (var name in scaling.Select(kv => kv.Key).Where(k => k is not ("rope_type" or "type") && !fields.Contains(k)))
        {
            throw new ArgumentException($"{field}.{name} is not a field Reasoner implements for rope_type '{kind}' (it reads {(fields.Length == 0 ? "none" : string.Join(", ", fields))}); refusing rather than ignoring it");
        }

        foreach (var name in fields.Where(f => scaling[f] is null))
        {
            throw new ArgumentException($"{field} of rope_type '{kind}' has no {name}; add it (the model's own value), it has no safe default");
        }
    }

    private static void CheckLayerTypes(JsonObject raw)
    {
        if (raw["layer_types"] is not JsonArray types)
        {
            return;
        }

        var kinds = types.Select(t => t?.GetValue<string>()).Distinct().ToList();
        bool windowed = raw["use_sliding_window"]?.GetValue<bool>() == true || raw["model_type"]?.GetValue<string>() is "mistral" or "mixtral";
        if (kinds.Any(k => k is not ("full_attention" or "sliding_attention")) || kinds.Count > 1 || (kinds.Contains("sliding_attention") && !windowed))
        {
            throw new ArgumentException($"layer_types [{string.Join(", ", kinds)}] is not supported; Reasoner applies one attention kind to every layer (all full_attention, or all sliding_attention with use_sliding_window)");
        }
    }

    /// <summary>Copies a new-style value to its old name, refusing when both are present and differ.</summary>
    private static void Merge(JsonObject config, string newName, string oldName, JsonNode? value)
    {
        if (value is null)
        {
            return;
        }

        if (config[oldName] is { } old && !SameValue(old, value))
        {
            throw new ArgumentException($"{newName} {value.ToJsonString()} and {oldName} {old.ToJsonString()} disagree; keep the one the model was trained with and delete the other");
        }

        config[oldName] = value.DeepClone();
    }

    private static bool SameValue(JsonNode a, JsonNode b) =>
        JsonNode.DeepEquals(a, b) || (a is JsonValue x && b is JsonValue y && x.TryGetValue<double>(out var p) && y.TryGetValue<double>(out var q) && p == q);

    private static JsonNode? Without(JsonNode node, string name)
    {
        if (node is not JsonObject o)
        {
            return node;
        }

        var copy = (JsonObject)o.DeepClone();
        copy.Remove(name);
        return copy.Count == 0 || (copy.Count == 1 && copy["rope_type"]?.GetValue<string>() == "default") ? null : copy;
    }

    /// <summary>Parses config.json text into ModelConfig's shape.</summary>
    public static JsonObject Parse(string text) =>
        JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
        ?? throw new ArgumentException("config.json is not a JSON object");
}
