// What a server says about its context, so a request fits it: the model card's length (vLLM's and reasoner serve's
// max_model_len, llama.cpp's meta.n_ctx_train) and, from a refusal, the context and the prompt's tokens. Refusals are
// read in the shapes servers write them: OpenAI's and vLLM's ("maximum context length is C tokens ... (P in the
// messages, ...)", "your request has P input tokens"), reasoner serve's ("context is C tokens ... (P in the prompt",
// "the prompt is P tokens"), llama.cpp's exceed_context_size_error (n_ctx, n_prompt_tokens).
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reasoner.Distillation.Teachers;

public static partial class ContextLimit
{
    /// <summary>A model card's context length, or null when the server does not say (Ollama, OpenAI).</summary>
    public static int? OfModelCard(JsonNode? card) =>
        Int(card?["max_model_len"]) ?? Int(card?["context_length"]) ?? Int(card?["meta"]?["n_ctx_train"]);

    /// <summary>Whether an error reply is a context refusal, and what it says: the context and the prompt's tokens, each when stated.</summary>
    public static (bool Exceeded, int? Context, int? PromptTokens) OfRefusal(string body)
    {
        JsonNode? error;
        try
        {
            var root = JsonNode.Parse(body);
            error = root?["error"] as JsonObject ?? root; // vLLM writes {"object": "error", "message": ...} at the top
        }
        catch (System.Text.Json.JsonException)
        {
            return (false, null, null);
        }

        var message = error?["message"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : string.Empty;
        var code = error?["code"] is JsonValue c && c.TryGetValue<string>(out var t) ? t : null;
        var type = error?["type"] is JsonValue y && y.TryGetValue<string>(out var u) ? u : null;
        bool exceeded = code == "context_length_exceeded" || type == "exceed_context_size_error" || ContextWords().IsMatch(message);
        if (!exceeded)
        {
            return (false, null, null);
        }

        int? context = Int(error?["n_ctx"]) ?? First(ContextNumber(), message);
        int? prompt = Int(error?["n_prompt_tokens"]) ?? First(PromptNumber(), message);
        return (true, context, prompt);
    }

    /// <summary>The number in the first group that matched, or null.</summary>
    private static int? First(Regex regex, string text) =>
        regex.Match(text) is { Success: true } match && match.Groups.Values.Skip(1).FirstOrDefault(g => g.Success) is { } group
            ? int.Parse(group.Value, CultureInfo.InvariantCulture) : null;

    private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var n) && n > 0 ? n : null;

    [GeneratedRegex(@"context length|context size|context is \d+ tokens|context window", RegexOptions.IgnoreCase)]
    private static partial Regex ContextWords();

    [GeneratedRegex(@"(?:maximum context length is|context is|context size is|context window is) (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex ContextNumber();

    [GeneratedRegex(@"(\d+) in the (?:prompt|messages)|prompt is (\d+) tokens|request has (\d+) input tokens", RegexOptions.IgnoreCase)]
    private static partial Regex PromptNumber();
}
