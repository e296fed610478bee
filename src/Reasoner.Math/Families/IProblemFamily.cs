// The seam every problem family plugs into: it owns its presets (JSON with a "family" field), its generator, its
// trace and its answer form. ProblemFamilies registers them by name; the dataset loop, the card, the verifier and
// `reasoner presets` serve every family the same way, so adding one touches no sibling.
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Families;

public interface IProblemFamily
{
    /// <summary>The name presets carry in their "family" field: "arithmetic", "equations", ...</summary>
    string Name { get; }

    /// <summary>One line for `reasoner presets`: what the problems are and how their answers look.</summary>
    string Summary { get; }

    /// <summary>The embedded presets, name and description, in order.</summary>
    IReadOnlyList<(string Name, string Description)> PresetList { get; }

    /// <summary>Whether this name (an embedded preset, a keyword, or a .json file whose "family" is this one) is this family's.</summary>
    bool Owns(string name);

    /// <summary>The presets behind comma-separated names, all this family's, ready to print or save in a card.</summary>
    IReadOnlyList<object> Resolve(string names);

    /// <summary>Streams <c>config.Count</c> distinct rows of <c>config.Split</c>, each one verified from its text alone.</summary>
    IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats);
}
