// The registry of problem families, by name. `generate`, `presets`, the demo and the card find a family here from its
// presets' names; a new family is one line in All.
using Reasoner.Math.Equations;
using Reasoner.Math.Fractions;
using Reasoner.Math.WordProblems;

namespace Reasoner.Math.Families;

public static class ProblemFamilies
{
    /// <summary>Every family; arithmetic last, as the owner of names no other family claims (so its errors list presets).</summary>
    public static IReadOnlyList<IProblemFamily> All { get; } = [EquationFamily.Instance, FractionFamily.Instance, WordProblemFamily.Instance, new ArithmeticFamily()];

    public static IProblemFamily? Named(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The one family that owns every comma-separated name; mixing families is refused with the fix.</summary>
    public static IProblemFamily For(string names)
    {
        var owners = PresetMix.Names(names)
            .Select(name => All.FirstOrDefault(f => f.Owns(name)) ?? All[^1])
            .Distinct()
            .ToList();
        return owners.Count switch
        {
            0 => throw new ArgumentException("no preset given"),
            1 => owners[0],
            _ => throw new ArgumentException($"--preset '{names}' mixes the families {string.Join(" and ", owners.Select(o => o.Name))}; generate each family on its own and mix the files (train --mix)"),
        };
    }
}
