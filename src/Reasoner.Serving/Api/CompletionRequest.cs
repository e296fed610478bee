// A /v1/chat/completions or /v1/completions body, read and checked the way OpenAI's API and vLLM read it: the model
// by name, messages (string or text-part content) or a prompt, n, temperature, top_p, max_tokens
// (max_completion_tokens for chat), stop, seed, logprobs, stream and stream_options.include_usage. Options this
// server cannot honour exactly (tools, penalties, logit_bias, JSON mode) are refused by name, never ignored.
// chat_template_kwargs.enable_thinking is honoured as vLLM does (Qwen3's template). Extension: "reasoner": {"answer":
// "1015"} asks for the verifier's verdict on each choice.
using System.Text.Json.Nodes;
using Reasoner.Math.Verification;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Api;

public sealed record CompletionRequest(
    ServedModel Model, List<int> Prompt, string PromptText, int N, SamplingParams Sampling, bool Stream, bool IncludeUsage, string? Answer, bool Echo)
{
    private static readonly string[] Unsupported = ["tools", "functions", "tool_choice", "function_call", "logit_bias", "suffix", "best_of"];

    public static CompletionRequest Parse(JsonObject body, bool chat, IReadOnlyDictionary<string, ServedModel> models, ServeOptions options)
    {
        var name = String(body, "model") ?? throw ApiException.BadRequest("'model' is required (GET /v1/models lists them)", "model");
        if (!models.TryGetValue(name, out var model))
        {
            throw ApiException.BadRequest($"the model '{name}' is not served here; served: {string.Join(", ", models.Keys)}", "model", "model_not_found");
        }

        foreach (var key in Unsupported.Where(body.ContainsKey))
        {
            if (body[key] is not null && !(key == "best_of" && Int(body, key) == 1))
            {
                throw ApiException.BadRequest($"'{key}' is not supported by this server", key);
            }
        }

        foreach (var penalty in new[] { "presence_penalty", "frequency_penalty" })
        {
            if (Number(body, penalty) is { } value && value != 0)
            {
                throw ApiException.BadRequest($"'{penalty}' other than 0 is not supported by this server", penalty);
            }
        }

        if (body["response_format"] is JsonObject format && String(format, "type") is { } type && type != "text")
        {
            throw ApiException.BadRequest($"response_format '{type}' is not supported by this server (only 'text')", "response_format");
        }

        string text = chat ? RenderMessages(body, model) : PromptOf(body);
        var prompt = model.Tokenizer.Encode(text);
        if (prompt.Count == 0)
        {
            throw ApiException.BadRequest("the prompt is empty", chat ? "messages" : "prompt");
        }

        int context = model.Engine.ContextLength;
        if (prompt.Count >= context)
        {
            throw ApiException.BadRequest($"the prompt is {prompt.Count} tokens; this model's context is {context} tokens", chat ? "messages" : "prompt", "context_length_exceeded");
        }

        var maxKey = chat && body.ContainsKey("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = Int(body, maxKey) ?? System.Math.Min(options.MaxTokensCap, chat ? context - prompt.Count : 16);
        if (maxTokens < 1 || maxTokens > options.MaxTokensCap)
        {
            throw ApiException.BadRequest($"'{maxKey}' must be between 1 and {options.MaxTokensCap} (--max-tokens-cap)", maxKey);
        }

        if (prompt.Count + maxTokens > context)
        {
            throw ApiException.BadRequest(
                $"this model's context is {context} tokens; you asked for {prompt.Count + maxTokens} ({prompt.Count} in the prompt, {maxTokens} to generate): lower '{maxKey}'",
                maxKey, "context_length_exceeded");
        }

        int n = Int(body, "n") ?? 1;
        if (n < 1 || n > options.MaxN || n > options.MaxBatch)
        {
            throw ApiException.BadRequest($"'n' must be between 1 and {System.Math.Min(options.MaxN, options.MaxBatch)}", "n");
        }

        double temperature = Number(body, "temperature") ?? 1.0, topP = Number(body, "top_p") ?? 1.0;
        if (temperature is < 0 or > 2)
        {
            throw ApiException.BadRequest("'temperature' must be between 0 and 2", "temperature");
        }

        if (topP is <= 0 or > 1)
        {
            throw ApiException.BadRequest("'top_p' must be greater than 0 and at most 1", "top_p");
        }

        int topK = Int(body, "top_k") ?? 0;
        if (topK < 0)
        {
            throw ApiException.BadRequest("'top_k' must be 0 (all tokens) or more", "top_k");
        }

        var stop = Stops(body);
        long seed = Long(body, "seed") ?? Random.Shared.NextInt64();
        int? logprobs = chat ? ChatLogprobs(body) : CompletionLogprobs(body);
        bool stream = Bool(body, "stream") ?? false;
        bool includeUsage = body["stream_options"] is JsonObject streamOptions && (Bool(streamOptions, "include_usage") ?? false);
        bool echo = !chat && (Bool(body, "echo") ?? false);
        if (echo && logprobs is not null)
        {
            throw ApiException.BadRequest("'echo' together with 'logprobs' (log-probabilities of the prompt) is not supported by this server", "echo");
        }

        var answer = GoldAnswer(body);
        var sampling = new SamplingParams { Temperature = temperature, TopP = topP, TopK = topK, Seed = seed, MaxTokens = maxTokens, Stop = stop, TopLogprobs = logprobs };
        return new CompletionRequest(model, prompt, text, n, sampling, stream, includeUsage, answer, echo);
    }

    /// <summary>messages: [{role, content}] with content a string or text parts, rendered with the model's chat format.</summary>
    private static string RenderMessages(JsonObject body, ServedModel model)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            throw ApiException.BadRequest("'messages' must be a non-empty array of {role, content}", "messages");
        }

        var turns = new List<(string, string)>();
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || String(message, "role") is not { } role)
            {
                throw ApiException.BadRequest($"messages[{i}] must be an object with a 'role'", $"messages[{i}]");
            }

            role = role == "developer" ? "system" : role;
            if (role is not ("system" or "user" or "assistant"))
            {
                throw ApiException.BadRequest($"messages[{i}].role '{role}' is not supported (system, developer, user, assistant)", $"messages[{i}].role");
            }

            turns.Add((role, Content(message["content"], $"messages[{i}].content")));
        }

        if (turns[^1].Item1 == "assistant")
        {
            throw ApiException.BadRequest("the last message must not be the assistant's: the server writes the next assistant turn", "messages");
        }

        return model.Tokenizer.Chat.Render(turns, EnableThinking(body));
    }

    /// <summary>vLLM's chat_template_kwargs: enable_thinking (Qwen3) is honoured; any other key is refused by name.</summary>
    private static bool EnableThinking(JsonObject body)
    {
        if (body["chat_template_kwargs"] is not JsonObject kwargs)
        {
            return body["chat_template_kwargs"] is null ? true : throw ApiException.BadRequest("'chat_template_kwargs' must be an object", "chat_template_kwargs");
        }

        foreach (var (key, _) in kwargs.Where(kv => kv.Key != "enable_thinking"))
        {
            throw ApiException.BadRequest($"chat_template_kwargs.{key} is not supported by this server (only enable_thinking)", $"chat_template_kwargs.{key}");
        }

        return Bool(kwargs, "enable_thinking") ?? true;
    }

    private static string Content(JsonNode? node, string param) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.Select((part, i) => part is JsonObject o && String(o, "type") == "text" && String(o, "text") is { } t
            ? t
            : throw ApiException.BadRequest($"{param}[{i}] must be a text part {{\"type\": \"text\", \"text\": ...}}", $"{param}[{i}]"))),
        _ => throw ApiException.BadRequest($"{param} must be a string or an array of text parts", param),
    };

    private static string PromptOf(JsonObject body) => body["prompt"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray { Count: 1 } one when one[0] is JsonValue v && v.TryGetValue<string>(out var text) => text,
        JsonArray => throw ApiException.BadRequest("'prompt' as a list is supported with one string only; send one request per prompt", "prompt"),
        _ => throw ApiException.BadRequest("'prompt' must be a string", "prompt"),
    };

    private static List<string> Stops(JsonObject body)
    {
        var stops = body["stop"] switch
        {
            null => [],
            JsonValue value when value.TryGetValue<string>(out var one) => [one],
            JsonArray array => array.Select((s, i) => s is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw ApiException.BadRequest($"stop[{i}] must be a string", "stop")).ToList(),
            _ => throw ApiException.BadRequest("'stop' must be a string or an array of up to 4 strings", "stop"),
        };
        return stops.Count > 4 || stops.Any(s => s.Length == 0) ? throw ApiException.BadRequest("'stop' takes up to 4 non-empty strings", "stop") : stops;
    }

    /// <summary>Chat: logprobs (bool) and top_logprobs (0..20, only with logprobs).</summary>
    private static int? ChatLogprobs(JsonObject body)
    {
        int? top = Int(body, "top_logprobs");
        if (!(Bool(body, "logprobs") ?? false))
        {
            return top is > 0 ? throw ApiException.BadRequest("'top_logprobs' needs 'logprobs': true", "top_logprobs") : null;
        }

        return top is null or (>= 0 and <= 20) ? top ?? 0 : throw ApiException.BadRequest("'top_logprobs' must be between 0 and 20", "top_logprobs");
    }

    /// <summary>Completions: logprobs is the number of alternatives (0..5).</summary>
    private static int? CompletionLogprobs(JsonObject body)
    {
        int? k = Int(body, "logprobs");
        return k is null or (>= 0 and <= 5) ? k : throw ApiException.BadRequest("'logprobs' must be between 0 and 5", "logprobs");
    }

    private static string? GoldAnswer(JsonObject body)
    {
        if (body["reasoner"] is null)
        {
            return null;
        }

        if (body["reasoner"] is not JsonObject extension || String(extension, "answer") is not { } answer)
        {
            throw ApiException.BadRequest("'reasoner' must be {\"answer\": \"<the exact answer>\"}", "reasoner.answer");
        }

        try
        {
            MathRewards.ParseGold(answer);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest(e.Message, "reasoner.answer");
        }

        return answer;
    }

    private static string? String(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw ApiException.BadRequest($"'{key}' must be a string", key),
    };

    private static double? Number(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) && double.IsFinite(d) => d,
        _ => throw ApiException.BadRequest($"'{key}' must be a number", key),
    };

    private static long? Long(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) && d == System.Math.Floor(d) && System.Math.Abs(d) < 9e15 => (long)d,
        _ => throw ApiException.BadRequest($"'{key}' must be an integer", key),
    };

    private static int? Int(JsonObject o, string key) => Long(o, key) switch
    {
        null => null,
        var l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => throw ApiException.BadRequest($"'{key}' is out of range", key),
    };

    private static bool? Bool(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw ApiException.BadRequest($"'{key}' must be true or false", key),
    };
}
