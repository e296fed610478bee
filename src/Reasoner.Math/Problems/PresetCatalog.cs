// Named difficulty presets. The JSON files under configs/presets/ are embedded in this assembly;
// a path to a JSON file of the same shape works too.
using System.Reflection;
using System.Text.Json;

namespace Reasoner.Math.Problems;

public static class PresetCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, DifficultySpec>> Presets = new(LoadEmbedded);

    public static IReadOnlyDictionary<string, DifficultySpec> All => Presets.Value;

    /// <summary>The ladder from easy to very hard, in order.</summary>
    public static IReadOnlyList<DifficultySpec> Ladder =>
        All.Values.Where(p => p.Name.StartsWith("level-", StringComparison.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>A preset by name, "ladder" for every level, or a path to a JSON file; several may be joined with commas.</summary>
    public static IReadOnlyList<DifficultySpec> Resolve(string names)
    {
        var result = new List<DifficultySpec>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "ladder")
            {
                result.AddRange(Ladder);
            }
            else if (name == "all")
            {
                result.AddRange(All.Values.OrderBy(p => p.Name, StringComparer.Ordinal));
            }
            else if (All.TryGetValue(name, out var preset))
            {
                result.Add(preset);
            }
            else if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(name))
            {
                result.Add(Parse(File.ReadAllText(name), name));
            }
            else
            {
                throw new ArgumentException($"unknown preset '{name}'; known presets: ladder, all, {string.Join(", ", All.Keys.Order(StringComparer.Ordinal))}, or a path to a .json file");
            }
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("no preset given");
        }

        return result;
    }

    public static DifficultySpec Parse(string json, string source)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<DifficultySpec>(json, new JsonSerializerOptions { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow })
                ?? throw new ArgumentException($"{source}: empty preset");
            return spec.Validate();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
    }

    private static IReadOnlyDictionary<string, DifficultySpec> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var presets = new Dictionary<string, DifficultySpec>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("presets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var spec = Parse(reader.ReadToEnd(), resource);
            presets.Add(spec.Name, spec);
        }

        return presets;
    }
}
