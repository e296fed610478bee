// A family that draws one problem at a time from its presets (equations, fractions, word problems): its presets,
// its name and summary, the style its rows carry, and its draw function are all it brings; the generate loop is
// DrawnDataset's, shared.
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Families;

public sealed class DrawnFamily<TSpec>(string name, string summary, string style, FamilyPresets<TSpec> presets, Func<TSpec, Random, DrawnProblem?> draw) : IProblemFamily
    where TSpec : class, IFamilyPreset
{
    public string Name => name;

    public string Summary => summary;

    public IReadOnlyList<(string Name, string Description)> PresetList => presets.All.Values.Select(p => (p.Name, p.Description)).ToList();

    public bool Owns(string preset) => presets.Owns(preset);

    public IReadOnlyList<object> Resolve(string names) => presets.Resolve(names);

    public IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats) =>
        DrawnDataset.Stream(config, presets.Resolve(config.Preset), stats, name, style, draw);
}
