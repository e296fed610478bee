// The equation steps of a completion: every line that is an equation. In one variable, each line after the first
// must have the same solution set as the one before it (checked exactly); the first that does not is a wrong step,
// named by its line. When the first two equation lines are a system in x and y with one solution, every later
// equation line (in x, y or both) must hold at that solution, that is, follow from the system. Arithmetic claims inside
// an equation line are not read as "a op b = c" claims (the equation's own check judges them); the lines around it,
// such as "3*2 = 6" or the substitution check, are.
using Reasoner.Math.Equations;

namespace Reasoner.Math.Verification;

/// <param name="One">The line as an equation in one variable, when it is one.</param>
/// <param name="Plane">The line as an equation in x and/or y, when it is one.</param>
public sealed record EquationLine(int Start, int End, int Line, string Text, LinearEquation? One, PlaneEquation? Plane);

public static class EquationSteps
{
    /// <summary>The equation lines of a text: each line's start and end offsets, its number (from 1) and the equation.</summary>
    public static List<EquationLine> Find(string text)
    {
        var found = new List<EquationLine>();
        if (!text.Any(char.IsAsciiLetter))
        {
            return found;
        }

        int start = 0, number = 1;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end;
            var line = text[start..end];
            if (line.Contains('=', StringComparison.Ordinal))
            {
                LinearEquation.TryParse(line, out var one);
                PlaneEquation.TryParse(line, out var plane);
                if (one is not null || plane is not null)
                {
                    found.Add(new EquationLine(start, end, number, line.Trim(), one, plane));
                }
            }

            start = end + 1;
            number++;
        }

        return found;
    }

    /// <summary>Each equation line after the first (after the system's two, for a system) as a claim.</summary>
    public static IEnumerable<StepClaim> Claims(IReadOnlyList<EquationLine> lines)
    {
        if (lines.Count >= 2 && lines[0].Plane is { HasBoth: true } first && lines[1].Plane is { HasBoth: true } second
            && new LinearSystem(first, second).Solution is { } point)
        {
            for (int i = 2; i < lines.Count; i++)
            {
                yield return Claim(lines[i], lines[i].Plane?.HoldsAt(point.X, point.Y) == true);
            }

            yield break;
        }

        LinearEquation? previous = null;
        foreach (var line in lines.Where(l => l.One is not null))
        {
            if (previous is not null)
            {
                yield return Claim(line, line.One!.IsEquivalentTo(previous));
            }

            previous = line.One;
        }
    }

    private static StepClaim Claim(EquationLine line, bool correct)
    {
        int eq = line.Text.IndexOf('=', StringComparison.Ordinal);
        return new StepClaim(line.Text[..eq].Trim(), line.Text[(eq + 1)..].Trim(), correct, line.Line, line.Start, RightIsExpression: true);
    }
}
