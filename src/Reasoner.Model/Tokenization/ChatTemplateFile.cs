// Where a model folder keeps its Jinja chat template, in every layout transformers writes: chat_template.jinja beside
// tokenizer_config.json (transformers 5, which then leaves the config's field out), tokenizer_config.json's
// chat_template as a string or as a list of named templates (the one named "default" is the chat template), or the
// older chat_template.json ({"chat_template": ...}). The .jinja file wins when several are present, as in transformers.
using System.Text.Json.Nodes;

namespace Reasoner.Model.Tokenization;

public static class ChatTemplateFile
{
    public const string JinjaFile = "chat_template.jinja";

    /// <summary>The template's text and the file it came from, or null when the folder has none.</summary>
    public static (string Template, string Source)? Read(string directory, JsonNode? tokenizerConfig)
    {
        var jinja = Path.Combine(directory, JinjaFile);
        if (File.Exists(jinja))
        {
            return (File.ReadAllText(jinja), jinja);
        }

        var configPath = Path.Combine(directory, "tokenizer_config.json");
        if (FromField(tokenizerConfig?["chat_template"], configPath) is { } fromConfig)
        {
            return (fromConfig, configPath);
        }

        var legacy = Path.Combine(directory, "chat_template.json");
        if (File.Exists(legacy) && FromField(JsonNode.Parse(File.ReadAllText(legacy))?["chat_template"], legacy) is { } fromLegacy)
        {
            return (fromLegacy, legacy);
        }

        return null;
    }

    private static string? FromField(JsonNode? field, string path) => field switch
    {
        null => null,
        JsonValue value => value.GetValue<string>(),
        JsonArray named => named.FirstOrDefault(t => t?["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{path}: chat_template lists templates named {string.Join(", ", named.Select(t => t?["name"]?.GetValue<string>()))} but none named \"default\"; pass --chat-template NAME|FILE"),
        _ => throw new InvalidDataException($"{path}: chat_template is neither a string nor a list of named templates"),
    };
}
