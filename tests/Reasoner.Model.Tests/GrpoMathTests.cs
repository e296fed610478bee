using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Math.Verification;
using Reasoner.Training.Grpo;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

public sealed class GrpoMathTests
{
    private const double Eps = GrpoMath.StdEpsilon;

    [Fact]
    public void Group_scaled_advantages_match_hand_computed_values()
    {
        // Group 1: mean 0.25, unbiased std 0.5. Group 2: mean 0.5, std sqrt(1/3).
        var a = GrpoMath.Advantages([1, 0, 0, 0, 1, 1, 0, 0], 4, RewardScaling.Group);
        double s1 = 0.5 + Eps, s2 = System.Math.Sqrt(1.0 / 3) + Eps;
        double[] expected = [0.75 / s1, -0.25 / s1, -0.25 / s1, -0.25 / s1, 0.5 / s2, 0.5 / s2, -0.5 / s2, -0.5 / s2];
        Assert.Equal(expected, a, (x, y) => System.Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Batch_scaled_and_unscaled_advantages_match_hand_computed_values()
    {
        double[] rewards = [1, 0, 0, 0, 1, 1, 0, 0];
        double batchStd = System.Math.Sqrt(1.875 / 7) + Eps; // mean 3/8; squared deviations 3 x 0.625^2 + 5 x 0.375^2 = 1.875
        Assert.Equal([0.75 / batchStd, -0.25 / batchStd, -0.25 / batchStd, -0.25 / batchStd, 0.5 / batchStd, 0.5 / batchStd, -0.5 / batchStd, -0.5 / batchStd],
            GrpoMath.Advantages(rewards, 4, RewardScaling.Batch), (x, y) => System.Math.Abs(x - y) < 1e-12);
        Assert.Equal([0.75, -0.25, -0.25, -0.25, 0.5, 0.5, -0.5, -0.5], GrpoMath.Advantages(rewards, 4, RewardScaling.None));
    }

    [Fact]
    public void Normalize_then_sum_normalises_each_reward_in_its_group_then_the_weighted_sum_over_the_batch()
    {
        // Two functions (weights 1 and 0.5), two groups of two. Accuracy [1, 0 | 0, 0], format [1, 1 | 0, 1].
        // In its group, accuracy 1 vs 0 becomes +-0.5 / (sqrt(0.5) + eps) = +-a; equal values become 0.
        double a = 0.5 / (System.Math.Sqrt(0.5) + Eps);
        double[] sums = [a, -a, -0.5 * a, 0.5 * a]; // format's [0, 1] in group 2 is -+a, weighted 0.5
        double batchScale = System.Math.Sqrt(((2 * a * a) + (2 * 0.25 * a * a)) / 3) + Eps; // batch mean 0, unbiased std
        var advantages = GrpoMath.NormalizeThenSum([[1, 1], [0, 1], [0, 0], [0, 1]], [1, 0.5], 2);
        Assert.Equal(sums.Select(v => v / batchScale), advantages, (x, y) => System.Math.Abs(x - y) < 1e-12);
        Assert.Equal([1.0952754116768928, -1.0952754116768928, -0.5476377058384464, 0.5476377058384464], advantages, (x, y) => System.Math.Abs(x - y) < 1e-9); // the same, written out by hand in Python

        // Sum-then-normalize on the same rewards differs: group 2's totals [0, 0.5] weigh format as if it were accuracy.
        Assert.NotEqual(advantages, GrpoMath.Advantages([1.5, 0.5, 0, 0.5], 2, RewardScaling.Group));
    }

    [Fact]
    public void Normalize_then_sum_skips_null_rewards_and_gives_an_unscorable_row_advantage_zero()
    {
        // Groups of three. Row 1 has no reward at all (unscorable); format does not apply in group 2.
        double?[][] rewards = [[1, 1], [null, null], [0, 1], [1, null], [1, null], [0, null]];
        var advantages = GrpoMath.NormalizeThenSum(rewards, [1, 1], 3);
        double b = 0.5 / (System.Math.Sqrt(0.5) + Eps), c = (1.0 / 3) / (System.Math.Sqrt(1.0 / 3) + Eps), d = -2 * c;
        double[] sums = [b, -b, c, c, d]; // the scorable rows; format in group 1 is [1, -, 1]: 0
        double mean = sums.Average(), scale = GrpoMath.Std(sums) + Eps;
        Assert.Equal([(b - mean) / scale, 0, (-b - mean) / scale, (c - mean) / scale, (c - mean) / scale, (d - mean) / scale], advantages, (x, y) => System.Math.Abs(x - y) < 1e-12);
        Assert.Equal(0.816419591730963, advantages[0], 9);
        Assert.Equal(-1.3331652435362367, advantages[5], 9);
    }

    [Fact]
    public void A_group_with_equal_rewards_gets_zero_advantage_not_nan_and_counts_as_no_signal()
    {
        var a = GrpoMath.Advantages([0.3, 0.3, 0.3, 1, 0, 1], 3, RewardScaling.Group);
        Assert.Equal([0.0, 0.0, 0.0], a.Take(3));
        Assert.All(a, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0.5, GrpoMath.ZeroStdFraction([0.3, 0.3, 0.3, 1, 0, 1], 3));
        Assert.Throws<ArgumentException>(() => GrpoMath.Advantages([1, 0, 1], 2, RewardScaling.Group));

        // Eight right answers with the format bonus: their mean is 1.0999999999999999 in doubles, and the advantage
        // is still exactly 0 (a skipped row must add nothing at all), under every scaling.
        double[] flat = [1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 0, 1.1, 0.1, 1.1, 0, 0, 1.1, 0.1];
        foreach (var scaling in new[] { RewardScaling.Group, RewardScaling.Batch, RewardScaling.None })
        {
            Assert.All(GrpoMath.Advantages(flat, 8, scaling).Take(8), v => Assert.Equal(0.0, v));
        }
    }

    [Fact]
    public void The_sequence_level_ratio_of_gspo_matches_the_formula_on_a_toy_batch()
    {
        // Row 1 log-ratios ln 0.5, 0, ln 1.5, with the last token masked: ratio = exp((ln 0.5 + 0) / 2) = sqrt(0.5) = 0.7071.
        // Row 2 log-ratios 0, ln 1.5, ln 1.5, all counted: ratio = exp(2 ln 1.5 / 3) = 1.5^(2/3) = 1.3104.
        var logp = tensor(new[,] { { (float)System.Math.Log(0.5), 0f, (float)System.Math.Log(1.5) }, { 0f, (float)System.Math.Log(1.5), (float)System.Math.Log(1.5) } });
        var mask = tensor(new[,] { { 1f, 1f, 0f }, { 1f, 1f, 1f } });
        var loss = GrpoMath.PerTokenLoss(logp, zeros(2, 3), tensor(new[] { -1f, 1f }), 0.2, 0.2, sequenceMask: mask);
        // A = -1, r = 0.7071: -min(-r, -clip(r, 0.8, 1.2)) = max(0.7071, 0.8) = 0.8 on every token of the row.
        // A = +1, r = 1.3104: -min(r, 1.2) = -1.2 on every token of the row.
        AssertClose(new[,] { { 0.8, 0.8, 0.8 }, { -1.2, -1.2, -1.2 } }, loss);
        var unclipped = GrpoMath.PerTokenLoss(logp, zeros(2, 3), tensor(new[] { -1f, 1f }), 0.5, 0.5, sequenceMask: mask);
        AssertClose(new[,] { { System.Math.Sqrt(0.5), System.Math.Sqrt(0.5), System.Math.Sqrt(0.5) }, { -System.Math.Pow(1.5, 2.0 / 3), -System.Math.Pow(1.5, 2.0 / 3), -System.Math.Pow(1.5, 2.0 / 3) } }, unclipped);

        var (low, high) = GrpoMath.ClipFractions(logp, zeros(2, 3), tensor(new[] { -1f, 1f }), mask, 0.2, 0.2, sequenceLevel: true);
        Assert.Equal(2.0 / 5, low, 6);  // row 1's two counted tokens, clipped below with A < 0
        Assert.Equal(3.0 / 5, high, 6); // row 2's three, clipped above with A > 0
    }

    [Fact]
    public void The_clipped_objective_matches_the_formula_on_a_toy_batch()
    {
        // ratio = 0.5, 1.0, 1.5 per token; eps 0.2 both sides.
        var logp = tensor(new[,] { { (float)System.Math.Log(0.5), 0f, (float)System.Math.Log(1.5) }, { (float)System.Math.Log(0.5), 0f, (float)System.Math.Log(1.5) } });
        var old = zeros(2, 3);
        var loss = GrpoMath.PerTokenLoss(logp, old, tensor(new[] { 1f, -1f }), 0.2, 0.2);
        // A = +1: -min(r, clip(r)) = -0.5, -1, -1.2.  A = -1: -min(-r, -clip(r)) = 0.8, 1, 1.5.
        AssertClose(new[,] { { -0.5, -1.0, -1.2 }, { 0.8, 1.0, 1.5 } }, loss);

        // Asymmetric clip (DAPO clip-higher): A = +1 now clips at 1.28.
        var higher = GrpoMath.PerTokenLoss(logp, old, tensor(new[] { 1f, -1f }), 0.2, 0.28);
        AssertClose(new[,] { { -0.5, -1.0, -1.28 }, { 0.8, 1.0, 1.5 } }, higher);

        var (low, high) = GrpoMath.ClipFractions(logp, old, tensor(new[] { 1f, -1f }), ones(2, 3), 0.2, 0.2);
        Assert.Equal(1.0 / 6, low, 6);  // ratio 0.5 with A < 0
        Assert.Equal(1.0 / 6, high, 6); // ratio 1.5 with A > 0
    }

    [Fact]
    public void The_k3_kl_is_zero_when_policy_equals_reference_and_matches_its_formula_otherwise()
    {
        var logp = tensor(new[] { -1.2f, -0.3f, -2.5f });
        Assert.Equal(0f, GrpoMath.KlK3(logp, logp).abs().max().item<float>());
        var shifted = tensor(new[] { -0.7f, 0.2f, -2.0f }); // ref - pi = 0.5 (tests run in parallel too: no on-the-fly Scalars, see HeldScalars)
        var kl = GrpoMath.KlK3(logp, shifted); // e^0.5 - 0.5 - 1
        Assert.All(kl.data<float>().ToArray(), v => Assert.Equal(System.Math.Exp(0.5) - 1.5, v, 5));

        // With beta, the loss adds beta * KL per token; at ratio 1 and A = 0 that is all there is.
        var loss = GrpoMath.PerTokenLoss(logp.unsqueeze(0), logp.unsqueeze(0), zeros(1), 0.2, 0.2, shifted.unsqueeze(0), beta: 0.04);
        Assert.All(loss.data<float>().ToArray(), v => Assert.Equal(0.04 * (System.Math.Exp(0.5) - 1.5), v, 5));
    }

    [Fact]
    public void Delta_caps_the_unclipped_ratio_of_a_negative_advantage_and_leaves_the_rest()
    {
        // ratio 0.5, 1, 1.5, 3 per token; eps 0.2; delta 2.
        var logp = tensor(new[,] { { (float)System.Math.Log(0.5), 0f, (float)System.Math.Log(1.5), (float)System.Math.Log(3) }, { (float)System.Math.Log(0.5), 0f, (float)System.Math.Log(1.5), (float)System.Math.Log(3) } });
        var a = tensor(new[] { -1f, 1f });
        // A = -1: max(r, clip(r)) = 0.8, 1, 1.5, 3 without delta; the 3 becomes min(3, 2) = 2 with it. A = +1 is unchanged.
        AssertClose(new[,] { { 0.8, 1.0, 1.5, 3.0 }, { -0.5, -1.0, -1.2, -1.2 } }, GrpoMath.PerTokenLoss(logp, zeros(2, 4), a, 0.2, 0.2));
        AssertClose(new[,] { { 0.8, 1.0, 1.5, 2.0 }, { -0.5, -1.0, -1.2, -1.2 } }, GrpoMath.PerTokenLoss(logp, zeros(2, 4), a, 0.2, 0.2, delta: 2.0));
    }

    [Fact]
    public void Cispo_weighs_the_log_probability_by_the_capped_ratio_and_passes_every_tokens_gradient()
    {
        // logp -1 and -2 with old log-probs giving ratios 2 and 0.25; cap 1.5, so weights 1.5 and 0.25; A = 2.
        var logp = tensor(new[,] { { -1f, -2f } }).requires_grad_();
        var old = tensor(new[,] { { -1f - (float)System.Math.Log(2), -2f + (float)System.Math.Log(4) } });
        var loss = GrpoMath.CispoLoss(logp, old, tensor(new[] { 2f }), cap: 1.5);
        AssertClose(new[,] { { 3.0, 1.0 } }, loss); // -1.5 x 2 x (-1), -0.25 x 2 x (-2)
        loss.sum().backward();
        AssertClose(new[,] { { -3.0, -0.5 } }, logp.grad!); // -w A: the ratio-2 token is not clipped out, only capped (PPO's clip would zero it)
    }

    [Fact]
    public void Sapo_gates_softly_with_the_temperature_of_the_advantages_sign()
    {
        var logp = tensor(new[,] { { 0f, (float)System.Math.Log(1.5) }, { 0f, (float)System.Math.Log(1.5) } }).requires_grad_();
        var loss = GrpoMath.SapoLoss(logp, zeros(2, 2), tensor(new[] { 1f, -1f }), temperaturePositive: 1.0, temperatureNegative: 1.05);
        double Gate(double r, double tau) => 4 / tau / (1 + System.Math.Exp(-tau * (r - 1)));
        AssertClose(new[,] { { -Gate(1, 1), -Gate(1.5, 1) }, { Gate(1, 1.05), Gate(1.5, 1.05) } }, loss); // -2, -2.4898; 1.9048, 2.5238
        loss.sum().backward();
        // d/dlogp = -A * gate'(r) * r with gate'(1) = 1: on-policy, SAPO's gradient is the plain surrogate's, -A.
        var grad = logp.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(-1.0, grad[0], 5);
        Assert.Equal(1.0, grad[2], 5);
        double Slope(double r, double tau) => 4 * System.Math.Exp(-tau * (r - 1)) / System.Math.Pow(1 + System.Math.Exp(-tau * (r - 1)), 2);
        Assert.Equal(-Slope(1.5, 1) * 1.5, grad[1], 5);
        Assert.Equal(Slope(1.5, 1.05) * 1.5, grad[3], 5);
    }

    [Fact]
    public void The_top_entropy_quantile_keeps_the_counted_tokens_at_or_above_the_quantile()
    {
        var entropy = tensor(new[,] { { 0.1f, 0.5f, 0.9f, 2.0f }, { 0.3f, 0.7f, 0f, 0f } });
        var mask = tensor(new[,] { { 1f, 1f, 1f, 0f }, { 1f, 1f, 0f, 0f } });
        // Counted entropies 0.1 0.3 0.5 0.7 0.9; the top 40 % lie at or above their 0.6 quantile, 0.5 + 0.4 x 0.2 = 0.58.
        AssertClose(new[,] { { 0.0, 0.0, 1.0, 0.0 }, { 0.0, 1.0, 0.0, 0.0 } }, GrpoMath.HighEntropyMask(entropy, mask, 0.4));
        AssertClose(new[,] { { 1.0, 1.0, 1.0, 0.0 }, { 1.0, 1.0, 0.0, 0.0 } }, GrpoMath.HighEntropyMask(entropy, mask, 1.0)); // the masked 2.0 never counts
    }

    [Fact]
    public void Cispo_aggregates_as_dapo_and_sapo_as_grpo()
    {
        var perToken = tensor(new[,] { { 1f, 2f, 3f, 0f }, { 4f, 0f, 0f, 0f } });
        var mask = tensor(new[,] { { 1f, 1f, 1f, 0f }, { 1f, 0f, 0f, 0f } });
        var whole = new LossScale(TotalRows: 2, TotalTokens: 4, MicroBatches: 1, MaxCompletionTokens: 4);
        Assert.Equal(2.5, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.Cispo, whole)), 6);
        Assert.Equal(3.0, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.Sapo, whole)), 6);
    }

    [Theory]
    [InlineData("cispo", null, null, "set epsilon_high to the cap")]
    [InlineData("grpo", 1.1, null, "delta must be above 1 + epsilon_high")]
    [InlineData("grpo", null, 0.0, "top_entropy_quantile")]
    public void Loss_options_that_cannot_work_are_refused_with_the_fix(string lossType, double? delta, double? quantile, string message)
    {
        var config = new GrpoConfig { InitFrom = "x", Data = "d.jsonl", LossType = Enum.Parse<LossAggregation>(lossType, ignoreCase: true), Delta = delta, TopEntropyQuantile = quantile ?? 1.0 };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => config.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_then_sum_refuses_a_scale_rewards_it_would_ignore()
    {
        var config = new GrpoConfig { InitFrom = "x", Data = "d.jsonl", MultiObjectiveAggregation = MultiObjectiveAggregation.NormalizeThenSum, ScaleRewards = RewardScaling.None };
        Assert.Contains("leave scale_rewards at group", Assert.Throws<ArgumentException>(() => config.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_loss_aggregation_matches_hand_computed_values_and_micro_batches_add_up()
    {
        var perToken = tensor(new[,] { { 1f, 2f, 3f, 0f }, { 4f, 0f, 0f, 0f } });
        var mask = tensor(new[,] { { 1f, 1f, 1f, 0f }, { 1f, 0f, 0f, 0f } });
        var whole = new LossScale(TotalRows: 2, TotalTokens: 4, MicroBatches: 1, MaxCompletionTokens: 4);
        Assert.Equal(3.0, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.Grpo, whole)), 6);     // (6/3 + 4/1) / 2
        Assert.Equal(2.5, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.Bnpo, whole)), 6);     // 10 / 4
        Assert.Equal(2.5, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.Dapo, whole)), 6);     // 10 / 4
        Assert.Equal(1.25, Value(GrpoMath.Aggregate(perToken, mask, LossAggregation.DrGrpo, whole)), 6); // 10 / (2 x 4)

        // Split into two micro-batches of one row: grpo, dapo and dr_grpo add up to the whole-batch value;
        // bnpo averages per-micro-batch token means (as TRL's does under gradient accumulation): (2 + 4) / 2.
        var split = whole with { MicroBatches = 2 };
        double Sum(LossAggregation kind) => Enumerable.Range(0, 2).Sum(r => Value(GrpoMath.Aggregate(perToken.narrow(0, r, 1), mask.narrow(0, r, 1), kind, split)));
        Assert.Equal(3.0, Sum(LossAggregation.Grpo), 6);
        Assert.Equal(2.5, Sum(LossAggregation.Dapo), 6);
        Assert.Equal(1.25, Sum(LossAggregation.DrGrpo), 6);
        Assert.Equal(3.0, Sum(LossAggregation.Bnpo), 6);
    }

    [Fact]
    public void A_group_whose_rewards_are_all_equal_contributes_no_gradient()
    {
        manual_seed(5);
        var tokenizer = new CharTokenizer();
        var model = new CausalLM(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, VocabSize = tokenizer.VocabSize, MaxPositionEmbeddings = 128 });
        var prompt = new GrpoPrompt("2+3", "5", "level-1");
        var promptIds = tokenizer.Chat.Prompt(tokenizer, prompt.Question);
        var score = new RewardScore(new Dictionary<string, double?> { ["accuracy"] = 1.0 }, 1.0);
        var rows = new[] { "<answer>5</answer>", "<think>2 + 3 = 5</think>\n<answer>5</answer>", "<answer>5</answer>" }
            .Select(c => new Rollout(prompt, promptIds, tokenizer.Chat.Completion(tokenizer, c), c, false, score, 1.0)).ToList();
        var advantages = GrpoMath.Advantages(rows.Select(r => r.Score.Total).ToList(), 3, RewardScaling.Group);
        using var t = RolloutTensors.Build(rows, tokenizer.PadId, maskTruncated: false);
        var (logProbs, _) = t.Score(model);
        var loss = GrpoMath.Aggregate(GrpoMath.PerTokenLoss(logProbs, logProbs.detach(), tensor(advantages.Select(a => (float)a).ToArray()), 0.2, 0.2), t.Mask, LossAggregation.Dapo, new LossScale(3, 30, 1, 64));
        loss.backward();
        Assert.All(model.parameters(), p => Assert.Equal(0f, p.grad!.abs().max().item<float>()));

        // The same rows with different rewards do move the weights.
        model.zero_grad();
        var (again, _) = t.Score(model);
        var moving = GrpoMath.Aggregate(GrpoMath.PerTokenLoss(again, again.detach(), tensor(new[] { 1f, -1f, 0f }), 0.2, 0.2), t.Mask, LossAggregation.Dapo, new LossScale(3, 30, 1, 64));
        moving.backward();
        Assert.Contains(model.parameters(), p => p.grad!.abs().max().item<float>() > 0);
    }

    [Fact]
    public void The_mask_covers_exactly_the_completion_tokens_and_drops_truncated_rows_when_asked()
    {
        var tokenizer = new CharTokenizer();
        var prompt = new GrpoPrompt("1+1", "2", "level-1");
        var promptIds = tokenizer.Chat.Prompt(tokenizer, prompt.Question); // 5 tokens: bos 1 + 1 assistant
        var score = new RewardScore(new Dictionary<string, double?>(), 0);
        var done = new Rollout(prompt, promptIds, tokenizer.Chat.Completion(tokenizer, "2"), "2", false, score, 0); // "2" + eos
        var cut = new Rollout(prompt, promptIds, tokenizer.Encode("222"), "222", true, score, 0);
        using var kept = RolloutTensors.Build([done, cut], tokenizer.PadId, maskTruncated: false);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 0 }, kept.Mask[0].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1 }, kept.Mask[1].data<float>().ToArray());
        Assert.Equal(tokenizer.EosId, kept.Targets[0, 5].item<long>());
        using var masked = RolloutTensors.Build([done, cut], tokenizer.PadId, maskTruncated: true);
        Assert.Equal(0f, masked.Mask[1].sum().item<float>());
    }

    private static double Value(Tensor t) => t.item<float>();

    private static void AssertClose(double[,] expected, Tensor actual)
    {
        var values = actual.to_type(ScalarType.Float64).data<double>().ToArray();
        var flat = expected.Cast<double>().ToArray();
        Assert.Equal(flat.Length, values.Length);
        for (int i = 0; i < flat.Length; i++)
        {
            Assert.True(System.Math.Abs(flat[i] - values[i]) < 1e-5, $"element {i}: expected {flat[i]}, got {values[i]}");
        }
    }
}
