// The arithmetic family: expressions drawn by difficulty, traced node, digit or prose style. Its problem stream and
// rows are the ones `generate` wrote before families existed, byte for byte (a test pins the SHA-256 of datasets).
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Families;

public sealed class ArithmeticFamily : IProblemFamily
{
    public string Name => PresetCatalog.Family;

    public string Summary => "expressions; --style node|digit|prose; answers are numbers";

    public IReadOnlyList<(string Name, string Description)> PresetList =>
        PresetCatalog.All.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Name, p.Description)).ToList();

    public bool Owns(string name) => PresetCatalog.Owns(name);

    public IReadOnlyList<object> Resolve(string names) => PresetCatalog.Resolve(names);

    public IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats)
    {
        var builder = new ExampleBuilder(config);
        return ProblemGenerator.Stream(PresetCatalog.Resolve(config.Preset), config.Count, config.Seed, config.Split, new SplitAssigner(config.TestFraction), stats)
            .Select(builder.Build);
    }
}
