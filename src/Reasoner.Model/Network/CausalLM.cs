// A decoder-only transformer of the Llama / Qwen2 / Qwen3 / Mistral design: token embedding, RMSNorm, rotary position
// embedding (plain, linear or llama3 scaling), grouped-query attention through scaled_dot_product_attention with an
// optional sliding window, SwiGLU MLP, optional tied embeddings, q/k/v bias (Qwen2) and per-head q/k RMSNorm (Qwen3).
// Field names produce Hugging Face state-dict keys. Departures from HF: no dropout; the rotary tables are computed
// once, in float64, for max_position_embeddings (HF computes them in float32 on the fly).
using Reasoner.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Model.Network;

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
    /// Mixture of experts: when set, each forward pass adds every sparse layer's routing here (for the load-balancing
    /// loss and expert-load metrics); the caller clears it. Null (the default) keeps nothing.
    /// </summary>
    public List<RouterRecord>? Routing
    {
        get => model.Routing;
        set => model.Routing = value;
    }

    /// <summary>
    /// The load-balancing loss of the routing kept in <see cref="Routing"/> (HF's load_balancing_loss_func: 1 when the
    /// load is even) and each expert's share of the routing choices over all sparse layers; clears the records.
    /// </summary>
    public (Tensor Loss, double[] Load) TakeRouting()
    {
        var records = Routing ?? throw new InvalidOperationException("set Routing before the forward pass");
        var loss = SparseMoe.BalanceLoss(records, Config.NumLocalExperts);
        var counts = new double[Config.NumLocalExperts];
        foreach (var record in records)
        {
            using var chosen = record.Chosen.flatten().bincount(null, Config.NumLocalExperts);
            var n = chosen.data<long>().ToArray();
            for (int e = 0; e < counts.Length; e++)
            {
                counts[e] += n[e];
            }
        }

        double total = counts.Sum();
        records.Clear();
        return (loss, [.. counts.Select(c => c / total)]);
    }

    /// <summary>
    /// Where config.json asks for position coupling: the scheme that places each token's rotary position (set where the
    /// tokenizer is known: loading a checkpoint, creating a model to train). Forward then needs positions given.
    /// </summary>
    public Generation.PositionCoupling? Coupling { get; set; }

    /// <summary>LoRA adapters applied on top of the (then frozen) weights, or null. Not part of this module's state dict.</summary>
    public LoraAdapters? Lora { get; private set; }

    /// <summary>Clears the gradients of every trainable tensor: the weights, and the adapters, which are not submodules.</summary>
    public void ZeroGrad()
    {
        zero_grad();
        Lora?.zero_grad();
    }

    /// <summary>Folds attached adapters into the weights (W += alpha/r B A) and detaches them; no-op without adapters.</summary>
    public void MergeLora()
    {
        if (Lora is { } adapters)
        {
            adapters.MergeInto(this);
            Attach(null);
        }
    }

    /// <summary>Attaches adapters (or removes them with null); the base weights stop (or start) taking gradients.</summary>
    public void Attach(LoraAdapters? adapters)
    {
        Lora = adapters;
        foreach (var p in parameters())
        {
            p.requires_grad = adapters is null;
        }
    }

    /// <summary>
    /// input_ids (B, T) → logits (B, T, V). positions (B, T) default to cache.Length + 0..T-1; attentionMask
    /// (B, Tk) marks real tokens (1) vs padding (0) over cached + new keys; null means no padding.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? positions = null, Tensor? attentionMask = null, KvCache? cache = null)
    {
        if (positions is null && Config.PositionCoupling is not null)
        {
            throw new InvalidOperationException($"this model places positions by digit column (position_coupling '{Config.PositionCoupling}'), and this use of it does not compute them; "
                + "train (SFT), eval, distill, solve and serve do; GRPO and logit distillation do not yet");
        }

        var hidden = model.Forward(inputIds, positions, attentionMask, cache, Lora); // (B, T, C)
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
    private readonly int? _window;

    public DecoderStack(ModelConfig config)
        : base("model")
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        rotary = new RotaryTables(config);
        _window = config.AttentionWindow;
        RegisterComponents();
    }

    public Tensor EmbeddingWeight => embed_tokens.weight!;

    public List<RouterRecord>? Routing { get; set; }

    public Tensor Forward(Tensor inputIds, Tensor? positions, Tensor? attentionMask, KvCache? cache, LoraAdapters? lora)
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
        bool windowed = _window is { } window && past + length > window;
        Tensor? mask = attentionMask is null && !windowed ? null : BuildMask(attentionMask ?? ones(batch, past + length, dtype: int64), length, past, windowed ? _window : null);
        var x = embed_tokens.forward(inputIds);
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, cos, sin, mask, cache, i, lora, Routing);
        }

        return norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Boolean (B, 1, T, Tk): key j is visible to query i when it is a real token, not in the future and, with a sliding
    /// window W, fewer than W positions back (HF's q - k &lt; W).
    /// </summary>
    private static Tensor BuildMask(Tensor keyMask, long length, long past, int? window)
    {
        long keys = past + length;
        var causal = ones(length, keys, dtype: ScalarType.Bool).tril(past); // query i sees keys <= past + i
        if (window is { } w)
        {
            causal = causal.logical_and(ones(length, keys, dtype: ScalarType.Bool).triu(past - w + 1)); // and keys > past + i - W
        }

        var padding = keyMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // (B, 1, 1, Tk)
        return causal.unsqueeze(0).unsqueeze(0).logical_and(padding);
    }
}

internal sealed class DecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly Attention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly SwiGlu? mlp;                  // dense
    private readonly SparseMoe? block_sparse_moe;  // Mixtral

    public DecoderLayer(ModelConfig config)
        : base("layer")
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new Attention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = config.IsMoe ? null : new SwiGlu(config);
        block_sparse_moe = config.IsMoe ? new SparseMoe(config) : null;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int index, LoraAdapters? lora, List<RouterRecord>? routing)
    {
        x = x.Plus(self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, index, lora));
        var h = post_attention_layernorm.forward(x);
        return x.Plus(block_sparse_moe?.Forward(h, routing) ?? mlp!.Forward(h, index, lora));
    }
}

internal sealed class Attention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly RmsNorm? q_norm;
    private readonly RmsNorm? k_norm;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public Attention(ModelConfig config)
        : base("self_attn")
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: config.QkvBias);
        k_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.QkvBias);
        v_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: config.QkvBias);
        o_proj = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false);
        q_norm = config.QkNorm ? new RmsNorm(_headDim, config.RmsNormEps) : null;
        k_norm = config.QkNorm ? new RmsNorm(_headDim, config.RmsNormEps) : null;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int index, LoraAdapters? lora)
    {
        long batch = x.shape[0], length = x.shape[1];
        Tensor Project(Linear linear, string name, Tensor input) => lora is null ? linear.forward(input) : lora.Apply(index, name, input, linear.forward(input), training);
        var q = Project(q_proj, "q_proj", x).view(batch, length, _heads, _headDim);   // (B, T, H, D)
        var k = Project(k_proj, "k_proj", x).view(batch, length, _kvHeads, _headDim); // (B, T, KV, D)
        q = (q_norm?.forward(q) ?? q).transpose(1, 2);                     // (B, H, T, D); Qwen3 normalizes each head first
        k = (k_norm?.forward(k) ?? k).transpose(1, 2);                     // (B, KV, T, D)
        var v = Project(v_proj, "v_proj", x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryTables.Apply(q, cos, sin);
        k = RotaryTables.Apply(k, cos, sin);
        bool causalOnly = mask is null && (cache is null || cache.Length == 0); // a window or padding always comes as a mask
        if (cache is not null)
        {
            (k, v) = cache.Append(index, k, v);
        }

        Tensor y;
        if (_kvHeads != _heads && length == 1)
        {
            // One query per head (a decode step): the heads sharing a key/value head become that head's rows, so K and
            // V are read in place instead of repeated per head. The mask (B, 1, 1, Tk) is the same for every row.
            var grouped = q.reshape(batch, _kvHeads, _heads / _kvHeads, _headDim);
            y = F.scaled_dot_product_attention(grouped, k, v, attn_mask: mask).reshape(batch, _heads, 1, _headDim);
        }
        else
        {
            if (_kvHeads != _heads)
            {
                k = k.repeat_interleave(_heads / _kvHeads, 1); // (B, H, Tk, D)
                v = v.repeat_interleave(_heads / _kvHeads, 1);
            }

            y = F.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: causalOnly && length > 1);
        }

        return Project(o_proj, "o_proj", y.transpose(1, 2).reshape(batch, length, _heads * _headDim));
    }
}

internal sealed class SwiGlu : nn.Module
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

    public Tensor Forward(Tensor x, int index, LoraAdapters? lora)
    {
        Tensor Project(Linear linear, string name, Tensor input) => lora is null ? linear.forward(input) : lora.Apply(index, name, input, linear.forward(input), training);
        return Project(down_proj, "down_proj", F.silu(Project(gate_proj, "gate_proj", x)) * Project(up_proj, "up_proj", x));
    }
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

    public RotaryTables(ModelConfig config)
    {
        using var scope = NewDisposeScope();
        int headDim = config.HeadDim;
        double[] inverse = [.. Enumerable.Range(0, headDim / 2).Select(i => 1.0 / System.Math.Pow(config.RopeTheta, 2.0 * i / headDim))];
        inverse = Scaled(inverse, config);
        double[] positions = [.. Enumerable.Range(0, config.MaxPositionEmbeddings).Select(p => (double)p)];
        var angles = outer(tensor(positions, dtype: float64), tensor(inverse, dtype: float64)); // (P, D/2)
        var table = cat([angles, angles], 1);                                              // (P, D)
        _cos = table.cos().to_type(float32).MoveToOuterDisposeScope();
        _sin = table.sin().to_type(float32).MoveToOuterDisposeScope();
    }

    /// <summary>HF's rope_scaling: "linear" divides every frequency by factor; "llama3" divides the low ones, keeps the high ones, and blends between.</summary>
    internal static double[] Scaled(double[] inverse, ModelConfig config)
    {
        double Get(string name, double fallback) => config.RopeScaling?[name]?.GetValue<double>() ?? fallback;
        switch (config.RopeScalingKind)
        {
            case "linear":
                return [.. inverse.Select(f => f / Get("factor", 1))];
            case "llama3":
                double factor = Get("factor", 8), low = Get("low_freq_factor", 1), high = Get("high_freq_factor", 4), original = Get("original_max_position_embeddings", 8192);
                double lowWavelength = original / low, highWavelength = original / high;
                return [.. inverse.Select(f =>
                {
                    double wavelength = 2 * System.Math.PI / f;
                    if (wavelength < highWavelength)
                    {
                        return f;
                    }

                    if (wavelength > lowWavelength)
                    {
                        return f / factor;
                    }

                    double smooth = ((original / wavelength) - low) / (high - low);
                    return ((1 - smooth) * f / factor) + (smooth * f);
                })];
            default:
                return inverse;
        }
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
