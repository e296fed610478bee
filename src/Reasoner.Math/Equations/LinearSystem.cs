// Two linear equations in x and y ("2x + 3y = 12; x - y = 1", the row's `equation`) and their one solution, by
// Cramer's rule with exact Rationals. A line of a system's chain of thought ("x = 1 + y", "5y = 10") is a PlaneEquation;
// it follows from a system with one solution exactly when that solution satisfies it (a linear equation that holds at
// the point is a combination of the two), which is how the verifier judges a system's steps.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Equations;

/// <summary>A x + B y = C.</summary>
public sealed record PlaneEquation(Rational A, Rational B, Rational C)
{
    /// <summary>A line that is wholly "linear = linear" in x and/or y, with at least one of them; a trailing period is allowed.</summary>
    public static bool TryParse(string line, out PlaneEquation? equation)
    {
        equation = null;
        var text = line.Trim().TrimEnd('.').Trim();
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq != text.LastIndexOf('=') || !text.Any(c => c is 'x' or 'y')
            || !LinearExpression.TryParseInXY(text[..eq], out var left) || !LinearExpression.TryParseInXY(text[(eq + 1)..], out var right))
        {
            return false;
        }

        equation = new PlaneEquation(left.Coefficient - right.Coefficient, left.Second - right.Second, right.Constant - left.Constant);
        return true;
    }

    public bool HasBoth => !A.IsZero && !B.IsZero;

    public bool HoldsAt(Rational x, Rational y) => (A * x) + (B * y) == C;
}

public sealed record LinearSystem(PlaneEquation First, PlaneEquation Second)
{
    /// <summary>"first; second", each in both x and y.</summary>
    public static bool TryParse(string text, out LinearSystem? system)
    {
        system = null;
        var parts = text.Split(';');
        if (parts.Length != 2 || !PlaneEquation.TryParse(parts[0], out var first) || !PlaneEquation.TryParse(parts[1], out var second) || !first!.HasBoth || !second!.HasBoth)
        {
            return false;
        }

        system = new LinearSystem(first, second);
        return true;
    }

    /// <summary>The one solution, or null when the equations are dependent or inconsistent.</summary>
    public (Rational X, Rational Y)? Solution
    {
        get
        {
            var determinant = (First.A * Second.B) - (Second.A * First.B);
            return determinant.IsZero
                ? null
                : (((First.C * Second.B) - (Second.C * First.B)) / determinant, ((First.A * Second.C) - (Second.A * First.C)) / determinant);
        }
    }
}
