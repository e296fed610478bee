// Everything that decides a GRPO run, saved whole as the run's config.json. Names and defaults follow TRL's
// GRPOConfig where that fits a tiny CPU model, and say so where they do not (see ARCHITECTURE.md, "GRPO defaults").
// Each [Description] is also the `reasoner grpo` flag's help text, and each default the flag's default.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Training.Optimization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Grpo;

/// <summary>How group-relative advantages are scaled (TRL's <c>scale_rewards</c>).</summary>
public enum RewardScaling
{
    /// <summary>(r - group mean) / (group std + eps): the original GRPO.</summary>
    Group,

    /// <summary>(r - group mean) / (std over the whole batch + eps).</summary>
    Batch,

    /// <summary>r - group mean, unscaled ("Dr. GRPO": std scaling over-weights groups that are almost all right or all wrong).</summary>
    None,
}

/// <summary>Where the importance ratio is taken (TRL's <c>importance_sampling_level</c>).</summary>
public enum ImportanceSamplingLevel
{
    /// <summary>One ratio per token, pi / pi_old (GRPO, PPO).</summary>
    Token,

    /// <summary>One ratio per sequence, exp(mean over its tokens of log pi - log pi_old), shared by its tokens (GSPO).</summary>
    Sequence,
}

/// <summary>How per-token losses become one number (TRL's <c>loss_type</c>).</summary>
public enum LossAggregation
{
    /// <summary>Mean over each sequence's tokens, then mean over sequences (long completions get less weight per token).</summary>
    Grpo,

    /// <summary>Token mean over each micro-batch, averaged over micro-batches.</summary>
    Bnpo,

    /// <summary>Token mean over the whole rollout batch (DAPO).</summary>
    Dapo,

    /// <summary>Sum over tokens divided by a constant, rows x max_new_tokens (Dr. GRPO).</summary>
    DrGrpo,

    /// <summary>
    /// CISPO (MiniMax-M1): -sg(min(ratio, epsilon_high)) * A * log pi per token, so no token's gradient is clipped away,
    /// only its importance weight capped; a token mean over the whole rollout batch, as dapo.
    /// </summary>
    Cispo,

    /// <summary>
    /// SAPO: a soft gate instead of the hard clip, -sigmoid(tau (ratio - 1)) * 4 / tau * A per token, tau the
    /// positive or negative temperature by the advantage's sign; the mean over each sequence, then over sequences, as grpo.
    /// </summary>
    Sapo,
}

/// <summary>How several reward functions become one advantage (TRL's <c>multi_objective_aggregation</c>).</summary>
public enum MultiObjectiveAggregation
{
    /// <summary>The weighted sum of the rewards, then group-relative advantages scaled by scale_rewards (GRPO).</summary>
    SumThenNormalize,

    /// <summary>
    /// Each reward function normalised within its group first ((r - mean) / (std + eps), GDPO), so a reward with a
    /// wide range cannot drown one with a narrow range; the weighted sum, then normalised over the whole batch.
    /// </summary>
    NormalizeThenSum,
}

public sealed record CurriculumConfig
{
    [JsonPropertyName("levels")]
    [Description("Preset names from easiest to hardest; prompts are drawn from the current level.")]
    public IReadOnlyList<string> Levels { get; init; } = ["level-1", "level-2", "level-3"];

    [JsonPropertyName("start_level")]
    [Description("Index of the level to start at.")]
    public int StartLevel { get; init; }

    [JsonPropertyName("up_threshold")]
    [Description("Move up one level when the success rate over the window reaches this.")]
    public double UpThreshold { get; init; } = 0.7;

    [JsonPropertyName("down_threshold")]
    [Description("Move down one level when the success rate over the window falls to this.")]
    public double DownThreshold { get; init; } = 0.1;

    [JsonPropertyName("window")]
    [Description("Completions (not steps) that make up the recent success rate; the window restarts after a move.")]
    public int Window { get; init; } = 256;

    public CurriculumConfig Validate()
    {
        if (Levels.Count == 0)
        {
            throw new ArgumentException("curriculum.levels is empty: list preset names from easiest to hardest, e.g. [\"level-1\", \"level-2\"]");
        }

        foreach (var level in Levels)
        {
            _ = PresetCatalog.Resolve(level);
        }

        if (StartLevel < 0 || StartLevel >= Levels.Count)
        {
            throw new ArgumentException($"curriculum.start_level must be between 0 and {Levels.Count - 1}, got {StartLevel}");
        }

        if (UpThreshold is <= 0 or > 1 || DownThreshold is < 0 or >= 1 || DownThreshold >= UpThreshold || Window < 1)
        {
            throw new ArgumentException($"curriculum needs 0 <= down_threshold < up_threshold <= 1 and window >= 1 (got down {DownThreshold}, up {UpThreshold}, window {Window})");
        }

        return this;
    }
}

public sealed record GrpoConfig : TrainingSettings, IRunSettings
{
    /// <summary>GRPO's own defaults for the shared fields (see ARCHITECTURE.md, "GRPO defaults").</summary>
    public GrpoConfig()
    {
        // 3e-5 for 153 steps lifted a nano CoT model's held-out accuracy 46.7 -> 50.3 %; 1e-4 dropped it to 37.3 %.
        (MaxSteps, LearningRate, LrSchedulerType, MinLrRatio, WarmupSteps, WeightDecay, Beta2) = (200, 3e-5, LrSchedulerType.Constant, 0, 0, 0, 0.99);
        (LogEvery, CheckpointEvery, EvalEvery) = (1, 50, 50);
    }

    [JsonPropertyName("init_from")]
    [Description("The policy starts from this checkpoint or run folder: a base model for R1-Zero, an SFT model for R1. Required.")]
    public string InitFrom { get; init; } = string.Empty;

    [JsonPropertyName("data")]
    [Description("Prompts with gold answers (JSONL from `reasoner generate`); or leave it out and set a curriculum.")]
    public string? Data { get; init; }

    [JsonPropertyName("curriculum")]
    public CurriculumConfig? Curriculum { get; init; }

    [JsonPropertyName("prompts_per_step")]
    [Description("P: distinct prompts per rollout batch.")]
    public int PromptsPerStep { get; init; } = 8;

    [JsonPropertyName("num_generations")]
    [Description("G: completions per prompt (TRL 8, DeepSeek-R1 16).")]
    public int NumGenerations { get; init; } = 8;

    [JsonPropertyName("micro_batch_rows")]
    [Description("Rows per forward/backward pass when training on a rollout batch; must divide P x G. Default: the whole rollout batch.")]
    public int? MicroBatchRows { get; init; }

    [JsonPropertyName("temperature")]
    [Description("Sampling temperature for rollouts.")]
    public double Temperature { get; init; } = 1.0;

    [JsonPropertyName("top_k")]
    [Description("Keep only the k most likely tokens when sampling; 0 keeps all.")]
    public int TopK { get; init; }

    [JsonPropertyName("top_p")]
    [Description("Nucleus sampling: keep the smallest set of tokens whose probability reaches p.")]
    public double TopP { get; init; } = 1.0;

    [JsonPropertyName("max_new_tokens")]
    [Description("Longest completion; longer ones are truncated (and logged).")]
    public int MaxNewTokens { get; init; } = 512;

    [JsonPropertyName("rewards")]
    [Description("Weighted reward functions, name:weight comma separated: accuracy, format, steps, length.")]
    public string Rewards { get; init; } = "accuracy:1,format:0.1";

    [JsonPropertyName("scale_rewards")]
    [JsonConverter(typeof(SnakeCaseEnumConverter<RewardScaling>))]
    [Description("How advantages are scaled: group, batch or none.")]
    public RewardScaling ScaleRewards { get; init; } = RewardScaling.Group;

    [JsonPropertyName("multi_objective_aggregation")]
    [JsonConverter(typeof(SnakeCaseEnumConverter<MultiObjectiveAggregation>))]
    [Description("sum_then_normalize (the weighted sum of the rewards, then group-relative advantages) or normalize_then_sum (each reward normalised within its group, then the weighted sum, then normalised over the batch, as TRL's GDPO option; scale_rewards must stay group).")]
    public MultiObjectiveAggregation MultiObjectiveAggregation { get; init; } = MultiObjectiveAggregation.SumThenNormalize;

    [JsonPropertyName("loss_type")]
    [JsonConverter(typeof(SnakeCaseEnumConverter<LossAggregation>))]
    [Description("The loss: grpo, bnpo, dapo or dr_grpo (the clipped surrogate, aggregated four ways), cispo (capped importance weight times log-probability; set epsilon_high to the cap, e.g. 5) or sapo (a soft gate, see sapo_temperature_pos/neg).")]
    public LossAggregation LossType { get; init; } = LossAggregation.Dapo;

    [JsonPropertyName("importance_sampling_level")]
    [JsonConverter(typeof(SnakeCaseEnumConverter<ImportanceSamplingLevel>))]
    [Description("token (GRPO) or sequence (GSPO: each completion's ratio is the geometric mean of its tokens' ratios, clipped as one; GSPO's paper clips at epsilon 3e-4, epsilon_high 4e-4). Only matters off-policy: num_iterations > 1.")]
    public ImportanceSamplingLevel ImportanceSamplingLevel { get; init; } = ImportanceSamplingLevel.Token;

    [JsonPropertyName("epsilon")]
    [Description("Lower clip range of the probability ratio (TRL's epsilon); also the upper one unless epsilon_high is set.")]
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Read-only alias for configs written before the TRL name: "epsilon_low" sets epsilon.</summary>
    [JsonPropertyName("epsilon_low")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? EpsilonLow
    {
        get => null;
        init
        {
            if (value is { } low)
            {
                Epsilon = low;
            }
        }
    }

    [JsonPropertyName("epsilon_high")]
    [Description("Upper clip range; DAPO's clip-higher uses 0.28. Default: epsilon.")]
    public double? EpsilonHigh { get; init; }

    [JsonPropertyName("delta")]
    [Description("Two-sided clipping: the unclipped ratio is also capped at delta (above 1 + epsilon_high), so a negative advantage cannot push a token's ratio without bound (TRL's delta). Unset: off.")]
    public double? Delta { get; init; }

    [JsonPropertyName("sapo_temperature_pos")]
    [Description("SAPO's gate temperature for tokens with a positive advantage.")]
    public double SapoTemperaturePos { get; init; } = 1.0;

    [JsonPropertyName("sapo_temperature_neg")]
    [Description("SAPO's gate temperature for tokens with a negative advantage (higher: those updates fade faster off-policy).")]
    public double SapoTemperatureNeg { get; init; } = 1.05;

    [JsonPropertyName("top_entropy_quantile")]
    [Description("Train only on the completion tokens whose entropy is in this top share of each micro-batch (0.2: the 20 % most uncertain, Wang et al. 2025); 1.0 trains on all.")]
    public double TopEntropyQuantile { get; init; } = 1.0;

    [JsonPropertyName("entropy_coef")]
    [Description("Entropy bonus: the loss minus this times the mean token entropy (aggregated as the loss), against entropy collapse; 0 is off.")]
    public double EntropyCoef { get; init; }

    [JsonPropertyName("beta")]
    [Description("KL weight against the frozen starting model (k3 estimator); 0 skips the reference model entirely.")]
    public double Beta { get; init; }

    [JsonPropertyName("num_iterations")]
    [Description("mu: optimisation passes over each rollout batch (the clipped ratio matters from the second pass on).")]
    public int NumIterations { get; init; } = 1;

    [JsonPropertyName("steps_per_generation")]
    [Description("Steps per generation batch (TRL's steps_per_generation): one generation samples steps_per_generation x prompts_per_step prompts, takes advantages over all of them, shuffles the rows (seeded) and trains one slice per step; later slices are off-policy, so every row keeps the log-probabilities it was sampled with. A resumed run starts a fresh generation batch, as TRL does.")]
    public int StepsPerGeneration { get; init; } = 1;

    [JsonPropertyName("filter_groups")]
    [Description("DAPO's dynamic sampling (verl's algorithm.filter_groups): drop groups whose rewards are all equal (advantage 0: nothing to learn) and sample more prompts until the step has prompts_per_step groups that teach, at most max_num_gen_batches generation batches.")]
    public bool FilterGroups { get; init; }

    [JsonPropertyName("max_num_gen_batches")]
    [Description("With filter_groups: the most generation batches per step; a step still short of groups then trains on those it has (none: no update).")]
    public int MaxNumGenBatches { get; init; } = 8;

    [JsonPropertyName("skip_zero_advantage_rows")]
    [Description("Skip the forward and backward passes of rows whose advantage is exactly 0 (every row of a group whose rewards are all equal) when they cannot change the gradient: beta 0, entropy_coef 0, top_entropy_quantile 1 and a loss_type other than bnpo. Their tokens still count in the loss's normaliser, so the update is the same; entropy is then averaged over the rows trained. Not a TRL option (TRL trains them).")]
    public bool SkipZeroAdvantageRows { get; init; } = true;

    /// <summary>Whether a row with advantage 0 adds nothing to the gradient under these settings, so it can be skipped.</summary>
    [JsonIgnore]
    public bool ZeroAdvantageRowsAreInert => SkipZeroAdvantageRows && Beta == 0 && EntropyCoef == 0 && TopEntropyQuantile >= 1 && LossType != LossAggregation.Bnpo;

    [JsonPropertyName("mask_truncated_completions")]
    [Description("Leave completions cut off by max_new_tokens out of the loss (DAPO's overlong filtering).")]
    public bool MaskTruncatedCompletions { get; init; }

    [JsonPropertyName("log_completions_every")]
    [Description("Every N steps, some prompts with their completions and rewards go to completions.jsonl.")]
    public int LogCompletionsEvery { get; init; } = 10;

    [JsonIgnore]
    public int RowsPerStep => PromptsPerStep * NumGenerations;

    /// <summary>The upper clip bound in use: epsilon_high, or epsilon when it is not set (as TRL).</summary>
    [JsonIgnore]
    public double ClipHigh => EpsilonHigh ?? Epsilon;

    /// <summary>Rows per forward/backward pass in use: micro_batch_rows, or the whole rollout batch.</summary>
    [JsonIgnore]
    public int MicroBatch => MicroBatchRows ?? RowsPerStep;

    string? IRunSettings.StartingModel => string.IsNullOrWhiteSpace(InitFrom) ? null : InitFrom;

    /// <summary>Held-out completions are as long as rollouts may be.</summary>
    int IRunSettings.EvalMaxNewTokens => MaxNewTokens;

    /// <summary>The effective config that is saved and run: init_from as the checkpoint folder it names, files as full paths, every default filled in.</summary>
    public GrpoConfig Resolved() => this with
    {
        InitFrom = string.IsNullOrWhiteSpace(InitFrom) ? InitFrom : Path.GetFullPath(CheckpointPaths.Resolve(InitFrom)),
        Data = Data is { } data ? Path.GetFullPath(data) : null,
        EvalData = EvalData is { } eval ? Path.GetFullPath(eval) : null,
        EpsilonHigh = ClipHigh,
        MicroBatchRows = MicroBatch,
    };

    /// <summary>Fails at start, saying what to change, instead of halfway through a run.</summary>
    public GrpoConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(InitFrom))
        {
            throw new ArgumentException("init_from is required: a base checkpoint (`reasoner pretrain`) for R1-Zero or an SFT checkpoint for R1");
        }

        if ((Data is null) == (Curriculum is null))
        {
            throw new ArgumentException("set exactly one prompt source: data (a JSONL file with answers) or curriculum (preset levels)");
        }

        Curriculum?.Validate();
        if (NumGenerations < 2)
        {
            throw new ArgumentException($"num_generations must be at least 2 (got {NumGenerations}): advantages compare completions within a group, and a group of one has no signal");
        }

        if (PromptsPerStep < 1)
        {
            throw new ArgumentException($"prompts_per_step must be at least 1 (got {PromptsPerStep})");
        }

        if (MicroBatch < 1 || RowsPerStep % MicroBatch != 0)
        {
            throw new ArgumentException($"micro_batch_rows ({MicroBatch}) must divide the rollout batch, prompts_per_step x num_generations = {RowsPerStep}; try {LargestDivisorAtMost(RowsPerStep, MicroBatch)}");
        }

        if (Beta < 0 || double.IsNaN(Beta))
        {
            throw new ArgumentException($"beta must be >= 0 (got {Beta}); 0 turns the KL penalty and the reference model off");
        }

        if (Epsilon is < 0 or >= 1 || ClipHigh < 0)
        {
            throw new ArgumentException($"clipping needs 0 <= epsilon < 1 and epsilon_high >= 0 (got {Epsilon}, {ClipHigh})");
        }

        if (MultiObjectiveAggregation == MultiObjectiveAggregation.NormalizeThenSum && ScaleRewards != RewardScaling.Group)
        {
            throw new ArgumentException($"scale_rewards {ScaleRewards.ToString().ToLowerInvariant()} has no effect with multi_objective_aggregation normalize_then_sum, which always normalises each reward within its group and the sum over the batch (as TRL); leave scale_rewards at group or use sum_then_normalize");
        }

        if (LossType == LossAggregation.Cispo && ClipHigh < 1)
        {
            throw new ArgumentException($"loss_type cispo caps the importance weight at epsilon_high, which is {ClipHigh}; set epsilon_high to the cap, at least 1 (MiniMax-M1 used about 5)");
        }

        if (Delta is { } delta && (double.IsNaN(delta) || delta <= 1 + ClipHigh))
        {
            throw new ArgumentException($"delta must be above 1 + epsilon_high = {1 + ClipHigh} (got {delta}): it caps the ratio where the clip does not");
        }

        if (SapoTemperaturePos <= 0 || SapoTemperatureNeg <= 0 || TopEntropyQuantile is <= 0 or > 1 || EntropyCoef < 0 || double.IsNaN(EntropyCoef))
        {
            throw new ArgumentException($"sapo temperatures must be > 0, 0 < top_entropy_quantile <= 1 and entropy_coef >= 0 (got {SapoTemperaturePos}, {SapoTemperatureNeg}, {TopEntropyQuantile}, {EntropyCoef})");
        }

        if (MaxNumGenBatches < 1)
        {
            throw new ArgumentException($"max_num_gen_batches must be at least 1, got {MaxNumGenBatches}");
        }

        if (Temperature <= 0 || TopK < 0 || TopP is <= 0 or > 1 || MaxNewTokens < 1)
        {
            throw new ArgumentException("sampling needs temperature > 0 (rollouts must differ), top_k >= 0, 0 < top_p <= 1, max_new_tokens >= 1");
        }

        if (StepsPerGeneration < 1)
        {
            throw new ArgumentException($"steps_per_generation must be at least 1 (got {StepsPerGeneration}); 1 generates for every step");
        }

        if (NumIterations < 1)
        {
            throw new ArgumentException($"num_iterations must be at least 1 (got {NumIterations})");
        }

        RunSettings.Validate(this);
        if (LogCompletionsEvery < 1)
        {
            throw new ArgumentException("log_completions_every must be at least 1");
        }

        _ = RewardSet.Parse(Rewards, VerifierOptions.Default);
        return this;
    }

    private static int LargestDivisorAtMost(int n, int limit)
    {
        for (int d = System.Math.Max(1, System.Math.Min(n, limit)); d > 1; d--)
        {
            if (n % d == 0)
            {
                return d;
            }
        }

        return 1;
    }
}
