// Loads one family's presets: JSON files embedded from configs/presets/ under the family's resource prefix, or a
// path to a .json file. Unknown fields are refused by name; a file whose "family" is another family's is refused.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Math.Data;

namespace Reasoner.Math.Families;

/// <summary>What every preset record has: a name, its family, a description, and a Validate that says what to change.</summary>
public interface IFamilyPreset
{
    string Name { get; }

    string FamilyName { get; }

    string Description { get; }
}

/// <summary>The fields every drawn family's preset starts with; FamilyPresets checks "family" against the family loading it.</summary>
public abstract record FamilyPresetHeader : IFamilyPreset
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("family")]
    public string FamilyName { get; init; } = string.Empty;

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;
}

public sealed class FamilyPresets<TSpec>(string family, string resourcePrefix, Func<TSpec, TSpec> validate)
    where TSpec : class, IFamilyPreset
{
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private readonly Lazy<IReadOnlyDictionary<string, TSpec>> _embedded = new(() => LoadEmbedded(resourcePrefix, family, validate));

    public IReadOnlyDictionary<string, TSpec> All => _embedded.Value;

    /// <summary>An embedded preset's name, or a .json file whose "family" field names this family.</summary>
    public bool Owns(string name) => All.ContainsKey(name) || (IsJsonFile(name) && FamilyOf(name) == family);

    public TSpec Get(string name) => All.TryGetValue(name, out var spec) ? spec
        : IsJsonFile(name) ? Parse(File.ReadAllText(name), name, family, validate)
        : throw new ArgumentException($"unknown {family} preset '{name}'; known: {string.Join(", ", All.Keys)}, or a path to a .json file");

    /// <summary>Comma-separated names, each with an optional weight ("eq-1:2,eq-2"): one round-robin cycle (<see cref="PresetMix"/>).</summary>
    public IReadOnlyList<TSpec> Resolve(string names) => PresetMix.Expand<TSpec>(names, name => [Get(name)]);

    public static bool IsJsonFile(string name) => name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(name);

    /// <summary>The "family" field of a preset file; "arithmetic" when it has none (files written before families existed).</summary>
    public static string FamilyOf(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("family", out var f) && f.ValueKind == JsonValueKind.String
                ? f.GetString()!
                : "arithmetic";
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: {JsonText.Describe(e)}", e);
        }
    }

    public static TSpec Parse(string json, string source, string family, Func<TSpec, TSpec> validate)
    {
        TSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<TSpec>(json, Strict) ?? throw new ArgumentException($"{source}: empty preset");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: {JsonText.Describe(e)}", e);
        }

        if (spec.FamilyName != family)
        {
            throw new ArgumentException($"{source}: family '{spec.FamilyName}' is not '{family}'");
        }

        return validate(spec);
    }

    private static IReadOnlyDictionary<string, TSpec> LoadEmbedded(string prefix, string family, Func<TSpec, TSpec> validate)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var specs = new SortedDictionary<string, TSpec>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var spec = Parse(reader.ReadToEnd(), resource, family, validate);
            specs.Add(spec.Name, spec);
        }

        return specs;
    }
}
