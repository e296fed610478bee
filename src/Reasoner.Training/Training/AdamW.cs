// AdamW (decoupled weight decay), written out so its state is plain named tensors that a checkpoint
// saves and a resume restores exactly. No decay on norms, biases or embeddings-as-norm (1-D tensors), as nanoGPT.
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Training;

public sealed class AdamW(IReadOnlyList<(string Name, Tensor Parameter)> parameters, double beta1, double beta2, double weightDecay, double eps = 1e-8) : IDisposable
{
    private readonly Dictionary<string, Tensor> _exp = parameters.ToDictionary(p => p.Name, p => zeros_like(p.Parameter));
    private readonly Dictionary<string, Tensor> _expSq = parameters.ToDictionary(p => p.Name, p => zeros_like(p.Parameter));

    public long Step { get; private set; }

    public void Update(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Step++;
        double correction1 = 1 - System.Math.Pow(beta1, Step);
        double correction2 = 1 - System.Math.Pow(beta2, Step);
        foreach (var (name, p) in parameters)
        {
            var grad = p.grad;
            if (grad is null)
            {
                continue;
            }

            if (weightDecay > 0 && p.dim() >= 2)
            {
                p.mul_(1 - (learningRate * weightDecay));
            }

            var m = _exp[name].mul_(beta1).add_(grad, alpha: 1 - beta1);
            var v = _expSq[name].mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            var denominator = (v / correction2).sqrt_().add_(eps);
            p.addcdiv_(m, denominator, value: -learningRate / correction1);
        }
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
