using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Tokenization;

namespace Reasoner.Model.Tests;

/// <summary>
/// Real chat templates (Qwen2.5, Qwen3, Llama-3, Llama-3.2, DeepSeek-V3, DeepSeek-R1; tests/fixtures/chat-templates/)
/// are recognised by family and render every conversation there exactly as transformers' Jinja does: expected.json was
/// rendered by transformers.js (scripts/chat-template-refs.mjs) and checked against Python transformers 5.17.
/// </summary>
public sealed class ChatTemplateTests
{
    private static readonly string Dir = Oracles.FixturePath("chat-templates");

    public static TheoryData<string> Templates => [.. JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "templates.json")))!.AsObject().Select(kv => kv.Key)];

    [Theory]
    [MemberData(nameof(Templates))]
    public void A_real_template_is_recognised_and_renders_as_transformers_does(string file)
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "templates.json")))![file]!;
        var conversations = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "conversations.json")))!.AsArray();
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")))![file]!.AsArray();

        var format = ChatFormats.Recognise(File.ReadAllText(Path.Combine(Dir, file)), file);
        Assert.Equal(spec["format"]!.GetValue<string>(), format.Name);
        if (spec["date_string"]?.GetValue<string>() is { } date)
        {
            format = format with { Date = date };
        }

        Assert.NotEmpty(expected);
        foreach (var row in expected)
        {
            var messages = conversations[row!["conversation"]!.GetValue<int>()]!.AsArray()
                .Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())).ToList();
            bool thinking = row["enable_thinking"]?.GetValue<bool>() ?? true;
            Assert.Equal(row["text"]!.GetValue<string>(), format.Render(messages, thinking));
        }
    }

    [Fact]
    public void Transformers_js_and_python_transformers_render_every_template_alike()
    {
        var python = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "expected.py.json")))!["templates"]!.AsObject();
        var js = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")))!.AsObject();
        Assert.Equal(js.Select(kv => kv.Key).Order(), python.Select(kv => kv.Key).Order());
        foreach (var (file, rows) in python)
        {
            foreach (var row in rows!.AsArray().Where(r => r!["date_string"]!.GetValue<bool>()))
            {
                var twin = js[file]!.AsArray().Single(r => r!["conversation"]!.GetValue<int>() == row!["conversation"]!.GetValue<int>()
                    && r["enable_thinking"]?.GetValue<bool>() == row["enable_thinking"]?.GetValue<bool>());
                Assert.Equal(row!["text"]!.GetValue<string>(), twin!["text"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Llama_3_2_dates_its_system_turn_today_as_strftime_now_does()
    {
        var format = ChatFormats.Recognise(File.ReadAllText(Path.Combine(Dir, "llama3.2.jinja")), "llama3.2.jinja");
        var today = DateTime.Now.ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Today Date: {today}\n\n", format.Render([("user", "hi")]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ messages[0]['content'] }}[INST]", "matches none of the families")]
    [InlineData("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n<think>\n", "<think> forced")]
    [InlineData("{{'<|im_start|>system\\nYou are A.<|im_end|>\\n'}}{{'<|im_start|>system\\nYou are B.<|im_end|>\\n'}}", "default system messages")]
    public void A_template_Reasoner_cannot_render_exactly_is_refused_with_the_names_to_pass(string template, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ChatFormats.Recognise(template, "tokenizer_config.json"));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("--chat-template", error.Message, StringComparison.Ordinal);
        Assert.Contains("qwen3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chatml_template_with_its_own_default_system_message_renders_it()
    {
        var format = ChatFormats.Recognise("{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}<|im_start|>", "t");
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", format.Render([("user", "hi")]));
    }

    [Fact]
    public void A_template_is_read_from_chat_template_jinja_or_a_list_of_named_templates()
    {
        var dir = Directory.CreateTempSubdirectory("reasoner-chat-").FullName;
        try
        {
            var config = new JsonObject { ["chat_template"] = new JsonArray(new JsonObject { ["name"] = "tool_use", ["template"] = "x" }, new JsonObject { ["name"] = "default", ["template"] = "<|start_header_id|>" }) };
            Assert.Equal("<|start_header_id|>", ChatTemplateFile.Read(dir, config)!.Value.Template);
            File.WriteAllText(Path.Combine(dir, ChatTemplateFile.JinjaFile), "<|im_start|>");
            Assert.Equal(("<|im_start|>", Path.Combine(dir, ChatTemplateFile.JinjaFile)), ChatTemplateFile.Read(dir, config));
            Assert.Null(ChatTemplateFile.Read(Directory.CreateTempSubdirectory("reasoner-chat-empty-").FullName, new JsonObject()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
