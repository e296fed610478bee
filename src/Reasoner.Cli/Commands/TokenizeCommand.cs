// reasoner tokenize: what a model is fed. The ids and tokens (spelled as the vocabulary spells them, as HF's
// convert_ids_to_tokens) of a text, or with --chat of the prompt the model's chat template makes of it; --jsonl reads
// {"text": ...} lines and writes one {"ids": [...], "tokens": [...]} line each, in order. MODEL may hold only the
// tokenizer files (tokenizer.json, tokenizer_config.json, chat_template.jinja): no weights are read.
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Runs;

namespace Reasoner.Cli.Commands;

internal static class TokenizeCommand
{
    public static Command Create()
    {
        var text = new Argument<string?>("text") { Description = "The text to tokenize (or use --jsonl).", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string>("--model") { Description = "A model, run, checkpoint or a folder with only tokenizer.json (and tokenizer_config.json / chat_template.jinja).", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Tokenize the prompt the model's chat template makes of the text as a user message (printed first)." };
        var system = new Option<string?>("--system") { Description = "With --chat: a system message before the user's." };
        var noThinking = new Option<bool>("--no-thinking") { Description = "With --chat: Qwen3's enable_thinking=false (an empty think block opens the answer)." };
        var template = new Option<string?>("--chat-template") { Description = ChatFormats.OptionHelp + "." };
        var jsonl = new Option<string?>("--jsonl") { Description = "Read one {\"text\": ...} object per line from FILE; print one {\"ids\": [...], \"tokens\": [...]} line for each, in order." };
        var command = new Command("tokenize", "Show the token ids and tokens a model's tokenizer gives a text (or its chat prompt); the text is optional with --jsonl FILE.")
        {
            text, model, chat, system, noThinking, template, jsonl,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var folder = TokenizerFolder(result.GetValue(model)!);
            var tokenizer = TokenizerFiles.Load(folder, result.GetValue(template) is { } name ? ChatFormats.Named(name) : null);
            string Input(string t) => !result.GetValue(chat) ? t
                : tokenizer.Chat.Render(result.GetValue(system) is { } s ? [("system", s), ("user", t)] : [("user", t)], enableThinking: !result.GetValue(noThinking));
            if (result.GetValue(jsonl) is { } file)
            {
                if (result.GetValue(text) is not null)
                {
                    throw new ArgumentException("give either a text or --jsonl FILE, not both");
                }

                foreach (var value in Texts(file))
                {
                    var ids = tokenizer.Encode(Input(value));
                    Console.WriteLine(JsonSerializer.Serialize(new JsonObject { ["ids"] = ToArray(ids), ["tokens"] = Tokens(tokenizer, ids) }, JsonText.Compact));
                }

                return 0;
            }

            var input = Input(result.GetValue(text) ?? throw new ArgumentException("give a text to tokenize, or --jsonl FILE"));
            var all = tokenizer.Encode(input);
            if (result.GetValue(chat))
            {
                Console.WriteLine($"prompt ({tokenizer.Chat.Name}): {JsonSerializer.Serialize(input, JsonText.Compact)}");
            }

            Console.WriteLine($"ids ({all.Count}): {JsonSerializer.Serialize(ToArray(all), JsonText.Compact)}");
            Console.WriteLine($"tokens: {JsonSerializer.Serialize(Tokens(tokenizer, all), JsonText.Compact)}");
            return 0;
        }));
        return command;
    }

    /// <summary>A folder with tokenizer.json as given, else the newest checkpoint of a run.</summary>
    private static string TokenizerFolder(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new ArgumentException($"--model: {path} does not exist");
        }

        return File.Exists(Path.Combine(path, "tokenizer.json")) ? path : CheckpointPaths.Resolve(path);
    }

    /// <summary>Each line's "text", in order; a line that is not {"text": "..."} is refused with its number.</summary>
    private static IEnumerable<string> Texts(string file)
    {
        int number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? row;
            try
            {
                row = JsonNode.Parse(line);
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"{file}:{number}: not valid JSON ({JsonText.Describe(e)})", e);
            }

            yield return row?["text"] is JsonValue value && value.TryGetValue<string>(out var t) ? t
                : throw new ArgumentException($"{file}:{number}: expected an object with a string field \"text\"");
        }
    }

    private static JsonArray ToArray(List<int> ids) => new([.. ids.Select(i => (JsonNode)i)]);

    private static JsonArray Tokens(ITokenizer tokenizer, List<int> ids) => new([.. ids.Select(i => (JsonNode?)tokenizer.Token(i))]);
}
