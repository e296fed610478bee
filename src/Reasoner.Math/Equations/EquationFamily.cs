// The equations family: linear equations in one variable, traced as a chain of equivalent equations and a
// substitution check, answers "x = 8" (a bare number or a fraction normalises the same); and at the top level two
// equations in x and y, solved by substitution, answers "x = 3, y = 2".
using Reasoner.Math.Families;

namespace Reasoner.Math.Equations;

public static class EquationFamily
{
    public static IProblemFamily Instance { get; } = new DrawnFamily<EquationSpec>(
        EquationSpec.Family, "linear equations in one variable; answers \"x = 8\"", "equation", EquationSpec.Presets, Draw);

    private static DrawnProblem Draw(EquationSpec spec, Random random)
    {
        if (spec.Form == "system")
        {
            var system = SystemTracer.Draw(spec, random);
            var (steps, solution) = SystemTracer.Trace(system);
            return new DrawnProblem(system.Text, $"Solve the system of equations: {system.First} and {system.Second}", steps, solution, Equation: system.Text);
        }

        var problem = EquationTracer.Draw(spec, random);
        var (thinking, answer) = EquationTracer.Trace(problem);
        return new DrawnProblem(problem.Text, $"Solve for x: {problem.Text}", thinking, answer, Equation: problem.Text);
    }
}
