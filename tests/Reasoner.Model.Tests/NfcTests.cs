using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Tokenization;

namespace Reasoner.Model.Tests;

/// <summary>Our NFC against python3's unicodedata on 3,000 random texts of letters, combining marks in any order, Hangul jamo and composed characters (tests/fixtures/nfc-cases.json).</summary>
public sealed class NfcTests
{
    [Fact]
    public void Nfc_agrees_with_pythons_unicodedata()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Oracles.FixturePath("nfc-cases.json")))!["cases"]!.AsArray();
        var wrong = cases.Where(c => Nfc.Normalize(c![0]!.GetValue<string>()) != c[1]!.GetValue<string>()).Select(c => c![0]!.GetValue<string>()).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} differ, first {System.Text.Json.JsonSerializer.Serialize(wrong.FirstOrDefault())}");
    }

    [Theory]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("\u1100\u1161\u11a8", "\uac01")]
    [InlineData("a\u0323\u0302", "\u1ead")]
    [InlineData("a\u0302\u0323", "\u1ead")]
    [InlineData("\u212b", "\u00c5")]
    [InlineData("plain ascii 123", "plain ascii 123")]
    public void Nfc_composes_reorders_and_maps_singletons(string text, string expected) => Assert.Equal(expected, Nfc.Normalize(text));
}
