// A teacher writes completions for a chat prompt. Two kinds: an OpenAI-compatible server (HttpTeacher: reasoner serve,
// vLLM, llama.cpp's server, Ollama; several URLs share the load) and a checkpoint run in this process
// (CheckpointTeacher, on the serving engine's continuous batching).
namespace Reasoner.Distillation.Teachers;

/// <summary>One prompt, n samples. Sample i is seeded with Seed + i where the teacher honours seeds.</summary>
public sealed record TeacherRequest(string? System, string Prompt, int N, double Temperature, double TopP, int MaxTokens, long Seed);

/// <summary>A completion and why it ended: "stop", or "length" (truncated: never kept as data).</summary>
public sealed record TeacherSample(string Text, string FinishReason)
{
    public bool Truncated => FinishReason == "length";
}

/// <summary>The samples, or why there are none (the request failed for good, or every reply was malformed).</summary>
public sealed record TeacherReply(IReadOnlyList<TeacherSample> Samples, string? Failure = null, string? Detail = null)
{
    public static TeacherReply Failed(string failure, string detail) => new([], failure, detail);
}

public interface ITeacher : IAsyncDisposable
{
    /// <summary>What the provenance of a row names: the URLs and model, or the checkpoint's path.</summary>
    string Describe { get; }

    /// <summary>Requests sent again after a 429, a 5xx, a timeout or a malformed reply (0 in process).</summary>
    long Retries { get; }

    Task<TeacherReply> SampleAsync(TeacherRequest request, CancellationToken cancellation);
}

/// <summary>Why a sample or a problem produced no data; the keys of the card's rejection counts.</summary>
public static class Reasons
{
    public const string WrongAnswer = "wrong_answer";
    public const string NoAnswer = "no_answer";
    public const string Format = "format";
    public const string WrongStep = "wrong_step";
    public const string Truncated = "truncated";
    public const string Malformed = "malformed_response";
    public const string RequestFailed = "request_failed";
    public const string PromptTooLong = "prompt_too_long";
    public const string Inconsistent = "inconsistent";
    public const string AnswerChanged = "answer_changed";
    public const string DroppedStep = "dropped_step";
}
