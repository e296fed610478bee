// What one request asks of generation, and what the engine sends back for each of its choices. Defaults follow
// OpenAI's API (temperature 1, top_p 1); the API layer validates ranges before a request reaches the engine.
namespace Reasoner.Serving.Engine;

public sealed record SamplingParams
{
    /// <summary>0 is greedy (argmax).</summary>
    public double Temperature { get; init; } = 1.0;

    public double TopP { get; init; } = 1.0;

    /// <summary>0 keeps every token.</summary>
    public int TopK { get; init; }

    /// <summary>Choice i draws from Random(seed + i): the same request gives the same text whatever else is running.</summary>
    public long Seed { get; init; }

    public int MaxTokens { get; init; } = 16;

    /// <summary>Strings that end a choice; the text stops before the first one found.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>null: no log-probabilities; 0: the chosen token's; k: also the k most likely tokens at each step.</summary>
    public int? TopLogprobs { get; init; }
}

public abstract record ChoiceEvent(int Index);

/// <summary>Text that became final with this token (empty while a possible stop string is held back), and the token's log-probability when asked.</summary>
public sealed record ChoiceDelta(int Index, string Text, TokenLogprob? Logprob) : ChoiceEvent(Index);

/// <summary>A choice is done: reason "stop" (a stop token or string) or "length" (max_tokens, the context, or shutdown).</summary>
public sealed record ChoiceFinished(int Index, string Reason, string Text, int CompletionTokens) : ChoiceEvent(Index);

/// <summary>The request could not be completed (the engine failed, or the server stopped before it began).</summary>
public sealed record ChoiceFailed(int Index, int Status, string Message) : ChoiceEvent(Index);

public sealed record TokenLogprob(int Id, string Token, double Logprob, IReadOnlyList<TopLogprob> Top);

public sealed record TopLogprob(int Id, string Token, double Logprob);
