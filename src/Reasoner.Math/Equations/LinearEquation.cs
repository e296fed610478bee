// "left = right" in one variable, and what it means: its solution set (one value, none, or every value), compared
// exactly. Two equations are equivalent when their solution sets are equal; that is how the verifier judges an
// equation step, so any valid route counts and the first wrong transformation is the first step that changes the set.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Equations;

public enum SolutionKind
{
    One,
    None,
    Every,
}

public readonly record struct SolutionSet(SolutionKind Kind, Rational Value)
{
    public override string ToString() => Kind switch
    {
        SolutionKind.One => RationalFormatter.Format(Value),
        SolutionKind.None => "no solution",
        _ => "every value",
    };
}

public sealed record LinearEquation(Linear Left, Linear Right, char Variable)
{
    /// <summary>
    /// A line that is wholly "linear = linear" with a variable on at least one side ("3(x - 2) + 5 = 2x + 7", "x = 8");
    /// a trailing period is allowed. Lines with words, two '=' or no variable are not equations.
    /// </summary>
    public static bool TryParse(string line, out LinearEquation? equation)
    {
        equation = null;
        var text = line.Trim().TrimEnd('.').Trim();
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq != text.LastIndexOf('=') || !text.Any(char.IsAsciiLetter)
            || !LinearExpression.TryParse(text[..eq], out var left, out var leftVariable)
            || !LinearExpression.TryParse(text[(eq + 1)..], out var right, out var rightVariable))
        {
            return false;
        }

        if (leftVariable is { } a && rightVariable is { } b && a != b)
        {
            return false;
        }

        if ((leftVariable ?? rightVariable) is not { } variable)
        {
            return false;
        }

        equation = new LinearEquation(left, right, variable);
        return true;
    }

    public SolutionSet Solutions
    {
        get
        {
            var difference = Left - Right; // a x + b = 0
            return difference.Coefficient.IsZero
                ? new SolutionSet(difference.Constant.IsZero ? SolutionKind.Every : SolutionKind.None, Rational.Zero)
                : new SolutionSet(SolutionKind.One, -difference.Constant / difference.Coefficient);
        }
    }

    public bool IsEquivalentTo(LinearEquation other) => other.Variable == Variable && other.Solutions == Solutions;
}
