// Chat formats: how a question becomes a prompt and a completion is closed, for our own models and the two
// families of pretrained ones the README names: ChatML (Qwen2/2.5/3) and Llama-3. Recognised from
// tokenizer_config.json's chat_template, or chosen with --chat-template chatml|llama3|FILE; an unknown template is
// refused with that fix. The completion's end marker is part of the completion (it is trained on and stops decoding).
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

    /// <summary>The Jinja text written into tokenizer_config.json, so HF tools render the same prompt.</summary>
    [JsonPropertyName("jinja")]
    public string Jinja { get; init; } = string.Empty;

    public static ChatFormat Reasoner { get; } = new()
    {
        Name = "reasoner", Begin = "<|bos|>", User = "{content}", Assistant = "<|assistant|>", End = "<|eos|>",
        Jinja = "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}<|assistant|>"
            + "{% elif m['role'] == 'assistant' %}{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}",
    };

    public static ChatFormat ChatMl { get; } = new()
    {
        Name = "chatml", System = "<|im_start|>system\n{system}<|im_end|>\n", User = "<|im_start|>user\n{content}<|im_end|>\n",
        Assistant = "<|im_start|>assistant\n", End = "<|im_end|>", AfterEnd = "\n", Stop = ["<|endoftext|>"],
        Jinja = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
    };

    public static ChatFormat Llama3 { get; } = new()
    {
        Name = "llama3", Begin = "<|begin_of_text|>", System = "<|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>",
        User = "<|start_header_id|>user<|end_header_id|>\n\n{content}<|eot_id|>", Assistant = "<|start_header_id|>assistant<|end_header_id|>\n\n",
        End = "<|eot_id|>", Stop = ["<|end_of_text|>", "<|eom_id|>"],
        Jinja = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
    };

    /// <summary>Qwen2.5's instruct template adds this system message when the conversation has none.</summary>
    public const string QwenDefaultSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    /// <summary>The prompt's tokens, ending where the assistant's answer begins.</summary>
    public List<int> Prompt(ITokenizer tokenizer, string question, string? system = null) =>
        tokenizer.Encode(Render(system is null ? [("user", question)] : [("system", system), ("user", question)]));

    /// <summary>
    /// A conversation as the prompt's text, ending where the assistant's next answer begins: an optional system
    /// message (the format's default when none is given; dropped by formats without a system turn), then user and
    /// assistant turns in order. Roles other than system, user and assistant are refused by name.
    /// </summary>
    public string Render(IReadOnlyList<(string Role, string Content)> messages)
    {
        var text = Begin;
        var system = messages.Where(m => m.Role == "system").Select(m => m.Content).ToList();
        if ((system.Count > 0 ? string.Join("\n", system) : DefaultSystem) is { Length: > 0 } message && System.Length > 0)
        {
            text += System.Replace("{system}", message, StringComparison.Ordinal);
        }

        foreach (var (role, content) in messages)
        {
            text += role switch
            {
                "system" => string.Empty,
                "user" => User.Replace("{content}", content, StringComparison.Ordinal),
                "assistant" => Assistant + content + End + AfterEnd,
                _ => throw new ArgumentException($"message role '{role}' is not one of system, user, assistant"),
            };
        }

        return text + Assistant;
    }

    /// <summary>The completion's tokens, ending with the end-of-turn marker.</summary>
    public List<int> Completion(ITokenizer tokenizer, string completion) => tokenizer.Encode(completion + End);

    /// <summary>Token ids that end generation: the end-of-turn marker and the format's other stop tokens.</summary>
    public IReadOnlyList<int> StopIds(ITokenizer tokenizer) =>
        Stop.Prepend(End).Select(tokenizer.TokenId).Where(id => id is not null).Select(id => id!.Value).Distinct().ToList();

    /// <summary>Recognises a tokenizer_config.json chat_template: ours, ChatML (Qwen) or Llama-3; null when it is none of them.</summary>
    public static ChatFormat? Recognise(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            return null;
        }

        if (template.Contains("<|assistant|>", StringComparison.Ordinal) && template.Contains("bos_token", StringComparison.Ordinal))
        {
            return Reasoner;
        }

        if (template.Contains("<|im_start|>", StringComparison.Ordinal))
        {
            return template.Contains(QwenDefaultSystem, StringComparison.Ordinal) ? ChatMl with { DefaultSystem = QwenDefaultSystem, Jinja = template } : ChatMl with { Jinja = template };
        }

        return template.Contains("<|start_header_id|>", StringComparison.Ordinal) ? Llama3 with { Jinja = template } : null;
    }

    /// <summary>--chat-template: chatml, llama3, reasoner, or a JSON file with this record's fields.</summary>
    public static ChatFormat Named(string name) => name switch
    {
        "chatml" => ChatMl,
        "llama3" => Llama3,
        "reasoner" => Reasoner,
        _ when File.Exists(name) => JsonSerializer.Deserialize<ChatFormat>(File.ReadAllText(name)) ?? throw new ArgumentException($"{name}: empty chat format"),
        _ => throw new ArgumentException($"--chat-template: '{name}' is not chatml, llama3, reasoner or a JSON file"),
    };
}
