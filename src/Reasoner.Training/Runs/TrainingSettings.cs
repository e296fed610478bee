// The training fields every run spells the same way, SFT (TrainConfig) and GRPO (GrpoConfig) alike: seed, limits,
// the optimizer and its schedule, the log/eval/checkpoint cadence, threads, the chat template and LoRA. Each record
// keeps its own defaults (set in its constructor); the JSON names, and so the flags, are those of TRL where it has one.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Training.Optimization;

namespace Reasoner.Training.Runs;

public abstract record TrainingSettings
{
    [JsonPropertyName("eval_data")]
    [Description("Held-out JSONL scored (greedy) with the verifier every eval_every steps; optional.")]
    public string? EvalData { get; init; }

    [JsonPropertyName("seed")]
    [Description("Seed for every random choice of the run: initialisation, data order, prompts and sampling.")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("max_steps")]
    [Description("Optimizer steps (GRPO: rollout batches, each trained num_iterations times); 0 means until time_budget_seconds.")]
    public int MaxSteps { get; init; } = 1_000;

    [JsonPropertyName("time_budget_seconds")]
    [Description("Wall-clock seconds; 0 means none. The schedule follows whichever limit ends first.")]
    public double TimeBudgetSeconds { get; init; }

    [JsonPropertyName("learning_rate")]
    [Description("Peak learning rate.")]
    public double LearningRate { get; init; } = 3e-3;

    [JsonPropertyName("lr_scheduler_type")]
    [Description("cosine, linear or constant after warmup.")]
    public LrSchedulerType LrSchedulerType { get; init; } = LrSchedulerType.Cosine;

    [JsonPropertyName("min_lr_ratio")]
    [Description("A cosine or linear decay ends at learning_rate * min_lr_ratio.")]
    public double MinLrRatio { get; init; } = 0.1;

    [JsonPropertyName("warmup_steps")]
    [Description("Steps of linear warmup.")]
    public int WarmupSteps { get; init; } = 50;

    [JsonPropertyName("weight_decay")]
    [Description("AdamW's decoupled weight decay (matrices only, as nanoGPT).")]
    public double WeightDecay { get; init; } = 0.1;

    [JsonPropertyName("beta1")]
    [Description("AdamW beta1.")]
    public double Beta1 { get; init; } = 0.9;

    [JsonPropertyName("beta2")]
    [Description("AdamW beta2 (SFT's 0.95, as nanoGPT and Llama, is steadier on small batches than 0.999).")]
    public double Beta2 { get; init; } = 0.95;

    [JsonPropertyName("clip_grad_norm")]
    [Description("Clip the global gradient norm to this; 0 turns clipping off.")]
    public double ClipGradNorm { get; init; } = 1.0;

    [JsonPropertyName("checkpoint_every")]
    [Description("Steps between checkpoints.")]
    public int CheckpointEvery { get; init; } = 100;

    [JsonPropertyName("keep_checkpoints")]
    [Description("Newest checkpoints kept; older ones are deleted.")]
    public int KeepCheckpoints { get; init; } = 3;

    [JsonPropertyName("eval_every")]
    [Description("Steps between held-out evaluations.")]
    public int EvalEvery { get; init; } = 100;

    [JsonPropertyName("eval_items")]
    [Description("Held-out items scored at each evaluation (greedy).")]
    public int EvalItems { get; init; } = 100;

    [JsonPropertyName("log_every")]
    [Description("Steps between metrics.jsonl lines.")]
    public int LogEvery { get; init; } = 10;

    [JsonPropertyName("chat_template")]
    [Description(Reasoner.Model.Tokenization.ChatFormats.OptionHelp + ".")]
    public string? ChatTemplate { get; init; }

    [JsonPropertyName("lora")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoraSettings? Lora { get; init; }

    [JsonPropertyName("threads")]
    [Description("libtorch threads; 1 is best for the tiny models (two runs side by side use two cores).")]
    public int Threads { get; init; } = 1;
}
