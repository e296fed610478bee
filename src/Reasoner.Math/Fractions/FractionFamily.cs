// The fractions family: add, subtract, multiply and divide fractions and mixed numbers, and percentages (percent of,
// percent change, reverse percentage), each traced with its common denominator and simplification as checked steps.
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Fractions;

public sealed class FractionFamily : IProblemFamily
{
    public string Name => FractionSpec.Family;

    public string Summary => "fractions, mixed numbers and percentages; answers in lowest terms (19/12, 1 7/12, 36)";

    public IReadOnlyList<(string Name, string Description)> PresetList => FractionSpec.All.Values.Select(p => (p.Name, p.Description)).ToList();

    public bool Owns(string name) => FractionSpec.Owns(name);

    public IReadOnlyList<object> Resolve(string names) => FractionSpec.Resolve(names);

    public IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats) =>
        DrawnDataset.Stream(config, FractionSpec.Resolve(config.Preset), stats, "fraction", FractionTracer.Draw);
}
