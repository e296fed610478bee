// The tiny default tokenizer: one token per character of the trace alphabet, plus special tokens, with the
// think/answer tags as single tokens. Saved as a Hugging Face tokenizer.json (WordLevel over single characters)
// so export keeps it; loaded back from the same file.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reasoner.Model.Tokenization;

public sealed class CharTokenizer : ITokenizer
{
    public const string Pad = "<|pad|>";
    public const string Bos = "<|bos|>";
    public const string Eos = "<|eos|>";
    public const string Unk = "<|unk|>";
    public const string Assistant = "<|assistant|>";

    /// <summary>Special tokens in id order; ids 0..n-1.</summary>
    public static readonly string[] Specials = [Pad, Bos, Eos, Unk, Assistant, "<think>", "</think>", "<answer>", "</answer>"];

    /// <summary>Every printable ASCII character, newline and tab: enough for traces, questions and prose.</summary>
    public static readonly string Alphabet = "\n\t" + new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    private readonly Dictionary<string, int> _ids;
    private readonly string[] _tokens;

    public CharTokenizer()
        : this(Specials.Concat(Alphabet.Select(c => c.ToString())).ToArray())
    {
    }

    private CharTokenizer(string[] tokens)
    {
        _tokens = tokens;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            _ids[tokens[i]] = i;
        }
    }

    public int VocabSize => _tokens.Length;

    /// <summary>Every token by id: the special tokens, then one character each.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    public int PadId => _ids[Pad];

    public int BosId => _ids[Bos];

    public int EosId => _ids[Eos];

    public int AssistantId => _ids[Assistant];

    public ChatFormat Chat => ChatFormats.Reasoner;

    public int? TokenId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? Token(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    public int IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : throw new ArgumentException($"'{token}' is not in the vocabulary");

    /// <summary>Longest match over special tokens, else one character; unknown characters map to &lt;|unk|&gt;.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '<' && TryMatchSpecial(text, i, out var special))
            {
                ids.Add(_ids[special]);
                i += special.Length;
                continue;
            }

            ids.Add(_ids.TryGetValue(text[i].ToString(), out var id) ? id : _ids[Unk]);
            i++;
        }

        return ids;
    }

    /// <summary>Text of the ids; padding, bos and eos are dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var builder = new StringBuilder();
        foreach (var id in ids)
        {
            if (id == PadId || id == BosId || id == EosId)
            {
                continue;
            }

            builder.Append(id >= 0 && id < _tokens.Length ? _tokens[id] : Unk);
        }

        return builder.ToString();
    }

    private bool TryMatchSpecial(string text, int at, out string special)
    {
        foreach (var s in Specials)
        {
            if (string.CompareOrdinal(text, at, s, 0, s.Length) == 0)
            {
                special = s;
                return true;
            }
        }

        special = string.Empty;
        return false;
    }

    /// <summary>Writes tokenizer.json (Hugging Face format) and tokenizer_config.json with the chat template.</summary>
    public void Save(string directory)
    {
        var vocab = new JsonObject();
        for (int i = 0; i < _tokens.Length; i++)
        {
            vocab[_tokens[i]] = i;
        }

        var added = new JsonArray();
        for (int i = 0; i < Specials.Length; i++)
        {
            added.Add(new JsonObject
            {
                ["id"] = i, ["content"] = Specials[i], ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }

        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = "[\\s\\S]" }, ["behavior"] = "Isolated", ["invert"] = false },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "Fuse" },
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = Unk },
        };
        var config = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = Bos, ["eos_token"] = Eos, ["pad_token"] = Pad, ["unk_token"] = Unk,
            ["model_max_length"] = 1_000_000,
            ["chat_template"] = ChatFormats.Reasoner.Jinja,
        };
        var options = Reasoner.Math.Data.JsonText.Indented;
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer.json"), tokenizer.ToJsonString(options));
        Reasoner.Math.Data.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config.ToJsonString(options));
    }

    /// <summary>Reads a tokenizer.json written by <see cref="Save"/>.</summary>
    public static CharTokenizer Load(string directory)
    {
        var path = Path.Combine(directory, "tokenizer.json");
        try
        {
            var vocab = JsonNode.Parse(File.ReadAllText(path))?["model"]?["vocab"]?.AsObject()
                ?? throw new InvalidDataException($"{path}: no model.vocab");
            var tokens = new string[vocab.Count];
            foreach (var (token, id) in vocab)
            {
                tokens[id!.GetValue<int>()] = token;
            }

            return new CharTokenizer(tokens);
        }
        catch (Exception e) when (e is JsonException or IndexOutOfRangeException or InvalidOperationException or FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a Reasoner character tokenizer ({e.Message})", e);
        }
    }
}
