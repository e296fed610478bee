// The logit-distillation loss on completion tokens: (1 - alpha) * CE(student, data) + alpha * T^2 * mean over
// completion positions of KL(softmax(teacher / T) || softmax(student / T)), forward KL as in Hinton et al. and GKD's
// supervised case. Logits are compared over the tokenizer's ids only (HF checkpoints may pad vocab_size).
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Sft;

public sealed class KdLoss(double alpha, double temperature) : IDisposable
{
    public const int IgnoreIndex = -100;
    private readonly Scalar _alpha = alpha.ToScalar();
    private readonly Scalar _keep = (1 - alpha).ToScalar();
    private readonly Scalar _inverseT = (1 / temperature).ToScalar();
    private readonly Scalar _tSquared = (temperature * temperature).ToScalar();
    private readonly Scalar _ignore = IgnoreIndex.ToScalar();
    private readonly Scalar _minusOne = (-1).ToScalar();

    /// <summary>The mixed loss, its cross-entropy and its (T^2-scaled) KL term, from (B, T, V) logits and (B, T) targets.</summary>
    public (Tensor Loss, Tensor CrossEntropy, Tensor Kl) Compute(Tensor student, Tensor teacher, Tensor targets, int vocab)
    {
        var s = student.narrow(2, 0, vocab).reshape(-1, vocab);
        var t = teacher.narrow(2, 0, vocab).reshape(-1, vocab);
        var flat = targets.reshape(-1);
        var ce = F.cross_entropy(s, flat, ignore_index: IgnoreIndex);
        var studentLog = F.log_softmax(s.mul(_inverseT), 1);
        var teacherLog = F.log_softmax(t.mul(_inverseT), 1);
        var perPosition = teacherLog.exp().mul(teacherLog.add(studentLog, _minusOne)).sum(1);
        var kl = perPosition.masked_select(flat.ne(_ignore)).mean().mul(_tSquared);
        return (ce.mul(_keep).add(kl, _alpha), ce, kl);
    }

    public void Dispose()
    {
        foreach (var scalar in new[] { _alpha, _keep, _inverseT, _tSquared, _ignore, _minusOne })
        {
            scalar.Dispose();
        }
    }
}
