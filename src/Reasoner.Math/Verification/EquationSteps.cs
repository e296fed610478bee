// The equation steps of a completion: every line that is an equation in one variable. Each one after the first must
// have the same solution set as the one before it (checked exactly); the first that does not is a wrong step, named
// by its line. Arithmetic claims inside an equation line are not read as "a op b = c" claims (the equation's own
// equivalence judges them); the lines around it, such as "3*2 = 6" or the substitution check, are.
using Reasoner.Math.Equations;

namespace Reasoner.Math.Verification;

public static class EquationSteps
{
    /// <summary>The equation lines of a text: each line's start and end offsets, its number (from 1) and the equation.</summary>
    public static List<(int Start, int End, int Line, string Text, LinearEquation Equation)> Find(string text)
    {
        var found = new List<(int, int, int, string, LinearEquation)>();
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
            if (line.Contains('=', StringComparison.Ordinal) && LinearEquation.TryParse(line, out var equation))
            {
                found.Add((start, end, number, line.Trim(), equation!));
            }

            start = end + 1;
            number++;
        }

        return found;
    }

    /// <summary>Each equation line after the first as a claim: correct when it is equivalent to the line before it.</summary>
    public static IEnumerable<StepClaim> Claims(IReadOnlyList<(int Start, int End, int Line, string Text, LinearEquation Equation)> lines)
    {
        for (int i = 1; i < lines.Count; i++)
        {
            var (start, _, line, text, equation) = lines[i];
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            yield return new StepClaim(text[..eq].Trim(), text[(eq + 1)..].Trim(), equation.IsEquivalentTo(lines[i - 1].Equation), line, start, RightIsExpression: true);
        }
    }
}
