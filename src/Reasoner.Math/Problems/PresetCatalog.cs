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

    /// <summary>
    /// A preset by name, "ladder" for every level, or a path to a JSON file; several may be joined with commas, each
    /// with an optional weight ("add-upto-4d:3,sub-upto-2d:1"). The list is one round-robin cycle: a preset of weight
    /// 3 appears three times (see <see cref="PresetMix"/>).
    /// </summary>
    public static IReadOnlyList<DifficultySpec> Resolve(string names) => PresetMix.Expand(names, ResolveOne);

    private static IReadOnlyList<DifficultySpec> ResolveOne(string name)
    {
        if (name == "ladder")
        {
            return Ladder;
        }

        if (name == "all")
        {
            return All.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        }

        if (Presets.Owns(name))
        {
            return [Presets.Get(name)];
        }

        var other = FamilyPresets<DifficultySpec>.IsJsonFile(name) ? $" ({name} is a '{FamilyPresets<DifficultySpec>.FamilyOf(name)}' preset: generate each family on its own)" : string.Empty;
        throw new ArgumentException($"unknown preset '{name}'{other}; known presets: ladder, all, {string.Join(", ", All.Keys.Order(StringComparer.Ordinal))}, or a path to a .json file; `reasoner presets` lists every family's");
    }

    public static DifficultySpec Parse(string json, string source) => FamilyPresets<DifficultySpec>.Parse(json, source, Family, spec => spec.Validate());
}
