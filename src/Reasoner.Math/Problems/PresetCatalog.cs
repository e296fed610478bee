// The arithmetic family's named difficulty presets. The JSON files under configs/presets/ are embedded in this
// assembly (FamilyPresets loads them); a path to a JSON file of the same shape works too.
using Reasoner.Math.Families;

namespace Reasoner.Math.Problems;

public static class PresetCatalog
{
    public const string Family = "arithmetic";

    private static readonly FamilyPresets<DifficultySpec> Presets = new(Family, "presets/", spec => spec.Validate());

    public static IReadOnlyDictionary<string, DifficultySpec> All => Presets.All;

    /// <summary>The ladder from easy to very hard, in order.</summary>
    public static IReadOnlyList<DifficultySpec> Ladder =>
        All.Values.Where(p => p.Name.StartsWith("level-", StringComparison.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>Whether a name is this family's: a preset, "ladder", "all", or a .json file without another family.</summary>
    public static bool Owns(string name) => name is "ladder" or "all" || Presets.Owns(name);

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
            else if (Presets.Owns(name))
            {
                result.Add(Presets.Get(name));
            }
            else
            {
                var other = FamilyPresets<DifficultySpec>.IsJsonFile(name) ? $" ({name} is a '{FamilyPresets<DifficultySpec>.FamilyOf(name)}' preset: generate each family on its own)" : string.Empty;
                throw new ArgumentException($"unknown preset '{name}'{other}; known presets: ladder, all, {string.Join(", ", All.Keys.Order(StringComparer.Ordinal))}, or a path to a .json file; `reasoner presets` lists every family's");
            }
        }

        return result.Count > 0 ? result : throw new ArgumentException("no preset given");
    }

    public static DifficultySpec Parse(string json, string source) => FamilyPresets<DifficultySpec>.Parse(json, source, Family, spec => spec.Validate());
}
