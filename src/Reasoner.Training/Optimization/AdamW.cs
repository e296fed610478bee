// AdamW (decoupled weight decay), written out so its state is plain named tensors that a checkpoint
// saves and a resume restores exactly. No decay on norms, biases or embeddings-as-norm (1-D tensors), as nanoGPT.
using Reasoner.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Optimization;

public sealed class AdamW(IReadOnlyList<(string Name, Tensor Parameter)> parameters, double beta1, double beta2, double weightDecay, double eps = 1e-8) : IDisposable
{
    private readonly Dictionary<string, Tensor> _exp = parameters.ToDictionary(p => p.Name, p => zeros_like(p.Parameter));
    private readonly Dictionary<string, Tensor> _expSq = parameters.ToDictionary(p => p.Name, p => zeros_like(p.Parameter));

    public long Step { get; private set; }

    /// <param name="gradients">fp32 gradient per parameter name (see <see cref="Gradients"/>); missing names are skipped.</param>
    public void Update(double learningRate, IReadOnlyDictionary<string, Tensor> gradients)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Step++;
        double correction1 = 1 - System.Math.Pow(beta1, Step);
        double correction2 = 1 - System.Math.Pow(beta2, Step);

        // Scalars are made once per step and disposed here, never left to a finalizer that could free one while
        // libtorch reads it (another thread's GC can run finalizers during a native call).
        using Scalar decay = (1 - (learningRate * weightDecay)).ToScalar(), b1 = beta1.ToScalar(), b2 = beta2.ToScalar(),
            oneMinusB1 = (1 - beta1).ToScalar(), oneMinusB2 = (1 - beta2).ToScalar(), c2 = correction2.ToScalar(),
            epsilon = eps.ToScalar(), stepSize = (-learningRate / correction1).ToScalar();
        foreach (var (name, p) in parameters)
        {
            if (!gradients.TryGetValue(name, out var grad))
            {
                continue;
            }

            if (weightDecay > 0 && p.dim() >= 2)
            {
                p.mul_(decay);
            }

            var m = _exp[name].mul_(b1).add_(grad, alpha: oneMinusB1);
            var v = _expSq[name].mul_(b2).addcmul_(grad, grad, value: oneMinusB2);
            var denominator = (v / c2).sqrt_().PlusInPlace(epsilon);
            p.addcdiv_(m, denominator, value: stepSize);
        }
    }

    /// <summary>The parameters' own gradients, by name (the fp32 path).</summary>
    public Dictionary<string, Tensor> Gradients()
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, p) in parameters)
        {
            if (p.grad is { } grad)
            {
                result[name] = grad;
            }
        }

        return result;
    }

    /// <summary>Scales the gradients in place so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    public static double ClipGradients(IReadOnlyDictionary<string, Tensor> gradients, double maxNorm)
    {
        using var _ = no_grad();
        double total = 0;
        foreach (var grad in gradients.Values)
        {
            using var square = grad.to_type(ScalarType.Float64).Squared().sum();
            total += square.item<double>();
        }

        double norm = System.Math.Sqrt(total);
        if (maxNorm > 0 && norm > maxNorm)
        {
            using Scalar scale = (maxNorm / (norm + 1e-6)).ToScalar();
            foreach (var grad in gradients.Values)
            {
                grad.mul_(scale);
            }
        }

        return norm;
    }

    /// <summary>State for a checkpoint: exp_avg.NAME, exp_avg_sq.NAME and the step count.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, _) in parameters)
        {
            state[$"exp_avg.{name}"] = _exp[name];
            state[$"exp_avg_sq.{name}"] = _expSq[name];
        }

        state["step"] = tensor(new[] { Step });
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
        {
            if (!state.TryGetValue($"exp_avg.{name}", out var m) || !state.TryGetValue($"exp_avg_sq.{name}", out var v))
            {
                throw new InvalidDataException($"optimizer state has no moments for '{name}'");
            }

            _exp[name].copy_(m);
            _expSq[name].copy_(v);
        }

        Step = state["step"].data<long>()[0];
    }

    public void Dispose()
    {
        foreach (var t in _exp.Values.Concat(_expSq.Values))
        {
            t.Dispose();
        }
    }
}
