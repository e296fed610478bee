// bf16 compute with fp32 master weights and optimizer state. TorchSharp has no autocast, so by hand:
// before each step the fp32 weights are copied into a bf16 twin of the model, the twin runs forward and
// backward (matmuls in bf16, RMSNorm and the loss in fp32), and its gradients are widened to fp32 for
// clipping and AdamW. Measured speedups over fp32 are in docs/2026-11-29-bench-train.md: 0.99x at 0.8M parameters
// (the per-step copies and casts outweigh the faster matmuls), 1.7-2.0x at 4.8M-19M on one thread.
using Reasoner.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Optimization;

public enum Precision
{
    Fp32,
    Bf16,
}

public sealed class Bf16Twin : IDisposable
{
    private readonly List<(string Name, Tensor Master, Tensor Compute)> _pairs;

    public Bf16Twin(CausalLM master)
    {
        Compute = new CausalLM(master.Config);
        Compute.to(ScalarType.BFloat16);
        var compute = Compute.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        _pairs = master.named_parameters().Select(p => (p.name, (Tensor)p.parameter, compute[p.name])).ToList();
    }

    public CausalLM Compute { get; }

    /// <summary>Copies (and rounds) the fp32 master weights into the bf16 twin.</summary>
    public void LoadWeights()
    {
        using var _ = no_grad();
        foreach (var (_, master, compute) in _pairs)
        {
            compute.copy_(master);
        }
    }

    /// <summary>The twin's gradients in fp32, by parameter name.</summary>
    public Dictionary<string, Tensor> WideGradients()
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, _, compute) in _pairs)
        {
            if (compute.grad is { } grad)
            {
                result[name] = grad.to_type(ScalarType.Float32);
            }
        }

        return result;
    }

    public void Dispose() => Compute.Dispose();
}
