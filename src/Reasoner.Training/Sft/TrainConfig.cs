// Everything that decides an SFT or pretraining run; saved whole as the run's config.json so a run can be repeated
// or resumed. Defaults are for the tiny CPU models (nanoGPT-like: AdamW, warmup + cosine, clip 1.0). Each
// [Description] is also the `reasoner train` flag's help text, and each default the flag's default.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Training.Optimization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Sft;

public enum TrainMode
{
    /// <summary>Loss on the completion only (TRL's completion_only_loss).</summary>
    Sft,

    /// <summary>Next-token loss on every token of prompt and completion.</summary>
    Pretrain,
}

public sealed record TrainConfig : IRunSettings
{
    [JsonPropertyName("data")]
    [Description("Training JSONL (from `reasoner generate`, or any TRL-shaped file).")]
    public string Data { get; init; } = string.Empty;

    [JsonPropertyName("mix")]
    [Description("Replay data mixed into the training rows, as FILE:SHARE, comma separated: SHARE of the final rows comes from FILE (e.g. pretrain.jsonl:0.2), drawn with the seed.")]
    public IReadOnlyList<string> Mix { get; init; } = [];

    [JsonPropertyName("eval_data")]
    [Description("Held-out JSONL scored with the verifier every eval_every steps; optional.")]
    public string? EvalData { get; init; }

    [JsonPropertyName("model")]
    [Description("Size preset (nano, micro, mini) or a config.json path; ignored when starting from init_from.")]
    public string Model { get; init; } = "nano";

    [JsonPropertyName("init_from")]
    [Description("Start from this checkpoint or run folder (its newest checkpoint) instead of a fresh model: fine-tuning.")]
    public string? InitFrom { get; init; }

    [JsonPropertyName("mode")]
    [JsonConverter(typeof(JsonStringEnumConverter<TrainMode>))]
    [Description("sft: loss on the completion only; pretrain: loss on every token.")]
    public TrainMode Mode { get; init; } = TrainMode.Sft;

    [JsonPropertyName("seed")]
    [Description("Seed for initialisation and data order.")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("max_steps")]
    [Description("Optimizer steps; 0 means until time_budget_seconds.")]
    public int MaxSteps { get; init; } = 1_000;

    [JsonPropertyName("time_budget_seconds")]
    [Description("Wall-clock seconds; 0 means none. The schedule follows whichever limit ends first.")]
    public double TimeBudgetSeconds { get; init; }

    [JsonPropertyName("batch_tokens")]
    [Description("Tokens per micro-batch, padding included; rows per batch = this / the longest row in the bucket.")]
    public int BatchTokens { get; init; } = 8_192;

    [JsonPropertyName("grad_accum")]
    [Description("Micro-batches per optimizer step.")]
    public int GradAccum { get; init; } = 1;

    [JsonPropertyName("learning_rate")]
    [Description("Peak learning rate.")]
    public double LearningRate { get; init; } = 3e-3;

    [JsonPropertyName("lr_scheduler_type")]
    [Description("cosine, linear or constant after warmup.")]
    public LrSchedulerType LrSchedulerType { get; init; } = LrSchedulerType.Cosine;

    [JsonPropertyName("min_lr_ratio")]
    [Description("The cosine or linear decay ends at learning_rate * min_lr_ratio.")]
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
    [Description("AdamW beta2; 0.95 as in nanoGPT and Llama: steadier on small batches than 0.999.")]
    public double Beta2 { get; init; } = 0.95;

    [JsonPropertyName("clip_grad_norm")]
    [Description("Clip the global gradient norm to this; 0 turns clipping off.")]
    public double ClipGradNorm { get; init; } = 1.0;

    [JsonPropertyName("max_seq_len")]
    [Description("Rows longer than this (tokens) are dropped and counted rather than truncated, so no answer is cut off.")]
    public int MaxSeqLen { get; init; } = 1_024;

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

    [JsonPropertyName("eval_max_new_tokens")]
    [Description("Longest completion generated when scoring held-out items.")]
    public int EvalMaxNewTokens { get; init; } = 768;

    [JsonPropertyName("log_every")]
    [Description("Steps between metrics.jsonl lines.")]
    public int LogEvery { get; init; } = 10;

    [JsonPropertyName("precision")]
    [JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
    [Description("fp32, or bf16 compute with fp32 master weights and optimizer state.")]
    public Precision Precision { get; init; } = Precision.Fp32;

    [JsonPropertyName("chat_template")]
    [Description(Reasoner.Model.Tokenization.ChatFormats.OptionHelp + ".")]
    public string? ChatTemplate { get; init; }

    [JsonPropertyName("lora")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoraSettings? Lora { get; init; }

    [JsonPropertyName("kd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KdSettings? Kd { get; init; }

    [JsonPropertyName("threads")]
    [Description("libtorch threads; 1 is best for the tiny models (two runs side by side use two cores).")]
    public int Threads { get; init; } = 1;

    string? IRunSettings.StartingModel => InitFrom;

    /// <summary>The effective config that is saved and run: init_from as the checkpoint folder it names, files as full paths.</summary>
    public TrainConfig Resolved() => this with
    {
        InitFrom = InitFrom is { } init ? Path.GetFullPath(CheckpointPaths.Resolve(init)) : null,
        Model = File.Exists(Model) ? Path.GetFullPath(Model) : Model,
        Data = string.IsNullOrWhiteSpace(Data) ? Data : Path.GetFullPath(Data),
        EvalData = EvalData is { } eval ? Path.GetFullPath(eval) : null,
        Mix = [.. Mix.Select(m => ReplayMix.Parse(m) is var (file, share) ? FormattableString.Invariant($"{Path.GetFullPath(file)}:{share}") : m)],
        Kd = Kd is { Teacher.Length: > 0 } kd ? kd with { Teacher = Path.GetFullPath(CheckpointPaths.Resolve(kd.Teacher)) } : Kd,
    };

    public TrainConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(Data))
        {
            throw new ArgumentException("data is required: a JSONL file from `reasoner generate`");
        }

        RunSettings.Validate(this);
        Kd?.Validate();
        foreach (var mix in Mix)
        {
            _ = ReplayMix.Parse(mix);
        }

        if (Kd is not null && Mode == TrainMode.Pretrain)
        {
            throw new ArgumentException("logit distillation (--teacher) is for SFT: the KL is taken on completion tokens");
        }

        if (BatchTokens < 16 || GradAccum < 1 || MaxSeqLen < 8)
        {
            throw new ArgumentException("batch_tokens must be >= 16, grad_accum >= 1, max_seq_len >= 8");
        }

        return this;
    }
}
