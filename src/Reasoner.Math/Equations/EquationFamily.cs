// The equations family: linear equations in one variable, traced as a chain of equivalent equations and a
// substitution check; answers "x = 8" (a bare number or a fraction normalises the same).
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Equations;

public sealed class EquationFamily : IProblemFamily
{
    public string Name => EquationSpec.Family;

    public string Summary => "linear equations in one variable; answers \"x = 8\"";

    public IReadOnlyList<(string Name, string Description)> PresetList => EquationSpec.All.Values.Select(p => (p.Name, p.Description)).ToList();

    public bool Owns(string name) => EquationSpec.Owns(name);

    public IReadOnlyList<object> Resolve(string names) => EquationSpec.Resolve(names);

    public IEnumerable<DatasetRecord> Generate(GenerateConfig config, DrawStats stats) =>
        DrawnDataset.Stream(config, EquationSpec.Resolve(config.Preset), stats, "equation", (spec, random) =>
        {
            var problem = EquationTracer.Draw(spec, random);
            var (thinking, answer) = EquationTracer.Trace(problem);
            return new DrawnProblem(problem.Text, $"Solve for x: {problem.Text}", thinking, answer, Equation: problem.Text);
        });
}
