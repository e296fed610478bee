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

public sealed record TrainConfig : TrainingSettings, IRunSettings
{
    [JsonPropertyName("data")]
    [Description("Training JSONL (from `reasoner generate`, or any TRL-shaped file).")]
    public string Data { get; init; } = string.Empty;

    [JsonPropertyName("mix")]
    [Description("Replay data mixed into the training rows, as FILE:SHARE, comma separated: SHARE of the final rows comes from FILE (e.g. pretrain.jsonl:0.2), drawn with the seed.")]
    public IReadOnlyList<string> Mix { get; init; } = [];

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

    [JsonPropertyName("batch_tokens")]
    [Description("Tokens per micro-batch, padding included; rows per batch = this / the longest row in the bucket.")]
    public int BatchTokens { get; init; } = 8_192;

    [JsonPropertyName("grad_accum")]
    [Description("Micro-batches per optimizer step.")]
    public int GradAccum { get; init; } = 1;

    [JsonPropertyName("max_seq_len")]
    [Description("Rows longer than this (tokens) are dropped and counted rather than truncated, so no answer is cut off.")]
    public int MaxSeqLen { get; init; } = 1_024;

    [JsonPropertyName("eval_max_new_tokens")]
    [Description("Longest completion generated when scoring held-out items.")]
    public int EvalMaxNewTokens { get; init; } = 768;

    [JsonPropertyName("precision")]
    [JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
    [Description("fp32, or bf16 compute with fp32 master weights and optimizer state.")]
    public Precision Precision { get; init; } = Precision.Fp32;

    [JsonPropertyName("kd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KdSettings? Kd { get; init; }

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
