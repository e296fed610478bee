// A chat format: how a conversation becomes a prompt and a completion is closed, as the model's Jinja chat template
// renders plain system/user/assistant turns. The built-in formats and their recognition live in ChatFormats. The
// completion's end marker is part of the completion (it is trained on and stops decoding).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reasoner.Model.Tokenization;

public sealed record ChatFormat
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "custom";

    /// <summary>Before the whole conversation (a begin-of-text token), or empty.</summary>
    [JsonPropertyName("begin")]
    public string Begin { get; init; } = string.Empty;

    /// <summary>A system turn: {system} is replaced by the message. Empty when the format has none.</summary>
    [JsonPropertyName("system")]
    public string System { get; init; } = string.Empty;

    /// <summary>The system message used when none is given (Qwen2.5's template adds one), or null.</summary>
    [JsonPropertyName("default_system")]
    public string? DefaultSystem { get; init; }

    /// <summary>A user turn: {content} is replaced by the question.</summary>
    [JsonPropertyName("user")]
    public string User { get; init; } = "{content}";

    /// <summary>What opens the assistant's turn; the prompt ends with it and the completion follows.</summary>
    [JsonPropertyName("assistant")]
    public string Assistant { get; init; } = string.Empty;

    /// <summary>Closes the assistant's turn; trained on as the last completion token(s), and generation stops at it.</summary>
    [JsonPropertyName("end")]
    public string End { get; init; } = string.Empty;

    /// <summary>Written after <see cref="End"/> when a finished assistant turn is part of a longer conversation (ChatML's newline).</summary>
    [JsonPropertyName("after_end")]
    public string AfterEnd { get; init; } = string.Empty;

    /// <summary>Further tokens that also stop generation (an end-of-text token).</summary>
    [JsonPropertyName("stop")]
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Llama-3.x: every message's content is trimmed (Jinja's | trim), not only the system message's.</summary>
    [JsonPropertyName("trim_content")]
    public bool TrimContent { get; init; }

    /// <summary>Llama-3.1/3.2: the system turn is written even when the conversation has no system message.</summary>
    [JsonPropertyName("system_always")]
    public bool SystemAlways { get; init; }

    /// <summary>The system message is trimmed (Llama-3.1/3.2 write messages[0]['content']|trim).</summary>
    [JsonPropertyName("trim_system")]
    public bool TrimSystem { get; init; }

    /// <summary>What follows <see cref="Assistant"/> at the end of the prompt (DeepSeek-R1 opens its thinking: "&lt;think&gt;\n").</summary>
    [JsonPropertyName("generation_suffix")]
    public string GenerationSuffix { get; init; } = string.Empty;

    /// <summary>Qwen3 with enable_thinking false: written after the generation prompt so the model answers without thinking.</summary>
    [JsonPropertyName("no_thinking_suffix")]
    public string? NoThinkingSuffix { get; init; }

    /// <summary>Earlier assistant turns keep only the text after their last &lt;/think&gt; (Qwen3, DeepSeek-R1).</summary>
    [JsonPropertyName("strip_history_thinking")]
    public bool StripHistoryThinking { get; init; }

    /// <summary>With <see cref="StripHistoryThinking"/>: newlines at the start of what is kept are dropped too (Qwen3's lstrip('\n')).</summary>
    [JsonPropertyName("strip_history_newlines")]
    public bool StripHistoryNewlines { get; init; }

    /// <summary>Joins several system messages (DeepSeek-V3 joins with a blank line; the others with a newline).</summary>
    [JsonPropertyName("system_separator")]
    public string SystemSeparator { get; init; } = "\n";

    /// <summary>Llama-3.2: the system turn's date is today's ("%d %b %Y"), as transformers' strftime_now renders it; null keeps {date} literal.</summary>
    [JsonPropertyName("date")]
    public string? Date { get; init; }

    /// <summary>The Jinja text written into tokenizer_config.json, so HF tools render the same prompt.</summary>
    [JsonPropertyName("jinja")]
    public string Jinja { get; init; } = string.Empty;

    /// <summary>The prompt's tokens, ending where the assistant's answer begins.</summary>
    public List<int> Prompt(ITokenizer tokenizer, string question, string? system = null) =>
        tokenizer.Encode(Render(system is null ? [("user", question)] : [("system", system), ("user", question)]));

    /// <summary>
    /// A conversation as the prompt's text, ending where the assistant's next answer begins: an optional system
    /// message (the format's default when none is given; dropped by formats without a system turn), then user and
    /// assistant turns in order. Roles other than system, user and assistant are refused by name.
    /// </summary>
    /// <param name="enableThinking">Qwen3's enable_thinking: false appends the format's empty thinking block.</param>
    public string Render(IReadOnlyList<(string Role, string Content)> messages, bool enableThinking = true)
    {
        var text = Begin;
        var system = messages.Where(m => m.Role == "system").Select(m => m.Content).ToList();
        var message = system.Count > 0 ? string.Join(SystemSeparator, system) : DefaultSystem;
        if (System.Length > 0 && (SystemAlways || !string.IsNullOrEmpty(message)))
        {
            message ??= string.Empty;
            text += System.Replace("{date}", Date ?? "{date}", StringComparison.Ordinal).Replace("{system}", TrimSystem ? message.Trim() : message, StringComparison.Ordinal);
        }

        foreach (var (role, raw) in messages)
        {
            var content = TrimContent ? raw.Trim() : raw;
            text += role switch
            {
                "system" => string.Empty,
                "user" => User.Replace("{content}", content, StringComparison.Ordinal),
                "assistant" => Assistant + (StripHistoryThinking ? AfterThinking(content, StripHistoryNewlines) : content) + End + AfterEnd,
                _ => throw new ArgumentException($"message role '{role}' is not one of system, user, assistant"),
            };
        }

        return text + Assistant + GenerationSuffix + (enableThinking ? string.Empty : NoThinkingSuffix ?? string.Empty);
    }

    /// <summary>Qwen3's and R1's templates keep an earlier answer's text after its last &lt;/think&gt;; Qwen3 also drops the newlines before it.</summary>
    private static string AfterThinking(string content, bool dropNewlines)
    {
        int end = content.LastIndexOf("</think>", StringComparison.Ordinal);
        var kept = end < 0 ? content : content[(end + "</think>".Length)..];
        return dropNewlines && end >= 0 ? kept.TrimStart('\n') : kept;
    }

    /// <summary>The completion's tokens, ending with the end-of-turn marker.</summary>
    public List<int> Completion(ITokenizer tokenizer, string completion) => tokenizer.Encode(completion + End);

    /// <summary>Token ids that end generation: the end-of-turn marker and the format's other stop tokens.</summary>
    public IReadOnlyList<int> StopIds(ITokenizer tokenizer) =>
        Stop.Prepend(End).Select(tokenizer.TokenId).Where(id => id is not null).Select(id => id!.Value).Distinct().ToList();
}
