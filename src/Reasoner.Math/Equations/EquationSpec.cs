// A preset of the equations family (configs/presets/equations/*.json, "family": "equations"): the form, the ranges of
// coefficients, constants and solutions, and whether solutions may be fractions. Every drawn equation has exactly one
// solution: no-solution and every-x equations are never generated (the verifier still judges them, as solution sets).
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reasoner.Math.Equations;

public sealed record IntRange([property: JsonPropertyName("min")] int Min, [property: JsonPropertyName("max")] int Max);

public sealed record EquationSpec
{
    public const string Family = "equations";

    /// <summary>The forms, each a level of the ladder: a x = b, a x + b = c, the variable on both sides, parentheses to distribute.</summary>
    public static readonly string[] Forms = ["ax=b", "ax+b=c", "both-sides", "parentheses"];

    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("family")]
    public string FamilyName { get; init; } = Family;

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;

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
        if (FamilyName != Family)
        {
            throw new ArgumentException($"preset '{Name}': family '{FamilyName}' is not '{Family}'");
        }

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

    private static readonly Lazy<IReadOnlyDictionary<string, EquationSpec>> Embedded = new(Load);

    public static IReadOnlyDictionary<string, EquationSpec> All => Embedded.Value;

    /// <summary>Comma-separated names (or .json paths) when every one is an equations preset; null when none is.</summary>
    public static IReadOnlyList<EquationSpec>? TryResolve(string names)
    {
        var parts = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var specs = parts.Select(p => All.TryGetValue(p, out var spec) ? spec : File.Exists(p) && IsEquationFile(p) ? Parse(File.ReadAllText(p), p) : null).ToList();
        if (specs.All(s => s is null))
        {
            return null;
        }

        return specs.Any(s => s is null)
            ? throw new ArgumentException($"--preset '{names}' mixes equation presets with others; generate each family on its own and mix the files")
            : specs.Select(s => s!).ToList();
    }

    private static bool IsEquationFile(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("family", out var f) && f.GetString() == Family;

    public static EquationSpec Parse(string json, string source)
    {
        try
        {
            return (JsonSerializer.Deserialize<EquationSpec>(json, new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow })
                ?? throw new ArgumentException($"{source}: empty preset")).Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: {Data.JsonText.Describe(e)}", e);
        }
    }

    private static IReadOnlyDictionary<string, EquationSpec> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var specs = new SortedDictionary<string, EquationSpec>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("equations/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var spec = Parse(reader.ReadToEnd(), resource);
            specs.Add(spec.Name, spec);
        }

        return specs;
    }
}
