// A decoder-only transformer of the Llama / Qwen2 design: token embedding, RMSNorm, rotary position
// embedding, grouped-query attention through scaled_dot_product_attention, SwiGLU MLP, optional tied
// embeddings and q/k/v bias (Qwen2). Field names produce Hugging Face state-dict keys.
// Departures from HF: no dropout, no sliding window, rotary tables computed once for max_position_embeddings.
using Reasoner.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Model.Network;

/// <summary>Keys and values of earlier positions, per layer, for incremental decoding.</summary>
public sealed class KvCache : IDisposable
{
    internal readonly Tensor?[] Keys;
    internal readonly Tensor?[] Values;

    public KvCache(int layers)
    {
        Keys = new Tensor?[layers];
        Values = new Tensor?[layers];
    }

    /// <summary>Number of positions already cached.</summary>
    public long Length => Keys[0]?.shape[2] ?? 0;

    /// <summary>Keeps only the given batch rows (finished sequences drop out of the batch).</summary>
    public void Select(Tensor rows)
    {
        for (int i = 0; i < Keys.Length; i++)
        {
            Replace(ref Keys[i], Keys[i]?.index_select(0, rows));
            Replace(ref Values[i], Values[i]?.index_select(0, rows));
        }
    }

    internal void Append(int layer, Tensor k, Tensor v)
    {
        Replace(ref Keys[layer], Keys[layer] is null ? k.detach().clone() : cat([Keys[layer]!, k.detach()], 2));
        Replace(ref Values[layer], Values[layer] is null ? v.detach().clone() : cat([Values[layer]!, v.detach()], 2));
    }

    private static void Replace(ref Tensor? slot, Tensor? value)
    {
        var old = slot;
        slot = value?.DetachFromDisposeScope(); // the cache outlives every per-step scope; Dispose() frees it
        if (!ReferenceEquals(old, slot))
        {
            old?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var t in Keys.Concat(Values))
        {
            t?.Dispose();
        }
    }
}

public sealed class CausalLM : nn.Module
{
    private readonly DecoderStack model;
    private readonly Linear? lm_head;

    public CausalLM(ModelConfig config)
        : base("CausalLM")
    {
        Config = config.Validate();
        model = new DecoderStack(config);
        lm_head = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        InitWeights();
    }

    public ModelConfig Config { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// input_ids (B, T) → logits (B, T, V). positions (B, T) default to cache.Length + 0..T-1; attentionMask
    /// (B, Tk) marks real tokens (1) vs padding (0) over cached + new keys; null means no padding.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? positions = null, Tensor? attentionMask = null, KvCache? cache = null)
    {
        var hidden = model.Forward(inputIds, positions, attentionMask, cache); // (B, T, C)
        return lm_head is null ? F.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);
    }

    private void InitWeights()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                p.fill_(HeldScalars.One);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                p.zero_();
            }
            else
            {
                p.normal_(0.0, 0.02); // GPT-2 / nanoGPT init
            }
        }
    }
}

internal sealed class DecoderStack : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryTables rotary;

    public DecoderStack(ModelConfig config)
        : base("model")
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        rotary = new RotaryTables(config.HeadDim, config.MaxPositionEmbeddings, config.RopeTheta);
        RegisterComponents();
    }

    public Tensor EmbeddingWeight => embed_tokens.weight!;

    public Tensor Forward(Tensor inputIds, Tensor? positions, Tensor? attentionMask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], length = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        if (positions is null)
        {
            using Scalar first = past.ToScalar(), end = (past + length).ToScalar(); // held: see HeldScalars
            positions = arange(first, end, HeldScalars.One, dtype: int64).unsqueeze(0).expand(batch, length);
        }

        var (cos, sin) = rotary.Lookup(positions, EmbeddingWeight.dtype); // (B, 1, T, D)
        Tensor? mask = attentionMask is null ? null : BuildMask(attentionMask, length, past);
        var x = embed_tokens.forward(inputIds);
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, cos, sin, mask, cache, i);
        }

        return norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Boolean (B, 1, T, Tk): key j is visible to query i when it is a real token and not in the future.</summary>
    private static Tensor BuildMask(Tensor keyMask, long length, long past)
    {
        long keys = past + length;
        var causal = ones(length, keys, dtype: ScalarType.Bool).tril(past); // query i sees keys <= past + i
        var padding = keyMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // (B, 1, 1, Tk)
        return causal.unsqueeze(0).unsqueeze(0).logical_and(padding);
    }
}

internal sealed class DecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly Attention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly SwiGlu mlp;

    public DecoderLayer(ModelConfig config)
        : base("layer")
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new Attention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = new SwiGlu(config);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int index)
    {
        x = x.Plus(self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, index));
        return x.Plus(mlp.forward(post_attention_layernorm.forward(x)));
    }
}

internal sealed class Attention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public Attention(ModelConfig config)
        : base("self_attn")
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: config.AttentionBias);
        k_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.AttentionBias);
        v_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.AttentionBias);
        o_proj = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int index)
    {
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);   // (B, H, T, D)
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2); // (B, KV, T, D)
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryTables.Apply(q, cos, sin);
        k = RotaryTables.Apply(k, cos, sin);
        bool causalOnly = mask is null && (cache is null || cache.Length == 0);
        if (cache is not null)
        {
            cache.Append(index, k, v);
            k = cache.Keys[index]!;
            v = cache.Values[index]!;
        }

        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, 1); // (B, H, Tk, D)
            v = v.repeat_interleave(_heads / _kvHeads, 1);
        }

        var y = F.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: causalOnly && length > 1);
        return o_proj.forward(y.transpose(1, 2).reshape(batch, length, _heads * _headDim));
    }
}

internal sealed class SwiGlu : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public SwiGlu(ModelConfig config)
        : base("mlp")
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down_proj.forward(F.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>y = x / sqrt(mean(x^2) + eps) * weight; TorchSharp has no built-in RMSNorm module.</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    private readonly Scalar _eps; // held for the module's lifetime: see HeldScalars

    public RmsNorm(int size, double eps)
        : base("norm")
    {
        weight = new Parameter(ones(size));
        _eps = eps.ToScalar();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dtype == float32)
        {
            return x * rsqrt(x.Squared().mean([-1L], keepdim: true).Plus(_eps)) * weight;
        }

        // Reduced precision: normalise in fp32 (as HF does), then scale in the compute dtype.
        var wide = x.to_type(float32);
        return (wide * rsqrt(wide.Squared().mean([-1L], keepdim: true).Plus(_eps))).to_type(x.dtype) * weight;
    }
}

/// <summary>Rotary embedding tables (HF "rotate_half" layout); plain fields, so not part of the state dict.</summary>
internal sealed class RotaryTables
{
    private readonly Tensor _cos; // (P, D)
    private readonly Tensor _sin;

    public RotaryTables(int headDim, int maxPositions, double theta)
    {
        using var scope = NewDisposeScope();
        double[] inverse = [.. Enumerable.Range(0, headDim / 2).Select(i => 1.0 / System.Math.Pow(theta, 2.0 * i / headDim))];
        double[] positions = [.. Enumerable.Range(0, maxPositions).Select(p => (double)p)];
        var angles = outer(tensor(positions, dtype: float64), tensor(inverse, dtype: float64)); // (P, D/2)
        var table = cat([angles, angles], 1);                                              // (P, D)
        _cos = table.cos().to_type(float32).MoveToOuterDisposeScope();
        _sin = table.sin().to_type(float32).MoveToOuterDisposeScope();
    }

    public (Tensor Cos, Tensor Sin) Lookup(Tensor positions, ScalarType dtype)
    {
        long batch = positions.shape[0], length = positions.shape[1];
        var flat = positions.reshape(-1);
        var cos = _cos.index_select(0, flat).view(batch, 1, length, -1);
        var sin = _sin.index_select(0, flat).view(batch, 1, length, -1);
        return dtype == float32 ? (cos, sin) : (cos.to_type(dtype), sin.to_type(dtype));
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos).Plus(rotated * sin);
    }
}
