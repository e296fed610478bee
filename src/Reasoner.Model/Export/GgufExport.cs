// A model and its tokenizer as one GGUF file llama.cpp runs: llama architecture metadata (qwen2 for q/k/v bias,
// qwen3 for per-head q/k norms), the tensors under llama.cpp's names, the vocabulary and chat template. Two
// conventions differ from Hugging Face and are converted, as llama.cpp's own convert_hf_to_gguf.py does: the `llama`
// architecture rotates interleaved pairs, so the q and k rows are permuted out of HF's rotate-half order; and llama3
// rope scaling travels as a rope_freqs tensor. Our character vocabulary is written as an SPM ("llama") vocabulary:
// characters as tokens, the space as ▁, and the 256 byte tokens llama.cpp falls back to, whose embedding and output rows
// copy <|unk|>'s (so they never outscore it).
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Export;

public static class GgufExport
{
    private const int Normal = 1, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    public static void Write(CausalLM model, ITokenizer tokenizer, string path, GgmlType dtype, string name)
    {
        HfExport.RefuseCoupled(model, "GGUF");
        if (model.Config.IsMoe)
        {
            throw new ArgumentException("GGUF export of a mixture-of-experts model is not implemented; export it as a Hugging Face folder (--format safetensors), which llama.cpp's convert_hf_to_gguf.py turns into GGUF");
        }

        var config = model.Config;
        string arch = config.QkNorm ? "qwen3" : config.QkvBias ? "qwen2" : "llama";
        var gguf = new GgufWriter();
        gguf.Add("general.architecture", arch);
        gguf.Add("general.name", name);
        gguf.Add("general.file_type", dtype switch { GgmlType.F32 => 0u, GgmlType.F16 => 1u, GgmlType.Q8_0 => 7u, _ => 32u });
        gguf.Add($"{arch}.context_length", (uint)config.MaxPositionEmbeddings);
        gguf.Add($"{arch}.embedding_length", (uint)config.HiddenSize);
        gguf.Add($"{arch}.block_count", (uint)config.NumHiddenLayers);
        gguf.Add($"{arch}.feed_forward_length", (uint)config.IntermediateSize);
        gguf.Add($"{arch}.attention.head_count", (uint)config.NumAttentionHeads);
        gguf.Add($"{arch}.attention.head_count_kv", (uint)config.NumKeyValueHeads);
        gguf.Add($"{arch}.attention.layer_norm_rms_epsilon", (float)config.RmsNormEps);
        gguf.Add($"{arch}.rope.freq_base", (float)config.RopeTheta);
        gguf.Add($"{arch}.rope.dimension_count", (uint)config.HeadDim);
        if (config.HeadDim * config.NumAttentionHeads != config.HiddenSize)
        {
            gguf.Add($"{arch}.attention.key_length", (uint)config.HeadDim);
            gguf.Add($"{arch}.attention.value_length", (uint)config.HeadDim);
        }

        if (config.RopeScalingKind == "linear")
        {
            gguf.Add($"{arch}.rope.scaling.type", "linear");
            gguf.Add($"{arch}.rope.scaling.factor", (float)config.RopeScaling!["factor"]!.GetValue<double>());
        }

        int vocab = WriteVocabulary(gguf, tokenizer, config);
        WriteTensors(gguf, model, arch, dtype, vocab, tokenizer.TokenId(CharTokenizer.Unk));
        gguf.Save(path);
    }

    /// <summary>The vocabulary and its special ids; returns the number of tokens (the rows of the embedding in the file).</summary>
    /// <summary>llama.cpp's name for the pre-tokenizer (its llama-vocab.cpp keys its split regexes by this name).</summary>
    private static string PreTokenizerName(IReadOnlyList<string> patterns) => patterns switch
    {
        [HfBpeTokenizer.Gpt2Pattern] => "gpt-2",
        [var one] when one.Contains(@"\p{N}{1,3}", StringComparison.Ordinal) => "llama-bpe",
        [var one] when one.Contains(@"\p{N}|", StringComparison.Ordinal) => "qwen2",
        [@"\p{N}{1,3}", _, _] => "deepseek-v3",
        _ => throw new ArgumentException($"the tokenizer's pre-tokenizer ({patterns.Count} split steps) has no llama.cpp name Reasoner knows (gpt-2, llama-bpe, qwen2, deepseek-v3); GGUF export would tokenize differently"),
    };

    private static int WriteVocabulary(GgufWriter gguf, ITokenizer tokenizer, ModelConfig config)
    {
        var tokens = new List<string>();
        var types = new List<int>();
        switch (tokenizer)
        {
            case CharTokenizer chars:
                gguf.Add("tokenizer.ggml.model", "llama");
                foreach (var token in chars.Tokens)
                {
                    tokens.Add(token == " " ? "\u2581" : token);
                    types.Add(CharTokenizer.Specials.Contains(token) ? (token.StartsWith("<|", StringComparison.Ordinal) ? Control : UserDefined) : Normal);
                }

                for (int b = 0; b < 256; b++)
                {
                    tokens.Add($"<0x{b:X2}>");
                    types.Add(Byte);
                }

                gguf.Add("tokenizer.ggml.scores", Enumerable.Repeat(0f, tokens.Count).ToList());
                gguf.Add("tokenizer.ggml.add_space_prefix", false);
                gguf.Add("tokenizer.ggml.bos_token_id", (uint)chars.BosId);
                gguf.Add("tokenizer.ggml.eos_token_id", (uint)chars.EosId);
                gguf.Add("tokenizer.ggml.unknown_token_id", (uint)chars.IdOf(CharTokenizer.Unk));
                gguf.Add("tokenizer.ggml.padding_token_id", (uint)chars.PadId);
                break;
            case HfBpeTokenizer bpe:
                gguf.Add("tokenizer.ggml.model", "gpt2");
                gguf.Add("tokenizer.ggml.pre", PreTokenizerName(bpe.Patterns));
                for (int id = 0; id < System.Math.Max(config.VocabSize, bpe.VocabSize); id++)
                {
                    var token = id < bpe.TokensById.Count ? bpe.TokensById[id] : null;
                    tokens.Add(token ?? $"[PAD{id}]");
                    types.Add(token is null ? Unused : bpe.AddedTokens.TryGetValue(id, out var added) ? (added.Special ? Control : UserDefined) : Normal);
                }

                gguf.Add("tokenizer.ggml.merges", bpe.Merges);
                if (config.EosTokenId is { Count: > 0 } eos)
                {
                    gguf.Add("tokenizer.ggml.eos_token_id", (uint)eos[0]);
                }

                gguf.Add("tokenizer.ggml.padding_token_id", (uint)bpe.PadId);
                break;
            default:
                throw new ArgumentException($"no GGUF vocabulary for a {tokenizer.GetType().Name}");
        }

        gguf.Add("tokenizer.ggml.tokens", tokens);
        gguf.Add("tokenizer.ggml.token_type", types);
        gguf.Add("tokenizer.ggml.add_bos_token", false); // prompts carry their begin token through the chat template
        gguf.Add("tokenizer.ggml.add_eos_token", false);
        gguf.Add("tokenizer.chat_template", tokenizer.Chat.Jinja);
        return tokens.Count;
    }

    private static void WriteTensors(GgufWriter gguf, CausalLM model, string arch, GgmlType dtype, int vocab, int? unkId)
    {
        var config = model.Config;
        var weights = model.state_dict();
        GgmlType Matrix(long[] shape) => dtype == GgmlType.Q8_0 && shape[^1] % 32 != 0 ? GgmlType.F16 : dtype;
        void Add(string name, string key, Func<Tensor, Tensor>? transform = null)
        {
            var tensor = weights[key];
            var shape = tensor.shape;
            var type = shape.Length == 1 ? GgmlType.F32 : Matrix(shape); // norms and biases stay F32, as llama.cpp keeps them
            gguf.AddTensor(name, shape, type, () => Values(transform is null ? tensor : transform(tensor)));
        }

        // Rows beyond the model's own (SPM byte tokens, padded BPE ids): copies of <|unk|>'s row, or zeros.
        long[] Rows(Tensor matrix) => [vocab, matrix.shape[1]];
        Func<float[]> Padded(Tensor matrix) => () =>
        {
            using var noGrad = no_grad();
            var values = Values(matrix);
            long width = matrix.shape[1], have = matrix.shape[0];
            var result = new float[vocab * width];
            Array.Copy(values, result, values.Length);
            for (long row = have; row < vocab; row++)
            {
                if (unkId is { } unk)
                {
                    Array.Copy(values, unk * width, result, row * width, width);
                }
            }

            return result;
        };

        var embedding = weights["model.embed_tokens.weight"];
        gguf.AddTensor("token_embd.weight", Rows(embedding), Matrix(Rows(embedding)), Padded(embedding));
        Add("output_norm.weight", "model.norm.weight");
        if (weights.TryGetValue("lm_head.weight", out var head))
        {
            gguf.AddTensor("output.weight", Rows(head), Matrix(Rows(head)), Padded(head));
        }

        if (config.RopeScalingKind == "llama3")
        {
            gguf.AddTensor("rope_freqs.weight", [config.HeadDim / 2], GgmlType.F32, () => RopeFactors(config));
        }

        bool permute = arch == "llama";
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string hf = $"model.layers.{i}.", gg = $"blk.{i}.";
            Add(gg + "attn_norm.weight", hf + "input_layernorm.weight");
            Add(gg + "attn_q.weight", hf + "self_attn.q_proj.weight", permute ? w => Permute(w, config.NumAttentionHeads) : null);
            Add(gg + "attn_k.weight", hf + "self_attn.k_proj.weight", permute ? w => Permute(w, config.NumKeyValueHeads) : null);
            Add(gg + "attn_v.weight", hf + "self_attn.v_proj.weight");
            Add(gg + "attn_output.weight", hf + "self_attn.o_proj.weight");
            if (config.QkvBias)
            {
                Add(gg + "attn_q.bias", hf + "self_attn.q_proj.bias");
                Add(gg + "attn_k.bias", hf + "self_attn.k_proj.bias");
                Add(gg + "attn_v.bias", hf + "self_attn.v_proj.bias");
            }

            if (config.QkNorm)
            {
                Add(gg + "attn_q_norm.weight", hf + "self_attn.q_norm.weight");
                Add(gg + "attn_k_norm.weight", hf + "self_attn.k_norm.weight");
            }

            Add(gg + "ffn_norm.weight", hf + "post_attention_layernorm.weight");
            Add(gg + "ffn_gate.weight", hf + "mlp.gate_proj.weight");
            Add(gg + "ffn_up.weight", hf + "mlp.up_proj.weight");
            Add(gg + "ffn_down.weight", hf + "mlp.down_proj.weight");
        }
    }

    /// <summary>HF's rotate-half q/k rows into the interleaved pairs llama.cpp's llama architecture rotates (convert_hf_to_gguf's permute).</summary>
    internal static Tensor Permute(Tensor weight, int heads)
    {
        long rows = weight.shape[0], columns = weight.shape[1];
        return weight.reshape(heads, 2, rows / heads / 2, columns).transpose(1, 2).reshape(rows, columns);
    }

    /// <summary>llama3 rope scaling as llama.cpp reads it: per frequency, the factor the plain frequency is divided by.</summary>
    private static float[] RopeFactors(ModelConfig config)
    {
        var plain = Enumerable.Range(0, config.HeadDim / 2).Select(i => 1.0 / System.Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim)).ToArray();
        var scaled = RotaryTables.Scaled(plain, config);
        return [.. plain.Select((f, i) => (float)(f / scaled[i]))];
    }

    private static float[] Values(Tensor tensor)
    {
        using var noGrad = no_grad();
        using var flat = tensor.detach().to_type(ScalarType.Float32).contiguous().reshape(-1);
        return flat.data<float>().ToArray();
    }
}
