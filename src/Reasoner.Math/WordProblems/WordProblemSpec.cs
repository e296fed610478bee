// A preset of the word-problems family (configs/presets/word-problems/*.json, "family": "word-problems"): how many
// operations a problem takes, how large its numbers are, and how often a distractor sentence (a number the answer
// does not use) appears.
using System.Text.Json.Serialization;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.WordProblems;

public sealed record WordProblemSpec : FamilyPresetHeader
{
    public const string Family = "word-problems";

    /// <summary>Arithmetic operations from the story's numbers to its answer (2 to 8).</summary>
    [JsonPropertyName("operations")]
    public IntRange Operations { get; init; } = new(2, 3);

    /// <summary>Size of the numbers the story states (counts, prices, hours, lengths).</summary>
    [JsonPropertyName("numbers")]
    public IntRange Numbers { get; init; } = new(2, 20);

    /// <summary>Whether steps may take a fraction ("a third of") or a percent ("25% of") of a quantity.</summary>
    [JsonPropertyName("parts")]
    public bool Parts { get; init; }

    /// <summary>Chance of each of up to two distractor sentences.</summary>
    [JsonPropertyName("distractor_rate")]
    public double DistractorRate { get; init; }

    public WordProblemSpec Validate()
    {
        Operations.Validate($"preset '{Name}': operations", 1);
        Numbers.Validate($"preset '{Name}': numbers", 2);
        if (Operations.Max > 8 || Numbers.Max > 10_000 || DistractorRate is < 0 or > 1 || double.IsNaN(DistractorRate))
        {
            throw new ArgumentException($"preset '{Name}': operations at most 8, numbers at most 10000, distractor_rate between 0 and 1");
        }

        return this;
    }

    /// <summary>The embedded presets (configs/presets/word-problems/), and .json files of this family.</summary>
    public static FamilyPresets<WordProblemSpec> Presets { get; } = new(Family, "word-problems/", spec => spec.Validate());

    public static IReadOnlyDictionary<string, WordProblemSpec> All => Presets.All;
}
