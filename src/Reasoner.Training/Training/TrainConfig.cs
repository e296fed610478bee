// Everything that decides a training run; saved whole as the run's config.json so a run can be repeated
// or resumed. Defaults are for the tiny CPU models (nanoGPT-like: AdamW, warmup + cosine, clip 1.0).
using System.Text.Json.Serialization;

namespace Reasoner.Training.Training;

public enum TrainMode
{
    /// <summary>Loss on the completion only (TRL's completion_only_loss).</summary>
    Sft,

    /// <summary>Next-token loss on every token of prompt and completion.</summary>
    Pretrain,
}

public sealed record TrainConfig
{
    [JsonPropertyName("data")]
    public string Data { get; init; } = string.Empty;

    /// <summary>Held-out JSONL scored with the verifier every eval_every steps; optional.</summary>
    [JsonPropertyName("eval_data")]
    public string? EvalData { get; init; }

    /// <summary>Model size preset (nano, micro, mini) or a config.json path; ignored when starting from init_from.</summary>
    [JsonPropertyName("model")]
    public string Model { get; init; } = "nano";

    /// <summary>Start from this checkpoint's weights (fine-tuning) instead of a fresh model.</summary>
    [JsonPropertyName("init_from")]
    public string? InitFrom { get; init; }

    [JsonPropertyName("mode")]
    [JsonConverter(typeof(JsonStringEnumConverter<TrainMode>))]
    public TrainMode Mode { get; init; } = TrainMode.Sft;

    [JsonPropertyName("seed")]
    public long Seed { get; init; } = 1;

    /// <summary>Optimizer steps; 0 means "until time_budget_seconds".</summary>
    [JsonPropertyName("max_steps")]
    public int MaxSteps { get; init; } = 1_000;

    /// <summary>Wall-clock budget in seconds; 0 means none. The schedule follows whichever ends first.</summary>
    [JsonPropertyName("time_budget_seconds")]
    public double TimeBudgetSeconds { get; init; }

    /// <summary>Tokens per micro-batch (padding included); rows per batch = this / longest row in the bucket.</summary>
    [JsonPropertyName("batch_tokens")]
    public int BatchTokens { get; init; } = 8_192;

    [JsonPropertyName("grad_accum")]
    public int GradAccum { get; init; } = 1;

    [JsonPropertyName("learning_rate")]
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>The cosine ends at learning_rate * min_lr_ratio.</summary>
    [JsonPropertyName("min_lr_ratio")]
    public double MinLrRatio { get; init; } = 0.1;

    [JsonPropertyName("warmup_steps")]
    public int WarmupSteps { get; init; } = 50;

    [JsonPropertyName("weight_decay")]
    public double WeightDecay { get; init; } = 0.1;

    [JsonPropertyName("beta1")]
    public double Beta1 { get; init; } = 0.9;

    /// <summary>0.95 as in nanoGPT and Llama: steadier on small batches than 0.999.</summary>
    [JsonPropertyName("beta2")]
    public double Beta2 { get; init; } = 0.95;

    [JsonPropertyName("clip_grad_norm")]
    public double ClipGradNorm { get; init; } = 1.0;

    /// <summary>Rows longer than this are dropped (and counted) rather than truncated, so no answer is cut off.</summary>
    [JsonPropertyName("max_seq_len")]
    public int MaxSeqLen { get; init; } = 1_024;

    [JsonPropertyName("checkpoint_every")]
    public int CheckpointEvery { get; init; } = 100;

    [JsonPropertyName("keep_checkpoints")]
    public int KeepCheckpoints { get; init; } = 3;

    [JsonPropertyName("eval_every")]
    public int EvalEvery { get; init; } = 100;

    /// <summary>Held-out items scored at each periodic evaluation (greedy).</summary>
    [JsonPropertyName("eval_items")]
    public int EvalItems { get; init; } = 100;

    /// <summary>Longest completion generated when scoring held-out items during training.</summary>
    [JsonPropertyName("eval_max_new_tokens")]
    public int EvalMaxNewTokens { get; init; } = 768;

    [JsonPropertyName("log_every")]
    public int LogEvery { get; init; } = 10;

    /// <summary>fp32, or bf16 compute with fp32 master weights and optimizer state.</summary>
    [JsonPropertyName("precision")]
    [JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>libtorch intra-op threads; 1 is best for the tiny models (two runs side by side use two cores).</summary>
    [JsonPropertyName("threads")]
    public int Threads { get; init; } = 1;

    public TrainConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(Data))
        {
            throw new ArgumentException("data is required: a JSONL file from `reasoner generate`");
        }

        if (MaxSteps < 0 || TimeBudgetSeconds < 0 || (MaxSteps == 0 && TimeBudgetSeconds == 0))
        {
            throw new ArgumentException("set max_steps > 0 or time_budget_seconds > 0 (or both)");
        }

        if (BatchTokens < 16 || GradAccum < 1 || MaxSeqLen < 8)
        {
            throw new ArgumentException("batch_tokens must be >= 16, grad_accum >= 1, max_seq_len >= 8");
        }

        if (LearningRate <= 0 || MinLrRatio is < 0 or > 1 || WarmupSteps < 0 || WeightDecay < 0 || Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1 || ClipGradNorm < 0)
        {
            throw new ArgumentException("optimizer settings out of range: learning_rate > 0, 0 <= min_lr_ratio <= 1, warmup_steps >= 0, weight_decay >= 0, 0 <= beta < 1, clip_grad_norm >= 0");
        }

        if (CheckpointEvery < 1 || KeepCheckpoints < 1 || EvalEvery < 1 || LogEvery < 1 || Threads < 1 || EvalItems < 0 || EvalMaxNewTokens < 1)
        {
            throw new ArgumentException("checkpoint_every, keep_checkpoints, eval_every, log_every and threads must be at least 1");
        }

        return this;
    }
}
