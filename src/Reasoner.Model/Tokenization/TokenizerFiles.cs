// Which tokenizer a model folder holds: Reasoner's character tokenizer (a WordLevel tokenizer.json over single
// characters) or Hugging Face byte-level BPE; the chat format comes with it, or from --chat-template.
using System.Text.Json.Nodes;

namespace Reasoner.Model.Tokenization;

public static class TokenizerFiles
{
    public static ITokenizer Load(string directory, ChatFormat? chat = null)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: file is missing; a model folder needs its tokenizer.json");
        }

        var type = JsonNode.Parse(File.ReadAllText(path))?["model"]?["type"]?.GetValue<string>();
        return type switch
        {
            "WordLevel" => chat is null || chat.Name == ChatFormats.Reasoner.Name
                ? CharTokenizer.Load(directory)
                : throw new ArgumentException($"{directory}: Reasoner's character tokenizer only has its own chat format, not {chat.Name}"),
            "BPE" => HfBpeTokenizer.Load(directory, chat),
            _ => throw new InvalidDataException($"{path}: model type '{type}' is not supported; Reasoner reads its character tokenizer and byte-level BPE"),
        };
    }
}
