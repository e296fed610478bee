// The GRPO formulas, kept apart from the loop so each is tested against hand-computed values:
// group-relative advantages, the clipped surrogate with an optional k3 KL term, and the loss aggregations.
using Reasoner.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Grpo;

/// <summary>What one rollout batch looks like to the loss: how many rows and completion tokens it holds in all.</summary>
public sealed record LossScale(int TotalRows, long TotalTokens, int MicroBatches, int MaxCompletionTokens);

public static class GrpoMath
{
    /// <summary>Added to the standard deviation, as TRL does, so a group with equal rewards gets advantage 0, not NaN.</summary>
    public const double StdEpsilon = 1e-4;

    /// <summary>
    /// Advantages for rewards laid out group by group (G consecutive rows share a prompt): reward minus its
    /// group's mean, divided by the group's or the batch's standard deviation (unbiased, as torch.std) plus eps,
    /// or not divided at all.
    /// </summary>
    public static double[] Advantages(IReadOnlyList<double> rewards, int groupSize, RewardScaling scaling)
    {
        if (groupSize < 2 || rewards.Count % groupSize != 0)
        {
            throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize} (need groups of at least 2)");
        }

        var advantages = new double[rewards.Count];
        double batchStd = Std(rewards);
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            var group = rewards.Skip(start).Take(groupSize).ToList();
            double mean = group.Average();
            double scale = scaling switch
            {
                RewardScaling.Group => Std(group) + StdEpsilon,
                RewardScaling.Batch => batchStd + StdEpsilon,
                _ => 1.0,
            };
            bool flat = group.TrueForAll(r => r == group[0]); // advantage exactly 0, not the rounding error of the group's mean
            for (int i = 0; i < groupSize; i++)
            {
                advantages[start + i] = flat ? 0 : (group[i] - mean) / scale;
            }
        }

        return advantages;
    }

    /// <summary>
    /// TRL's normalize_then_sum (GDPO): each reward function's values are normalised within their group,
    /// (r - mean) / (std + eps) over the values that are not null (a null reward does not apply and counts as 0 in
    /// the sum), then summed with the weights, then the sums are normalised over the whole batch. A row for which
    /// every function returned null is unscorable: it stays out of the batch statistics and gets advantage 0.
    /// </summary>
    public static double[] NormalizeThenSum(IReadOnlyList<IReadOnlyList<double?>> rewardsPerFunction, IReadOnlyList<double> weights, int groupSize)
    {
        int rows = rewardsPerFunction.Count;
        if (groupSize < 2 || rows % groupSize != 0)
        {
            throw new ArgumentException($"{rows} rewards do not split into groups of {groupSize} (need groups of at least 2)");
        }

        var sums = new double?[rows];
        for (int start = 0; start < rows; start += groupSize)
        {
            for (int k = 0; k < weights.Count; k++)
            {
                var present = Enumerable.Range(start, groupSize).Select(i => rewardsPerFunction[i][k]).OfType<double>().ToList();
                double mean = present.Count == 0 ? 0 : present.Average(), scale = Std(present) + StdEpsilon;
                for (int i = start; i < start + groupSize; i++)
                {
                    if (rewardsPerFunction[i][k] is { } r)
                    {
                        sums[i] = (sums[i] ?? 0) + (weights[k] * ((r - mean) / scale));
                    }
                }
            }
        }

        var scorable = sums.OfType<double>().ToList();
        double batchMean = scorable.Count == 0 ? 0 : scorable.Average(), batchScale = Std(scorable) + StdEpsilon;
        return sums.Select(s => s is { } v ? (v - batchMean) / batchScale : 0.0).ToArray();
    }

    /// <summary>Share of groups whose rewards are all equal: they carry no learning signal.</summary>
    public static double ZeroStdFraction(IReadOnlyList<double> rewards, int groupSize)
    {
        int groups = rewards.Count / groupSize, flat = 0;
        for (int g = 0; g < groups; g++)
        {
            var group = rewards.Skip(g * groupSize).Take(groupSize).ToList();
            flat += group.All(r => r == group[0]) ? 1 : 0;
        }

        return groups == 0 ? 0 : (double)flat / groups;
    }

    /// <summary>Unbiased standard deviation (n - 1), 0 for fewer than two values.</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return System.Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>k3 estimator of KL(pi || ref) per token: exp(ref - pi) - (ref - pi) - 1, from log-probabilities.</summary>
    public static Tensor KlK3(Tensor logProbs, Tensor refLogProbs)
    {
        var delta = refLogProbs - logProbs;
        return (delta.exp() - delta).Plus(HeldScalars.MinusOne);
    }

    /// <summary>
    /// Per-token loss -min(ratio * A, clip(ratio, 1 - eps_low, 1 + eps_high) * A) + beta * KL, where
    /// ratio = exp(logp - old_logp) per token, or with <paramref name="sequenceMask"/> (GSPO) one ratio per sequence,
    /// exp of the mean of logp - old_logp over its counted tokens, shared by all its tokens (as TRL's
    /// importance_sampling_level "sequence"). Shapes: log-probabilities (B, T), advantages (B), mask (B, T).
    /// </summary>
    public static Tensor PerTokenLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double epsilonLow, double epsilonHigh, Tensor? refLogProbs = null, double beta = 0, Tensor? sequenceMask = null, double? delta = null)
    {
        using Scalar low = (1 - epsilonLow).ToScalar(), high = (1 + epsilonHigh).ToScalar(); // disposed, not finalized mid-call
        var ratio = Ratio(logProbs, oldLogProbs, sequenceMask).expand_as(logProbs); // (B, T) either way
        var clipped = ratio.clamp(low, high);
        if (delta is { } cap)
        {
            using Scalar most = cap.ToScalar();
            ratio = ratio.clamp_max(most); // two-sided clipping (TRL's delta): the unclipped side is capped too
        }

        var a = advantages.unsqueeze(1);
        return WithKl(-minimum(ratio * a, clipped * a), logProbs, refLogProbs, beta);
    }

    /// <summary>
    /// CISPO per token: -sg(min(ratio, cap)) * A * logp. The weight carries no gradient, so every token's gradient is
    /// its log-probability's, scaled; none is zeroed by a clip. Shapes as <see cref="PerTokenLoss"/>.
    /// </summary>
    public static Tensor CispoLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double cap, Tensor? refLogProbs = null, double beta = 0, Tensor? sequenceMask = null)
    {
        using Scalar most = cap.ToScalar();
        var weight = Ratio(logProbs, oldLogProbs, sequenceMask).expand_as(logProbs).clamp_max(most).detach();
        return WithKl(-(weight * advantages.unsqueeze(1) * logProbs), logProbs, refLogProbs, beta);
    }

    /// <summary>
    /// SAPO per token: -sigmoid(tau (ratio - 1)) * 4 / tau * A, tau = <paramref name="temperaturePositive"/> where A &gt; 0,
    /// else <paramref name="temperatureNegative"/>. At ratio 1 its gradient equals the plain surrogate's; off-policy it fades smoothly.
    /// </summary>
    public static Tensor SapoLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, double temperaturePositive, double temperatureNegative, Tensor? refLogProbs = null, double beta = 0, Tensor? sequenceMask = null)
    {
        var ratio = Ratio(logProbs, oldLogProbs, sequenceMask).expand_as(logProbs);
        var a = advantages.unsqueeze(1);
        using Scalar positive = temperaturePositive.ToScalar(), negative = temperatureNegative.ToScalar(), four = 4.0.ToScalar();
        var tau = where(a.gt(HeldScalars.Zero), full_like(a, positive), full_like(a, negative));
        var gate = (tau * ratio.Plus(HeldScalars.MinusOne)).sigmoid() * four / tau;
        return WithKl(-(gate * a), logProbs, refLogProbs, beta);
    }

    private static Tensor WithKl(Tensor loss, Tensor logProbs, Tensor? refLogProbs, double beta)
    {
        if (beta <= 0)
        {
            return loss;
        }

        if (refLogProbs is null)
        {
            throw new ArgumentException("beta > 0 needs the reference model's log-probabilities");
        }

        using Scalar weight = beta.ToScalar();
        return loss.Plus(KlK3(logProbs, refLogProbs).mul(weight));
    }

    /// <summary>
    /// 1 on the counted tokens whose entropy is at or above the (1 - <paramref name="quantile"/>) quantile of the counted
    /// tokens' entropies, 0 elsewhere (TRL's top_entropy_quantile); all of <paramref name="mask"/> when quantile is 1.
    /// </summary>
    public static Tensor HighEntropyMask(Tensor entropy, Tensor mask, double quantile)
    {
        using var noGrad = no_grad();
        if (quantile >= 1)
        {
            return mask.clone();
        }

        var counted = entropy.masked_select(mask.gt(HeldScalars.Zero));
        if (counted.numel() == 0)
        {
            return mask.clone();
        }

        var threshold = counted.to_type(ScalarType.Float64).quantile(1 - quantile).to_type(entropy.dtype);
        return entropy.ge(threshold).to_type(mask.dtype) * mask;
    }

    /// <summary>pi / pi_old per token (B, T), or per sequence (B, 1) as the exp of the masked mean log-ratio.</summary>
    public static Tensor Ratio(Tensor logProbs, Tensor oldLogProbs, Tensor? sequenceMask)
    {
        var logRatio = logProbs - oldLogProbs;
        return sequenceMask is null
            ? logRatio.exp()
            : ((logRatio * sequenceMask).sum(1, keepdim: true) / sequenceMask.sum(1, keepdim: true).clamp_min(HeldScalars.One)).exp();
    }

    /// <summary>
    /// One micro-batch's share of the batch loss, so that the shares of all micro-batches add up to the loss
    /// of the whole rollout batch under the chosen aggregation. <paramref name="mask"/> is 1 on completion
    /// tokens that count, 0 elsewhere (B, T).
    /// </summary>
    public static Tensor Aggregate(Tensor perTokenLoss, Tensor mask, LossAggregation aggregation, LossScale scale)
    {
        var masked = perTokenLoss * mask;
        var one = HeldScalars.One;
        var (total, divisor) = aggregation switch
        {
            LossAggregation.Grpo or LossAggregation.Sapo => ((masked.sum(1) / mask.sum(1).clamp_min(one)).sum(), (double)scale.TotalRows),
            LossAggregation.Bnpo => (masked.sum() / mask.sum().clamp_min(one), scale.MicroBatches),
            LossAggregation.Dapo or LossAggregation.Cispo => (masked.sum(), System.Math.Max(1L, scale.TotalTokens)),
            LossAggregation.DrGrpo => (masked.sum(), (double)scale.TotalRows * scale.MaxCompletionTokens),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation)),
        };
        using Scalar held = divisor.ToScalar(); // held until the division is done: see HeldScalars
        return total.div(held);
    }

    /// <summary>Share of counted tokens whose ratio was clipped: (below 1 - eps_low with A &lt; 0, above 1 + eps_high with A &gt; 0).</summary>
    public static (double Low, double High) ClipFractions(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double epsilonLow, double epsilonHigh, bool sequenceLevel = false)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ratio = Ratio(logProbs, oldLogProbs, sequenceLevel ? mask : null).expand_as(logProbs);
        var a = advantages.unsqueeze(1);
        using Scalar lowBound = (1 - epsilonLow).ToScalar(), highBound = (1 + epsilonHigh).ToScalar();
        var low = ratio.lt(lowBound).logical_and(a.lt(HeldScalars.Zero)).to_type(ScalarType.Float32) * mask;
        var high = ratio.gt(highBound).logical_and(a.gt(HeldScalars.Zero)).to_type(ScalarType.Float32) * mask;
        double count = System.Math.Max(1.0, mask.sum().item<float>());
        return (low.sum().item<float>() / count, high.sum().item<float>() / count);
    }
}
