using System.Text.Json.Nodes;
using Reasoner.Math.Tests;

namespace Reasoner.Model.Tests;

/// <summary>`reasoner tokenize` on a folder transformers 5 saved: the chat prompt and ids transformers made, from the tokenizer files alone.</summary>
public sealed class TokenizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-tokenize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Tokenize_with_chat_prints_the_prompt_and_ids_transformers_made_from_a_folder_without_weights()
    {
        var source = Oracles.FixturePath(Path.Combine("hf5", "qwen2-f32"));
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "chat_template.jinja" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(_dir, file));
        }

        var prompt = JsonNode.Parse(File.ReadAllText(source + ".reference.json"))!["prompts"]![0]!;
        var (code, output, error) = ReasonerProcess.Run(["tokenize", "--model", _dir, "--chat", prompt["question"]!.GetValue<string>()]);
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Equal($"prompt (chatml): {System.Text.Json.JsonSerializer.Serialize(prompt["prompt"]!.GetValue<string>(), Reasoner.Math.Data.JsonText.Compact)}", lines[0]);
        Assert.Equal($"ids ({prompt["prompt_ids"]!.AsArray().Count}): {prompt["prompt_ids"]!.ToJsonString()}", lines[1]);
        Assert.StartsWith("tokens: [\"<|im_start|>\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_jsonl_prints_one_line_per_text_in_order_and_names_a_bad_line()
    {
        var model = Oracles.FixturePath(Path.Combine("hf5", "llama-f32"));
        var reference = JsonNode.Parse(File.ReadAllText(model + ".reference.json"))!["texts"]!.AsObject();
        var input = Path.Combine(_dir, "texts.jsonl");
        File.WriteAllLines(input, reference.Select(kv => new JsonObject { ["text"] = kv.Key }.ToJsonString()));
        var (code, output, error) = ReasonerProcess.Run(["tokenize", "--model", model, "--jsonl", input]);
        Assert.True(code == 0, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(reference.Select(kv => kv.Value!.ToJsonString()), rows.Select(r => r["ids"]!.ToJsonString()));
        Assert.All(rows, r => Assert.Equal(r["ids"]!.AsArray().Count, r["tokens"]!.AsArray().Count));

        File.AppendAllText(input, "{\"txt\": 1}\n");
        (code, _, error) = ReasonerProcess.Run(["tokenize", "--model", model, "--jsonl", input]);
        Assert.Equal(2, code);
        Assert.Contains($"texts.jsonl:{reference.Count + 1}: expected an object with a string field \"text\"", error, StringComparison.Ordinal);
    }
}
