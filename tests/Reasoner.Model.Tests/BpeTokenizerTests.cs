using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using Reasoner.Model.Tokenization;
using Reasoner.Testing;

namespace Reasoner.Model.Tests;

/// <summary>
/// Hugging Face byte-level BPE from tokenizer.json, against GPT-2's real vocabulary as an independent tokenizer
/// encodes it (Microsoft.ML.Tokenizers' TiktokenTokenizer over the gpt2 data package): the tokenizer.json is built
/// from the same ranks (vocabulary in GPT-2's byte-to-unicode spelling, merges recovered from the ranks), and every
/// text of a varied corpus must encode to the same ids and decode back to itself.
/// </summary>
public sealed class BpeTokenizerTests : IDisposable
{
    private static readonly string[] Corpus =
    [
        "Hello world", "The answer is 1015.", "457 + 268 = 725", "7+8+0=15\n5+6+1=12", "0457+0268", "  leading and trailing  ",
        "tabs\tand\nnew\n\nlines\r\n", "multiple     spaces", "unicode: café, naïve, Zürich, Ελληνικά, Русский, 日本語, 한국어, emoji 🙂🚀",
        "I'm can't we'll they've she'd you're", "<think>\n37 + 48 = 85\n</think>\n<answer>85</answer>", "3.14159 and -2.5e10 and 1,000,000",
        "x<|endoftext|>y", "<|endoftext|>", "", " ", "\n", "a", "!!!???...", "camelCaseIdentifier snake_case_identifier", "https://example.com/path?q=1&r=2",
        "\u00A0non-breaking\u2009thin\u202Fspaces", "Ġ", "ĠĠ", "The quick brown fox jumps over the lazy dog. 12345678901234567890",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-bpe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Gpt2s_vocabulary_from_a_tokenizer_json_encodes_every_text_as_an_independent_tokenizer_does()
    {
        Gpt2TokenizerJson.Write(_dir);
        var ours = HfBpeTokenizer.Load(_dir, ChatFormats.ChatMl);
        var reference = TiktokenTokenizer.CreateForModel("gpt2");
        Assert.Equal(50257, ours.VocabSize);
        int mismatches = 0;
        foreach (var text in Corpus)
        {
            var expected = reference.EncodeToIds(text).ToList();
            var actual = ours.Encode(text);
            mismatches += expected.SequenceEqual(actual) ? 0 : 1;
            Assert.True(expected.SequenceEqual(actual), $"'{text}': reference [{string.Join(", ", expected)}], ours [{string.Join(", ", actual)}]");
            Assert.Equal(text.Replace("<|endoftext|>", string.Empty, StringComparison.Ordinal), ours.Decode(actual)); // control tokens are left out of text
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(50256, ours.TokenId("<|endoftext|>"));
    }

    [Fact]
    public void Digits_split_one_by_one_under_qwen2_and_in_groups_of_three_under_llama3()
    {
        const string Qwen2 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        const string Llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        static List<string> Split(string pattern, string text) => new RegexPreTokenizer(new System.Text.RegularExpressions.Regex(pattern), null)
            .PreTokenize(text).Select(r => text.Substring(r.Offset, r.Length)).ToList();

        // The compact digit CoT's column work: every digit and sign is its own piece under Qwen2, so no merge can span a claim.
        Assert.Equal(["0", "4", "5", "7", "+", "0", "2", "6", "8"], Split(Qwen2, "0457+0268"));
        Assert.Equal(["7", "+", "8", "+", "0", "=", "1", "5"], Split(Qwen2, "7+8+0=15"));
        // Llama-3 groups digits in threes from the left: a zero-padded operand splits unevenly (045|7), a token per claim digit is lost.
        Assert.Equal(["045", "7", "+", "026", "8"], Split(Llama3, "0457+0268"));
        Assert.Equal(["7", "+", "8", "+", "0", "=", "15"], Split(Llama3, "7+8+0=15"));
    }

    [Fact]
    public void An_unsupported_tokenizer_json_is_refused_by_name()
    {
        Gpt2TokenizerJson.Write(_dir);
        var path = Path.Combine(_dir, "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["model"]!["byte_fallback"] = true;
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("byte_fallback", Assert.Throws<InvalidDataException>(() => HfBpeTokenizer.Load(_dir, ChatFormats.ChatMl)).Message);

        json["model"]!["byte_fallback"] = false;
        json["normalizer"] = new JsonObject { ["type"] = "Lowercase" };
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("normalizer Lowercase is not supported", Assert.Throws<InvalidDataException>(() => HfBpeTokenizer.Load(_dir, ChatFormats.ChatMl)).Message);

        json["normalizer"] = null;
        json["added_tokens"]![0]!["lstrip"] = true;
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("with lstrip true is not supported", Assert.Throws<InvalidDataException>(() => HfBpeTokenizer.Load(_dir, ChatFormats.ChatMl)).Message);

        json["added_tokens"]![0]!["lstrip"] = false;
        File.WriteAllText(path, json.ToJsonString());
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), "{\"chat_template\": \"{{ messages }}\"}");
        var error = Assert.Throws<ArgumentException>(() => HfBpeTokenizer.Load(_dir));
        Assert.Contains("--chat-template NAME", error.Message);
    }

    [Theory]
    [InlineData("chatml", "<|im_start|>user\n2+2<|im_end|>\n<|im_start|>assistant\n", "<|im_end|>")]
    [InlineData("llama3", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n2+2<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "<|eot_id|>")]
    public void Chat_formats_render_the_prompt_as_the_model_family_does(string name, string prompt, string end)
    {
        var format = ChatFormats.Named(name);
        var tokenizer = new RecordingTokenizer(format);
        format.Prompt(tokenizer, "2+2");
        Assert.Equal(prompt, tokenizer.Last);
        format.Completion(tokenizer, "4");
        Assert.Equal("4" + end, tokenizer.Last);
        Assert.Equal(format.Name, ChatFormats.Recognise(format.Jinja, "t").Name);
        Assert.Equal(ChatFormats.QwenDefaultSystem, ChatFormats.Recognise("{%- if not system %}<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>{% endif %}", "t").DefaultSystem);
    }

    private sealed class RecordingTokenizer(ChatFormat chat) : ITokenizer
    {
        public string Last { get; private set; } = string.Empty;

        public int VocabSize => 1;

        public int PadId => 0;

        public ChatFormat Chat => chat;

        public List<int> Encode(string text)
        {
            Last = text;
            return [];
        }

        public string Decode(IEnumerable<int> ids) => string.Empty;

        public int? TokenId(string token) => null;

        public string? Token(int id) => null;

        public void Save(string directory)
        {
        }
    }
}
