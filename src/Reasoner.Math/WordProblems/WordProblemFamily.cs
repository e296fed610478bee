// The word-problems family: GSM8K-like stories built from a chain of operations on quantities with units; the trace
// narrates each operation in a sentence with its checked claim, and the row keeps the expression whose value is the answer.
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.WordProblems;

public sealed class WordProblemFamily : IProblemFamily
{
    public string Name => WordProblemSpec.Family;

    public string Summary => "multi-step stories (GSM8K-like); answers are numbers, \"$96\" and \"96 apples\" accepted";

    public IReadOnlyList<(string Name, string Description)> PresetList => WordProblemSpec.All.Values.Select(p => (p.Name, p.Description)).ToList();

    public bool Owns(string name) => WordProblemSpec.Owns(name);

    public IReadOnlyList<object> Resolve(string names) => WordProblemSpec.Resolve(names);

    public IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats) =>
        DrawnDataset.Stream(config, WordProblemSpec.Resolve(config.Preset), stats, "word", WordProblemWriter.Draw);
}
