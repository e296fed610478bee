// The logit-distillation loss on completion tokens: (1 - alpha) * CE(student, data) + alpha * T^2 * the mean over
// completion positions of a divergence between softmax(teacher / T) and softmax(student / T). The divergence follows
// GKD's beta (and TRL's GKDTrainer): 0 forward KL(teacher || student), as in Hinton et al.; 1 reverse
// KL(student || teacher); between them beta * KL(teacher || M) + (1 - beta) * KL(student || M), M = beta * teacher +
// (1 - beta) * student. On-policy batches (the student's own samples) take T^2 * divergence alone. Logits are
// compared over the tokenizer's ids only (HF checkpoints may pad vocab_size).
using Reasoner.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Sft;

public sealed class KdLoss(double alpha, double temperature, double beta = 0) : IDisposable
{
    public const int IgnoreIndex = -100;
    private readonly double _beta = beta;
    private readonly Scalar _alpha = alpha.ToScalar();
    private readonly Scalar _keep = (1 - alpha).ToScalar();
    private readonly Scalar _inverseT = (1 / temperature).ToScalar();
    private readonly Scalar _tSquared = (temperature * temperature).ToScalar();
    private readonly Scalar _ignore = IgnoreIndex.ToScalar();
    private readonly Scalar _minusOne = (-1).ToScalar();
    private readonly Scalar _logBeta = System.Math.Log(System.Math.Max(beta, double.Epsilon)).ToScalar();
    private readonly Scalar _logOneMinusBeta = System.Math.Log(System.Math.Max(1 - beta, double.Epsilon)).ToScalar();
    private readonly Scalar _betaScalar = beta.ToScalar();
    private readonly Scalar _oneMinusBeta = (1 - beta).ToScalar();

    /// <summary>
    /// The mixed loss, its cross-entropy and its (T^2-scaled) divergence, from (B, T, V) logits and (B, T) targets.
    /// With <paramref name="onPolicy"/> the completions are the student's own samples: the loss is the divergence alone.
    /// </summary>
    public (Tensor Loss, Tensor CrossEntropy, Tensor Kl) Compute(Tensor student, Tensor teacher, Tensor targets, int vocab, bool onPolicy = false)
    {
        var s = student.narrow(2, 0, vocab).reshape(-1, vocab);
        var t = teacher.narrow(2, 0, vocab).reshape(-1, vocab);
        var flat = targets.reshape(-1);
        var ce = F.cross_entropy(s, flat, ignore_index: IgnoreIndex);
        var studentLog = F.log_softmax(s.mul(_inverseT), 1);
        var teacherLog = F.log_softmax(t.mul(_inverseT), 1);
        var perPosition = Divergence(studentLog, teacherLog);
        var kl = perPosition.masked_select(flat.ne(_ignore)).mean().mul(_tSquared);
        return (onPolicy ? kl : ce.mul(_keep).add(kl, _alpha), ce, kl);
    }

    /// <summary>The divergence per row of (N, V) log-probabilities.</summary>
    private Tensor Divergence(Tensor studentLog, Tensor teacherLog)
    {
        if (_beta == 0)
        {
            return Kl(teacherLog, studentLog);
        }

        if (_beta == 1)
        {
            return Kl(studentLog, teacherLog);
        }

        var mixture = stack([teacherLog.add(_logBeta, HeldScalars.One), studentLog.add(_logOneMinusBeta, HeldScalars.One)]).logsumexp(0);
        return Kl(teacherLog, mixture).mul(_betaScalar).add(Kl(studentLog, mixture), _oneMinusBeta);
    }

    /// <summary>KL(p || q) per row, from log-probabilities.</summary>
    private Tensor Kl(Tensor logP, Tensor logQ) => logP.exp().mul(logP.add(logQ, _minusOne)).sum(1);

    public void Dispose()
    {
        foreach (var scalar in new[] { _alpha, _keep, _inverseT, _tSquared, _ignore, _minusOne, _logBeta, _logOneMinusBeta, _betaScalar, _oneMinusBeta })
        {
            scalar.Dispose();
        }
    }
}
