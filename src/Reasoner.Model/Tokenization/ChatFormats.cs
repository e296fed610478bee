// The chat formats Reasoner renders, and which one a model's Jinja chat template is. Reasoner does not run Jinja: it
// renders plain system/user/assistant turns as each family's template does (checked character for character against
// transformers' rendering of the real templates: tests/fixtures/chat-templates/). A template is recognised by the
// literal pieces its family writes; one that matches no family, or that carries logic no family here has (a forced
// <think> in a ChatML prompt, an unknown default system message), is refused with the name to pass instead.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reasoner.Model.Tokenization;

public static partial class ChatFormats
{
    /// <summary>Qwen2.5's instruct template adds this system message when the conversation has none.</summary>
    public const string QwenDefaultSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    private const string ChatMlJinja = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static ChatFormat Reasoner { get; } = new()
    {
        Name = "reasoner", Begin = "<|bos|>", User = "{content}", Assistant = "<|assistant|>", End = "<|eos|>",
        Jinja = "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}<|assistant|>"
            + "{% elif m['role'] == 'assistant' %}{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}",
    };

    /// <summary>Plain ChatML: no default system message.</summary>
    public static ChatFormat ChatMl { get; } = new()
    {
        Name = "chatml", System = "<|im_start|>system\n{system}<|im_end|>\n", User = "<|im_start|>user\n{content}<|im_end|>\n",
        Assistant = "<|im_start|>assistant\n", End = "<|im_end|>", AfterEnd = "\n", Stop = ["<|endoftext|>"], Jinja = ChatMlJinja,
    };

    /// <summary>Qwen2/2.5 instruct: ChatML with Qwen's default system message.</summary>
    public static ChatFormat Qwen25 { get; } = ChatMl with { Name = "qwen2.5", DefaultSystem = QwenDefaultSystem };

    /// <summary>Qwen3: ChatML, no default system, earlier answers without their thinking, enable_thinking false adds an empty think block.</summary>
    public static ChatFormat Qwen3 { get; } = ChatMl with
    {
        Name = "qwen3", StripHistoryThinking = true, StripHistoryNewlines = true, NoThinkingSuffix = "<think>\n\n</think>\n\n",
    };

    /// <summary>Llama-3 (and the Llama-3 style template some 3.1 tokenizers ship): every content trimmed, no default system.</summary>
    public static ChatFormat Llama3 { get; } = new()
    {
        Name = "llama3", Begin = "<|begin_of_text|>", System = "<|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>",
        User = "<|start_header_id|>user<|end_header_id|>\n\n{content}<|eot_id|>", Assistant = "<|start_header_id|>assistant<|end_header_id|>\n\n",
        End = "<|eot_id|>", Stop = ["<|end_of_text|>", "<|eom_id|>"], TrimContent = true, TrimSystem = true,
        Jinja = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
    };

    /// <summary>Llama-3.1 instruct: a system turn always, opening with the knowledge cutoff and the date "26 Jul 2024".</summary>
    public static ChatFormat Llama31 { get; } = Llama3 with
    {
        Name = "llama3.1", SystemAlways = true, TrimContent = false, Date = "26 Jul 2024",
        System = "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: {date}\n\n{system}<|eot_id|>",
    };

    /// <summary>Llama-3.2 instruct: as 3.1, with today's date (transformers' strftime_now("%d %b %Y")).</summary>
    public static ChatFormat Llama32 => Llama31 with { Name = "llama3.2", Date = DateTime.Now.ToString("dd MMM yyyy", CultureInfo.InvariantCulture) };

    /// <summary>DeepSeek-V3: the system text bare after the begin token, then User/Assistant markers.</summary>
    public static ChatFormat DeepSeekV3 { get; } = new()
    {
        Name = "deepseek-v3", Begin = "<｜begin▁of▁sentence｜>", System = "{system}", SystemSeparator = "\n\n", User = "<｜User｜>{content}",
        Assistant = "<｜Assistant｜>", End = "<｜end▁of▁sentence｜>",
    };

    /// <summary>DeepSeek-R1 and its distilled students: V3's markers, thinking opened in the prompt, earlier answers without it.</summary>
    public static ChatFormat DeepSeekR1 { get; } = DeepSeekV3 with { Name = "deepseek-r1", SystemSeparator = "\n", GenerationSuffix = "<think>\n", StripHistoryThinking = true };

    /// <summary>The names --chat-template takes, besides a file, as help text lists them.</summary>
    public const string Choices = "reasoner, chatml, qwen2.5, qwen3, llama3, llama3.1, llama3.2, deepseek-v3, deepseek-r1";

    /// <summary>What --chat-template takes, for every command's help.</summary>
    public const string OptionHelp = Choices + ", a .jinja template file or a JSON chat format file; by default the model folder's own template (chat_template.jinja or tokenizer_config.json) is recognised";

    /// <summary>The names --chat-template takes, besides a file.</summary>
    public static IReadOnlyList<string> Names { get; } = Choices.Split(", ");

    /// <summary>--chat-template: a name in <see cref="Names"/>, a .jinja template file (recognised as a model's would be), or a JSON file with ChatFormat's fields.</summary>
    public static ChatFormat Named(string name) => name switch
    {
        "reasoner" => Reasoner,
        "chatml" => ChatMl,
        "qwen2.5" or "qwen2" => Qwen25,
        "qwen3" => Qwen3,
        "llama3" => Llama3,
        "llama3.1" => Llama31,
        "llama3.2" or "llama3.3" => Llama32,
        "deepseek-v3" => DeepSeekV3,
        "deepseek-r1" => DeepSeekR1,
        _ when File.Exists(name) && name.EndsWith(".jinja", StringComparison.OrdinalIgnoreCase) => Recognise(File.ReadAllText(name), name),
        _ when File.Exists(name) => JsonSerializer.Deserialize<ChatFormat>(File.ReadAllText(name)) ?? throw new ArgumentException($"{name}: empty chat format"),
        _ => throw new ArgumentException($"--chat-template: '{name}' is not {string.Join(", ", Names)}, a .jinja file or a JSON chat format file"),
    };

    /// <summary>The format a Jinja chat template renders, with the template kept for export; refuses one it cannot render exactly.</summary>
    /// <param name="source">Where the template came from, for the error message.</param>
    public static ChatFormat Recognise(string template, string source)
    {
        var family = Family(template);
        return family switch
        {
            "reasoner" => Reasoner,
            "chatml" => ChatMlVariant(template, source) with { Jinja = template },
            "llama3" => Llama3 with { Jinja = template },
            "llama3.1" => Llama31 with { Jinja = template },
            "llama3.2" => Llama32 with { Jinja = template },
            "deepseek-v3" => DeepSeekV3 with { Jinja = template },
            "deepseek-r1" => DeepSeekR1 with { Jinja = template },
            _ => throw Unrendered(source, "matches none of the families Reasoner renders (Reasoner's own, ChatML/Qwen, Llama-3.x, DeepSeek-V3/R1)"),
        };
    }

    private static string? Family(string t)
    {
        bool Has(string s) => t.Contains(s, StringComparison.Ordinal);
        if (Has("<|assistant|>") && Has("bos_token"))
        {
            return "reasoner";
        }

        if (Has("<|im_start|>"))
        {
            return "chatml";
        }

        if (Has("<|start_header_id|>"))
        {
            return !Has("Cutting Knowledge Date") ? "llama3" : Has("strftime_now") ? "llama3.2" : "llama3.1";
        }

        if (Has("<｜Assistant｜>"))
        {
            return Regex.IsMatch(t, @"<｜Assistant｜><think>(\\n|\n)") ? "deepseek-r1" : "deepseek-v3";
        }

        return null;
    }

    /// <summary>ChatML's variants differ in their default system message and in thinking; each is read from the template's literals.</summary>
    private static ChatFormat ChatMlVariant(string template, string source)
    {
        bool qwen3 = template.Contains("enable_thinking", StringComparison.Ordinal) || template.Contains("reasoning_content", StringComparison.Ordinal);
        if (!qwen3 && ForcedThink().IsMatch(template))
        {
            throw Unrendered(source, "is ChatML with <think> forced into the generation prompt (QwQ / thinking-only Qwen); Reasoner does not render that variant");
        }

        var defaults = DefaultSystemLiteral().Matches(template).Select(m => Regex.Unescape(m.Groups[1].Value)).Distinct().ToList();
        return (qwen3, defaults) switch
        {
            (true, []) => Qwen3,
            (false, []) => ChatMl,
            (false, [QwenDefaultSystem]) => Qwen25,
            (false, [var other]) => ChatMl with { Name = "chatml", DefaultSystem = other },
            _ => throw Unrendered(source, $"is ChatML with default system messages Reasoner does not render ({string.Join(" | ", defaults)})"),
        };
    }

    private static ArgumentException Unrendered(string source, string why) =>
        new($"{source}: the chat template {why}. Pass --chat-template NAME to render it as that family does ({string.Join(", ", Names)}), or a JSON chat format file");

    /// <summary>A literal system turn in a ChatML template: '&lt;|im_start|&gt;system\n…&lt;|im_end|&gt;' with fixed text.</summary>
    [GeneratedRegex(@"<\|im_start\|>system(?:\\n|\n)([^<'""{}]+)<\|im_end\|>")]
    private static partial Regex DefaultSystemLiteral();

    [GeneratedRegex(@"<\|im_start\|>assistant(?:\\n|\n)<think>")]
    private static partial Regex ForcedThink();
}
