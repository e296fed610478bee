// Hugging Face byte-level BPE from tokenizer.json (GPT-2, Qwen2/2.5/3, Llama-3, DeepSeek-V3/R1 families), with
// Microsoft.ML.Tokenizers' BpeTokenizer merging each piece: the vocabulary and merges as written, every added token
// (special or not) matched whole first (longest at the leftmost place), the NFC normalizer Qwen declares, then the
// pre-tokenizer's Split steps (SplitPreTokenizer), and Llama-3's ignore_merges (a piece that is itself a token is that
// token). What this cannot reproduce exactly (SentencePiece-style byte fallback as in Gemma, another normalizer or
// pre-tokenizer) is refused by name. The original tokenizer.json is saved back unchanged, so an export carries exactly
// what was loaded.
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
    private readonly SplitPreTokenizer _split;
    private readonly Regex? _addedPattern;
    private readonly Dictionary<string, int>? _wholePieces;
    private readonly Dictionary<string, int> _added;
    private readonly Dictionary<int, (string Content, bool Special)> _addedById;
    private readonly bool _nfc;
    private readonly string _json;
    private readonly string? _configJson;

    private HfBpeTokenizer(BpeTokenizer bpe, SplitPreTokenizer split, Dictionary<string, int>? wholePieces, Dictionary<string, int> added, Dictionary<int, (string, bool)> addedById, bool nfc, int vocabSize, string json, string? configJson, ChatFormat chat, int padId)
    {
        (_bpe, _split, _wholePieces, _added, _addedById, _nfc, _json, _configJson) = (bpe, split, wholePieces, added, addedById, nfc, json, configJson);
        (VocabSize, Chat, PadId) = (vocabSize, chat, padId);
        _addedPattern = added.Count == 0 ? null
            : new Regex(string.Join("|", added.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).Select(Regex.Escape)), RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    public int VocabSize { get; }

    /// <summary>Whether text is NFC-normalized before it is split (tokenizer.json's normalizer), so decoding gives the NFC form back.</summary>
    public bool NormalizesToNfc => _nfc;

    public int PadId { get; }

    public ChatFormat Chat { get; }

    /// <summary>Every token by id as tokenizer.json spells it (byte-level: a space is Ġ), added tokens included; gaps are null.</summary>
    public IReadOnlyList<string?> TokensById { get; private init; } = [];

    /// <summary>The merges in order, "a b".</summary>
    public IReadOnlyList<string> Merges { get; private init; } = [];

    /// <summary>Added tokens by id: their text and whether HF marks them special (control tokens).</summary>
    public IReadOnlyDictionary<int, (string Content, bool Special)> AddedTokens => _addedById;

    /// <summary>The pre-tokenizer's split patterns in the order they apply (for tests, GGUF export and the digit-tokenization note).</summary>
    public IReadOnlyList<string> Patterns => _split.Patterns;

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
            throw new InvalidDataException($"{path}: byte_fallback BPE (SentencePiece style: Gemma, Llama-2, Mistral v0.1) is not supported; only byte-level BPE (GPT-2, Qwen, Llama-3, DeepSeek-V3/R1)");
        }

        var vocab = model["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>(), StringComparer.Ordinal);
        var merges = model["merges"]!.AsArray().Select(m => m is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : m!.GetValue<string>()).ToList();
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var addedById = new Dictionary<int, (string, bool)>();
        var patterns = PatternsOf(root["pre_tokenizer"], path);
        bool nfc = NormalizerOf(root["normalizer"], path);
        foreach (var token in root["added_tokens"]?.AsArray() ?? [])
        {
            var content = token!["content"]!.GetValue<string>();
            int id = token["id"]!.GetValue<int>();
            // Matched whole, where they stand, before normalization: a flag that changes that is refused, not ignored.
            if (new[] { "lstrip", "rstrip", "single_word" }.FirstOrDefault(flag => token[flag]?.GetValue<bool>() == true) is { } flag)
            {
                throw Unsupported(path, $"added token '{content}' with {flag} true");
            }

            if (nfc && token["normalized"]?.GetValue<bool>() == true)
            {
                throw Unsupported(path, $"added token '{content}' matched after the NFC normalizer (normalized true)");
            }

            added[content] = id;
            addedById[id] = (content, token["special"]?.GetValue<bool>() ?? false);
        }

        var plain = vocab.Where(kv => !added.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var bpe = BpeTokenizer.Create(new BpeOptions(plain) { Merges = merges, ByteLevel = true });
        bool ignoreMerges = model["ignore_merges"]?.GetValue<bool>() ?? false;
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

        return new HfBpeTokenizer(bpe, new SplitPreTokenizer(patterns), ignoreMerges ? plain : null, added, addedById, nfc, size, json, configJson, chat, pad) { TokensById = byId, Merges = merges };
    }

    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        int done = 0;
        if (_addedPattern is not null)
        {
            foreach (Match match in _addedPattern.Matches(text))
            {
                EncodePlain(text[done..match.Index], ids);
                ids.Add(_added[match.Value]);
                done = match.Index + match.Length;
            }
        }

        EncodePlain(text[done..], ids);
        return ids;
    }

    /// <summary>Text without added tokens: normalized, split, and each piece merged (or looked up whole with ignore_merges).</summary>
    private void EncodePlain(string text, List<int> ids)
    {
        if (text.Length == 0)
        {
            return;
        }

        foreach (var piece in _split.Split(_nfc ? Nfc.Normalize(text) : text))
        {
            if (_wholePieces is not null && _wholePieces.TryGetValue(ByteLevel.Encode(piece), out var whole))
            {
                ids.Add(whole);
            }
            else
            {
                ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
            }
        }
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

    public string? Token(int id) => id >= 0 && id < TokensById.Count ? TokensById[id] : null;

    public int? TokenId(string token) => _added.TryGetValue(token, out var id) ? id : _bpe.Vocabulary.TryGetValue(token, out var plain) ? plain : null;

    public void Save(string directory)
    {
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer.json"), _json);
        var config = _configJson is null ? new JsonObject() : JsonNode.Parse(_configJson)!.AsObject();
        config["chat_template"] = Chat.Jinja;
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config.ToJsonString(Reasoner.Math.Data.JsonText.Indented));
    }

    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => null,
    };

    /// <summary>
    /// The Split patterns in order: each Split(Regex, Isolated) step, and GPT-2's pattern where a ByteLevel step has
    /// use_regex (alone, as in GPT-2, or after Splits). ByteLevel with add_prefix_space, other Split behaviours and other
    /// pre-tokenizers are refused by name.
    /// </summary>
    private static List<string> PatternsOf(JsonNode? node, string path)
    {
        var patterns = new List<string>();
        var steps = node?["type"]?.GetValue<string>() == "Sequence" ? node["pretokenizers"]!.AsArray().ToList() : [node];
        foreach (var step in steps)
        {
            switch (step?["type"]?.GetValue<string>())
            {
                case "Split" when IsIsolatedRegex(step!):
                    patterns.Add(step!["pattern"]!["Regex"]!.GetValue<string>());
                    break;
                case "ByteLevel" when step!["add_prefix_space"]?.GetValue<bool>() == true:
                    throw Unsupported(path, "ByteLevel pre-tokenizer with add_prefix_space true");
                case "ByteLevel":
                    if (UsesRegex(step!))
                    {
                        patterns.Add(Gpt2Pattern);
                    }

                    break;
                default:
                    throw Unsupported(path, $"pre-tokenizer {step?.ToJsonString() ?? "null"}");
            }
        }

        return patterns.Count > 0 ? patterns : throw Unsupported(path, "no split pattern");
    }

    private static bool IsIsolatedRegex(JsonNode step) =>
        step["pattern"]?["Regex"] is JsonValue && step["behavior"]?.GetValue<string>() == "Isolated" && step["invert"]?.GetValue<bool>() != true;

    private static bool UsesRegex(JsonNode step) => step["use_regex"]?.GetValue<bool>() ?? true;

    /// <summary>Whether text is NFC-normalized first: no normalizer, NFC, or a Sequence of those (DeepSeek-V3 writes an empty one).</summary>
    private static bool NormalizerOf(JsonNode? node, string path) => node?["type"]?.GetValue<string>() switch
    {
        null => false,
        "NFC" => true,
        "Sequence" => node["normalizers"]!.AsArray().Select(n => NormalizerOf(n, path)).Aggregate(false, (a, b) => a || b),
        var other => throw Unsupported(path, $"normalizer {other}"),
    };

    private static InvalidDataException Unsupported(string path, string what) =>
        new($"{path}: {what} is not supported; byte-level BPE tokenizers of the GPT-2, Qwen, Llama-3 and DeepSeek-V3 families are");
}
