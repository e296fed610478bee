// Everything that decides a rewrite run; saved beside the output (OUT.run.json) and in its card. A rerun of the same
// command continues the run. Each [Description] is the `reasoner rewrite` flag's help, each default its default.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Reasoner.Distillation;

public enum RewriteFallback
{
    /// <summary>A problem whose rewrites all fail gives no row.</summary>
    Drop,

    /// <summary>A problem whose rewrites all fail keeps the compiler's own trace (marked "rewritten": false).</summary>
    Compiler,
}

public sealed record RewriteConfig
{
    [JsonPropertyName("teacher")]
    [Description("OpenAI-compatible server URL(s), comma separated, requests spread across them; or one run, checkpoint or Hugging Face folder, run in this process.")]
    public IReadOnlyList<string> Teacher { get; init; } = [];

    [JsonPropertyName("teacher_model")]
    [Description("Model name sent to the server (default: the first one its /v1/models lists).")]
    public string? TeacherModel { get; init; }

    [JsonPropertyName("in")]
    [Description("Compiler traces to rewrite: a JSONL dataset from `reasoner generate` (its completions and gold answers).")]
    public string In { get; init; } = string.Empty;

    [JsonPropertyName("prompt")]
    [Description("A prompt template file with {question}, {trace} and {answer}. Default:\n" + Rewriter.DefaultPrompt)]
    public string? Prompt { get; init; }

    [JsonPropertyName("attempts")]
    [Description("Rewrites asked per trace before giving up on it; each failed one is logged with its reason.")]
    public int Attempts { get; init; } = 3;

    [JsonPropertyName("fallback")]
    [Description("When every attempt fails: drop the problem, or keep the compiler's trace (compiler).")]
    [JsonConverter(typeof(JsonStringEnumConverter<RewriteFallback>))]
    public RewriteFallback Fallback { get; init; } = RewriteFallback.Drop;

    [JsonPropertyName("temperature")]
    [Description("Sampling temperature of the rewrites.")]
    public double Temperature { get; init; } = 0.7;

    [JsonPropertyName("top_p")]
    [Description("Nucleus sampling.")]
    public double TopP { get; init; } = 0.95;

    [JsonPropertyName("max_tokens")]
    [Description("Longest rewrite; one cut at this length is rejected as truncated.")]
    public int MaxTokens { get; init; } = 2_048;

    [JsonPropertyName("seed")]
    [Description("Seed: each trace's sampling seed mixes it with the trace's id and the attempt.")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("concurrency")]
    [Description("Traces in flight at once.")]
    public int Concurrency { get; init; } = 8;

    [JsonPropertyName("timeout")]
    [Description("Seconds to wait for one teacher reply before retrying it.")]
    public double TimeoutSeconds { get; init; } = 300;

    [JsonPropertyName("retries")]
    [Description("Retries of one request after a 429, a 5xx, a timeout or a malformed reply.")]
    public int Retries { get; init; } = 5;

    public RewriteConfig Validate()
    {
        if (Teacher.Count == 0)
        {
            throw new ArgumentException("--teacher: give a server URL (http://127.0.0.1:8000) or a model folder");
        }

        if (In.Length == 0)
        {
            throw new ArgumentException("--in: give the compiler traces to rewrite (a file from `reasoner generate`)");
        }

        if (Attempts < 1 || MaxTokens < 1 || Concurrency < 1 || Retries < 0 || TimeoutSeconds <= 0 || Temperature < 0 || TopP is <= 0 or > 1)
        {
            throw new ArgumentException("--attempts, --max-tokens and --concurrency must be >= 1, --retries >= 0, --timeout > 0, --temperature >= 0 and --top-p in (0, 1]");
        }

        return this;
    }
}
