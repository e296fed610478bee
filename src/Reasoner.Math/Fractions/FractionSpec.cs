// A preset of the fractions family (configs/presets/fractions/*.json, "family": "fractions"): which kinds of problem,
// the denominators, whether operands are mixed numbers, and the percents and bases of the percentage kinds.
using System.Text.Json.Serialization;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Fractions;

public sealed record FractionSpec : FamilyPresetHeader
{
    public const string Family = "fractions";

    /// <summary>The four operations on fractions, and three on percentages.</summary>
    public static readonly string[] Kinds = ["add", "subtract", "multiply", "divide", "percent-of", "percent-change", "reverse-percent"];

    /// <summary>Kinds to draw from, in turn at random: see <see cref="Kinds"/>.</summary>
    [JsonPropertyName("kinds")]
    public IReadOnlyList<string> KindList { get; init; } = ["add", "subtract"];

    /// <summary>Denominators of the operands (2 or more).</summary>
    [JsonPropertyName("denominators")]
    public IntRange Denominators { get; init; } = new(2, 10);

    /// <summary>Operands written as mixed numbers (2 3/4), with this whole part; null for proper fractions.</summary>
    [JsonPropertyName("mixed_whole")]
    public IntRange? MixedWhole { get; init; }

    /// <summary>Percents of the percentage kinds, drawn as multiples of <see cref="PercentStep"/>.</summary>
    [JsonPropertyName("percents")]
    public IntRange Percents { get; init; } = new(5, 95);

    [JsonPropertyName("percent_step")]
    public int PercentStep { get; init; } = 5;

    /// <summary>Size of the whole a percentage is taken of (it is then rounded so the answer is whole).</summary>
    [JsonPropertyName("bases")]
    public IntRange Bases { get; init; } = new(20, 400);

    public FractionSpec Validate()
    {
        if (KindList.Count == 0 || KindList.FirstOrDefault(k => !Kinds.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"preset '{Name}': kinds must list some of {string.Join(", ", Kinds)}{(KindList.Count == 0 ? string.Empty : $"; '{KindList.First(k => !Kinds.Contains(k))}' is not one")}");
        }

        Denominators.Validate($"preset '{Name}': denominators", 2);
        MixedWhole?.Validate($"preset '{Name}': mixed_whole", 1);
        Percents.Validate($"preset '{Name}': percents", 1);
        Bases.Validate($"preset '{Name}': bases", 1);
        if (Denominators.Max > 1000 || Percents.Max > 500 || Bases.Max > 1_000_000 || (MixedWhole?.Max ?? 0) > 1000 || PercentStep is < 1 or > 100 || Percents.Max < PercentStep)
        {
            throw new ArgumentException($"preset '{Name}': keep denominators <= 1000, percents <= 500 with percent_step 1-100 (at most percents.max), bases <= 1000000, mixed_whole <= 1000");
        }

        return this;
    }

    /// <summary>The embedded presets (configs/presets/fractions/), and .json files of this family.</summary>
    public static FamilyPresets<FractionSpec> Presets { get; } = new(Family, "fractions/", spec => spec.Validate());

    public static IReadOnlyDictionary<string, FractionSpec> All => Presets.All;
}
