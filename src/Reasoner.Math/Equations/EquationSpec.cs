// A preset of the equations family (configs/presets/equations/*.json, "family": "equations"): the form, the ranges of
// coefficients, constants and solutions, and whether solutions may be fractions. Every drawn equation has exactly one
// solution: no-solution and every-x equations are never generated (the verifier still judges them, as solution sets).
using System.Text.Json.Serialization;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Equations;

public sealed record EquationSpec : FamilyPresetHeader
{
    public const string Family = "equations";

    /// <summary>The forms, each a level of the ladder: a x = b, a x + b = c, the variable on both sides, parentheses to distribute.</summary>
    public static readonly string[] Forms = ["ax=b", "ax+b=c", "both-sides", "parentheses", "system"];

    [JsonPropertyName("form")]
    public string Form { get; init; } = "ax+b=c";

    /// <summary>Size of the coefficients of x (either sign).</summary>
    [JsonPropertyName("coefficients")]
    public IntRange Coefficients { get; init; } = new(2, 9);

    [JsonPropertyName("constants")]
    public IntRange Constants { get; init; } = new(-20, 20);

    /// <summary>Range of the solution (its numerator and denominator's quotient, for fractions).</summary>
    [JsonPropertyName("solutions")]
    public IntRange Solutions { get; init; } = new(-12, 12);

    /// <summary>Solutions p/q with q from 2 to 6 (coefficients then carry q so the equation's numbers stay whole).</summary>
    [JsonPropertyName("fractional_solutions")]
    public bool FractionalSolutions { get; init; }

    public EquationSpec Validate()
    {
        if (!Forms.Contains(Form))
        {
            throw new ArgumentException($"preset '{Name}': form '{Form}' is not one of {string.Join(", ", Forms)}");
        }

        if (Coefficients.Min < 1 || Coefficients.Max < Coefficients.Min || Constants.Max < Constants.Min || Solutions.Max < Solutions.Min || Coefficients.Max > 1000 || Constants.Max > 100_000 || Constants.Min < -100_000)
        {
            throw new ArgumentException($"preset '{Name}': coefficients need 1 <= min <= max <= 1000, constants and solutions min <= max within ±100000");
        }

        return this;
    }

    /// <summary>The embedded presets (configs/presets/equations/), and .json files of this family.</summary>
    public static FamilyPresets<EquationSpec> Presets { get; } = new(Family, "equations/", spec => spec.Validate());

    public static IReadOnlyDictionary<string, EquationSpec> All => Presets.All;
}
