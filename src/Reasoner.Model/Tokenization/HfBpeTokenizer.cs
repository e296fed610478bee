// Hugging Face byte-level BPE from tokenizer.json (GPT-2, Qwen2/2.5/3, Llama-3 families), on Microsoft.ML.Tokenizers'
// BpeTokenizer: the vocabulary and merges as written, every added token (special or not) matched whole before
// pre-tokenization, the pre-tokenizer's split regex, and the NFC normalizer Qwen declares. What this cannot reproduce
// exactly (SentencePiece-style byte fallback, another normalizer or pre-tokenizer) is refused by name. The original
// tokenizer.json is saved back unchanged, so an export carries exactly what was loaded.
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Reasoner.Model.Tokenization;

public sealed class HfBpeTokenizer : ITokenizer
{
    /// <summary>GPT-2's split, which a ByteLevel pre-tokenizer with use_regex applies.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _added;
    private readonly Dictionary<int, (string Content, bool Special)> _addedById;
    private readonly bool _nfc;
    private readonly string _json;
    private readonly string? _configJson;

    private HfBpeTokenizer(BpeTokenizer bpe, Dictionary<string, int> added, Dictionary<int, (string, bool)> addedById, bool nfc, int vocabSize, string json, string? configJson, ChatFormat chat, int padId)
    {
        (_bpe, _added, _addedById, _nfc, _json, _configJson) = (bpe, added, addedById, nfc, json, configJson);
        (VocabSize, Chat, PadId) = (vocabSize, chat, padId);
    }

    public int VocabSize { get; }

    public int PadId { get; }

    public ChatFormat Chat { get; }

    /// <summary>Every token by id as tokenizer.json spells it (byte-level: a space is Ġ), added tokens included; gaps are null.</summary>
    public IReadOnlyList<string?> TokensById { get; private init; } = [];

    /// <summary>The merges in order, "a b".</summary>
    public IReadOnlyList<string> Merges { get; private init; } = [];

    /// <summary>Added tokens by id: their text and whether HF marks them special (control tokens).</summary>
    public IReadOnlyDictionary<int, (string Content, bool Special)> AddedTokens => _addedById;

    /// <summary>The pre-tokenizer's split pattern in use (for tests and the digit-tokenization note).</summary>
    public string Pattern { get; private init; } = Gpt2Pattern;

    /// <summary>Reads tokenizer.json (and tokenizer_config.json when present) from a model folder.</summary>
    /// <param name="chat">The chat format to use; by default recognised from tokenizer_config.json's chat_template.</param>
    public static HfBpeTokenizer Load(string directory, ChatFormat? chat = null)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        var json = File.ReadAllText(path);
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{path}: empty");
        var model = root["model"]?.AsObject() ?? throw new InvalidDataException($"{path}: no model");
        if (model["type"]?.GetValue<string>() is not "BPE")
        {
            throw new InvalidDataException($"{path}: model type '{model["type"]}' is not BPE; only byte-level BPE tokenizers (GPT-2, Qwen, Llama-3) are supported");
        }

        if (model["byte_fallback"]?.GetValue<bool>() == true)
        {
            throw new InvalidDataException($"{path}: byte_fallback BPE (SentencePiece style, e.g. Llama-2, Mistral v0.1) is not supported; only byte-level BPE (GPT-2, Qwen, Llama-3)");
        }

        var vocab = model["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>(), StringComparer.Ordinal);
        var merges = model["merges"]!.AsArray().Select(m => m is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : m!.GetValue<string>()).ToList();
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var addedById = new Dictionary<int, (string, bool)>();
        foreach (var token in root["added_tokens"]?.AsArray() ?? [])
        {
            var content = token!["content"]!.GetValue<string>();
            int id = token["id"]!.GetValue<int>();
            added[content] = id;
            addedById[id] = (content, token["special"]?.GetValue<bool>() ?? false);
        }

        var pattern = PatternOf(root["pre_tokenizer"], path);
        bool nfc = NormalizerOf(root["normalizer"], path);
        var bpe = BpeTokenizer.Create(new BpeOptions(vocab.Where(kv => !added.ContainsKey(kv.Key)))
        {
            Merges = merges,
            SpecialTokens = added,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), added),
        });
        int size = System.Math.Max(vocab.Values.DefaultIfEmpty(-1).Max(), added.Values.DefaultIfEmpty(-1).Max()) + 1;
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        var configJson = File.Exists(configPath) ? File.ReadAllText(configPath) : null;
        var config = configJson is null ? null : JsonNode.Parse(configJson);
        chat ??= ChatTemplateFile.Read(directory, config) is { } found
            ? ChatFormats.Recognise(found.Template, found.Source)
            : throw new InvalidDataException($"{directory}: no chat template (neither {ChatTemplateFile.JinjaFile} nor tokenizer_config.json's chat_template); pass --chat-template {string.Join("|", ChatFormats.Names)}|FILE");
        int pad = TokenText(config?["pad_token"]) is { } padText && added.TryGetValue(padText, out var padId) ? padId
            : added.TryGetValue(chat.End, out var endId) ? endId : 0;
        var byId = new string?[size];
        foreach (var (token, id) in vocab.Concat(added))
        {
            byId[id] = token;
        }

        return new HfBpeTokenizer(bpe, added, addedById, nfc, size, json, configJson, chat, pad) { Pattern = pattern, TokensById = byId, Merges = merges };
    }

    public List<int> Encode(string text)
    {
        var normalized = _nfc ? text.Normalize(NormalizationForm.FormC) : text;
        return [.. _bpe.EncodeToIds(normalized, considerPreTokenization: true, considerNormalization: false)];
    }

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(_bpe.Decode(run));
                run.Clear();
            }
        }

        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var token))
            {
                Flush();
                if (!token.Special)
                {
                    text.Append(token.Content); // <think> in Qwen3 is added but not special: it is text
                }
            }
            else
            {
                run.Add(id);
            }
        }

        Flush();
        return text.ToString();
    }

    public int? TokenId(string token) => _added.TryGetValue(token, out var id) ? id : _bpe.Vocabulary.TryGetValue(token, out var plain) ? plain : null;

    public void Save(string directory)
    {
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer.json"), _json);
        var config = _configJson is null ? new JsonObject() : JsonNode.Parse(_configJson)!.AsObject();
        config["chat_template"] = Chat.Jinja;
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => null,
    };

    /// <summary>The split regex: ByteLevel(use_regex) means GPT-2's; a Sequence of Split(Regex, Isolated) + ByteLevel(use_regex false) means the Split's.</summary>
    private static string PatternOf(JsonNode? node, string path)
    {
        string? pattern = null;
        var steps = node?["type"]?.GetValue<string>() == "Sequence" ? node["pretokenizers"]!.AsArray().ToList() : [node];
        foreach (var step in steps)
        {
            switch (step?["type"]?.GetValue<string>())
            {
                case "Split" when IsIsolatedRegex(step!):
                    pattern = pattern is null ? step!["pattern"]!["Regex"]!.GetValue<string>() : throw Unsupported(path, "two Split steps");
                    break;
                case "ByteLevel" when UsesRegex(step!):
                    pattern = pattern is null ? Gpt2Pattern : throw Unsupported(path, "a Split step and ByteLevel with use_regex");
                    break;
                case "ByteLevel":
                    break;
                default:
                    throw Unsupported(path, $"pre-tokenizer {step?.ToJsonString() ?? "null"}");
            }
        }

        return pattern ?? throw Unsupported(path, "no split pattern");
    }

    private static bool IsIsolatedRegex(JsonNode step) =>
        step["pattern"]?["Regex"] is JsonValue && step["behavior"]?.GetValue<string>() == "Isolated" && step["invert"]?.GetValue<bool>() != true;

    private static bool UsesRegex(JsonNode step) => step["use_regex"]?.GetValue<bool>() ?? true;

    private static bool NormalizerOf(JsonNode? node, string path) => node?["type"]?.GetValue<string>() switch
    {
        null => false,
        "NFC" => true,
        var other => throw Unsupported(path, $"normalizer {other}"),
    };

    private static InvalidDataException Unsupported(string path, string what) =>
        new($"{path}: {what} is not supported; byte-level BPE tokenizers of the GPT-2, Qwen and Llama-3 families are");
}
