// Everything that decides a distillation run. Saved beside the output (OUT.run.json) and in its card; a rerun of the
// same command continues the run, and a different config for the same output is refused. Each [Description] is also
// the `reasoner distill` flag's help, and each default the flag's default.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Reasoner.Distillation;

public enum KeepPolicy
{
    /// <summary>Every distinct correct sample.</summary>
    All,

    /// <summary>The shortest correct sample.</summary>
    Shortest,

    /// <summary>The first correct sample.</summary>
    One,

    /// <summary>The shortest correct sample, only when the majority answer over all samples is the right one.</summary>
    Consistent,
}

public sealed record DistillConfig
{
    [JsonPropertyName("teacher")]
    [Description("OpenAI-compatible server URL(s), comma separated, requests spread across them (reasoner serve, vLLM, llama.cpp server, Ollama); or one run, checkpoint or Hugging Face folder, run in this process.")]
    public IReadOnlyList<string> Teacher { get; init; } = [];

    [JsonPropertyName("teacher_model")]
    [Description("Model name sent to the server (default: the first one its /v1/models lists).")]
    public string? TeacherModel { get; init; }

    [JsonPropertyName("data")]
    [Description("Problems: a Reasoner JSONL dataset (its user prompt, system prompt and gold answer are used; its completions are not).")]
    public string? Data { get; init; }

    [JsonPropertyName("preset")]
    [Description("Instead of --data: generate the problems from these presets (kept as OUT.problems.jsonl with its card).")]
    public string? Preset { get; init; }

    [JsonPropertyName("count")]
    [Description("Problems to generate with --preset.")]
    public int Count { get; init; } = 100;

    [JsonPropertyName("system_prompt")]
    [Description("System prompt sent to the teacher; 'r1' for DeepSeek-R1's. Default: each problem's own, if it has one.")]
    public string? SystemPrompt { get; init; }

    [JsonPropertyName("samples")]
    [Description("Samples asked of the teacher per problem (n).")]
    public int Samples { get; init; } = 4;

    [JsonPropertyName("temperature")]
    [Description("Sampling temperature (DeepSeek-R1's distillation used 0.6).")]
    public double Temperature { get; init; } = 0.6;

    [JsonPropertyName("top_p")]
    [Description("Nucleus sampling.")]
    public double TopP { get; init; } = 0.95;

    [JsonPropertyName("max_tokens")]
    [Description("Longest completion; a sample cut at this length is rejected as truncated.")]
    public int MaxTokens { get; init; } = 1_024;

    [JsonPropertyName("keep")]
    [Description("Which correct samples become rows: all, shortest, one, or consistent (shortest, only when the majority answer is right).")]
    [JsonConverter(typeof(JsonStringEnumConverter<KeepPolicy>))]
    public KeepPolicy Keep { get; init; } = KeepPolicy.Shortest;

    [JsonPropertyName("require_format")]
    [Description("Reject a correct sample that does not follow the <think>…</think><answer>…</answer> template.")]
    public bool RequireFormat { get; init; } = true;

    [JsonPropertyName("require_steps")]
    [Description("Reject a correct sample whose thinking has a wrong 'a op b = c' step.")]
    public bool RequireSteps { get; init; } = true;

    [JsonPropertyName("seed")]
    [Description("Seed: each problem's sampling seed mixes it with the problem's id, so a resumed run asks the same.")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("concurrency")]
    [Description("Problems in flight at once (each asks for n samples).")]
    public int Concurrency { get; init; } = 8;

    [JsonPropertyName("timeout")]
    [Description("Seconds to wait for one teacher reply before retrying it.")]
    public double TimeoutSeconds { get; init; } = 300;

    [JsonPropertyName("retries")]
    [Description("Retries of one request after a 429, a 5xx, a timeout or a malformed reply.")]
    public int Retries { get; init; } = 5;

    public DistillConfig Validate()
    {
        if (Teacher.Count == 0)
        {
            throw new ArgumentException("--teacher: give a server URL (http://127.0.0.1:8000) or a model folder");
        }

        if ((Data is null) == (Preset is null))
        {
            throw new ArgumentException("give the problems with either --data FILE or --preset P --count N");
        }

        if (Samples < 1 || Count < 1 || MaxTokens < 1 || Concurrency < 1 || Retries < 0 || TimeoutSeconds <= 0)
        {
            throw new ArgumentException("--samples, --count, --max-tokens and --concurrency must be >= 1, --retries >= 0 and --timeout > 0");
        }

        if (Temperature < 0 || TopP is <= 0 or > 1)
        {
            throw new ArgumentException($"--temperature must be >= 0 (got {Temperature}) and --top-p in (0, 1] (got {TopP})");
        }

        return this;
    }
}
