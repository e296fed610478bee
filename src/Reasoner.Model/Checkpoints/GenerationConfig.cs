// generation_config.json, as Hugging Face writes it beside a model: the stop ids, and max_new_tokens when the model's
// training says how long its answers run (the longest completion it was trained on, with a margin), so `solve`, `eval`
// and transformers' generate() stop at a length that fits the model instead of running to the end of the context.
using System.Text.Json.Nodes;
using Reasoner.Model.Tokenization;

namespace Reasoner.Model.Checkpoints;

public static class GenerationConfig
{
    public const string File = "generation_config.json";

    /// <summary>Writes the file into <paramref name="directory"/>.</summary>
    public static void Write(string directory, ITokenizer tokenizer, int? maxNewTokens)
    {
        var stops = tokenizer.Chat.StopIds(tokenizer);
        var generation = new JsonObject
        {
            ["eos_token_id"] = stops.Count == 1 ? stops[0] : new JsonArray(stops.Select(id => (JsonNode)id).ToArray()),
            ["pad_token_id"] = tokenizer.PadId,
            ["do_sample"] = false,
        };
        if (maxNewTokens is { } max)
        {
            generation["max_new_tokens"] = max;
        }

        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, File), generation.ToJsonString(Reasoner.Math.Data.JsonText.Indented) + "\n");
    }

    /// <summary>max_new_tokens from a model folder's generation_config.json, or null when it does not say.</summary>
    public static int? MaxNewTokens(string directory)
    {
        var path = Path.Combine(directory, File);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(System.IO.File.ReadAllText(path))?["max_new_tokens"] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0 ? n : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The default for a model trained on completions of at most <paramref name="longest"/> tokens: a quarter more, and 16, for margin.</summary>
    public static int FromLongestCompletion(int longest) => longest + (longest / 4) + 16;
}
