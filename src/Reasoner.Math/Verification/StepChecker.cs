// Finds every "a op b = c" claim in a completion and re-checks it exactly. The left side is parsed by
// the same ExpressionParser as the problems; a wrong claim followed by a cue ("wait", "actually", …) and a
// correct claim with the same left side counts as retracted, not wrong. A right side that is itself an expression
// ("47-49=-(49-47)", "2*6 = 3*4") is checked too, by value, unless another '=' follows it: "48/2 = 24 + 48 = 72"
// is a running computation written loosely, and only its last link is judged. A line that is an equation in a variable
// ("3x - 1 = 2x + 7") is an equation step instead (EquationSteps): judged by exact equivalence to the one before it;
// "gcd(38, 12) = 2" and "lcm(4, 6) = 12" are divisor steps (DivisorSteps), re-computed.
using System.Text.RegularExpressions;
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Verification;

/// <param name="RightIsExpression">The right side is an expression ("-(49-47)"), not a value: a restatement, checked by value.</param>
public sealed record StepClaim(string Left, string Right, bool Correct, int Line, int Offset, bool RightIsExpression = false)
{
    public string Text => $"{Left} = {Right}";
}

public sealed record StepReport(int Found, int Correct, int Wrong, int Retracted, StepClaim? FirstWrong, IReadOnlyList<StepClaim> Claims)
{
    /// <summary>Correct share of the claims that stand (retracted ones excluded); null when there are none.</summary>
    public double? Validity => Correct + Wrong == 0 ? null : (double)Correct / (Correct + Wrong);
}

public static partial class StepChecker
{
    private const int MaxLeftLength = 256;
    private const string LeftCharacters = "0123456789.+-*/^%() ";

    public static StepReport Check(string completion, VerifierOptions? options = null)
    {
        options ??= VerifierOptions.Default;
        var limits = ExpressionLimits.Default with { MaxResultDigits = options.MaxClaimDigits, MaxExponent = 1_000, MaxDepth = 64 };
        var text = completion.Length > options.MaxCompletionChars ? completion[..options.MaxCompletionChars] : completion;
        text = text.Replace('\u2212', '-').Replace('\u00D7', '*').Replace('\u00F7', '/');
        var claims = new List<(StepClaim Claim, Expr Left, int End)>();
        var equations = EquationSteps.Find(text);
        int line = 1, lineCountedTo = 0;
        for (int eq = text.IndexOf('='); eq >= 0; eq = text.IndexOf('=', eq + 1))
        {
            Expr? rightExpression = null;
            if (equations.Exists(e => eq >= e.Start && eq < e.End)
                || IsComparison(text, eq)
                || (!TryReadRight(text, eq, out var right, out var rightValue, out int end) && !TryReadRightExpression(text, eq, limits, out right, out rightExpression, out end))
                || !TryReadLeft(text, eq, limits, out var leftText, out var left, out int start))
            {
                continue;
            }

            for (; lineCountedTo < start; lineCountedTo++)
            {
                line += text[lineCountedTo] == '\n' ? 1 : 0;
            }

            bool correct = ExpressionEvaluator.TryEvaluate(left, limits, out var actual, out _)
                && (rightExpression is null ? actual == rightValue : ExpressionEvaluator.TryEvaluate(rightExpression, limits, out var stated, out _) && actual == stated);
            claims.Add((new StepClaim(leftText, right, correct, line, start, rightExpression is not null), left, end));
        }

        int found = claims.Count, good = 0, wrong = 0, retracted = 0;
        StepClaim? firstWrong = null;
        for (int i = 0; i < claims.Count; i++)
        {
            var (claim, left, end) = claims[i];
            if (claim.Correct)
            {
                good++;
            }
            else if (i + 1 < claims.Count && IsRetraction(text, end, claims[i + 1].Claim, claims[i + 1].Left, left))
            {
                retracted++;
            }
            else
            {
                wrong++;
                firstWrong ??= claim;
            }
        }

        var all = claims.Select(c => c.Claim).ToList();
        foreach (var step in EquationSteps.Claims(equations).Concat(DivisorSteps.Claims(text)))
        {
            all.Add(step);
            found++;
            good += step.Correct ? 1 : 0;
            wrong += step.Correct ? 0 : 1;
            firstWrong = step.Correct || (firstWrong is not null && firstWrong.Offset < step.Offset) ? firstWrong : step;
        }

        return new StepReport(found, good, wrong, retracted, firstWrong, all.OrderBy(c => c.Offset).ToList());
    }

    private static bool IsRetraction(string text, int end, StepClaim next, Expr nextLeft, Expr left) =>
        next.Correct && nextLeft == left && RetractionCue().IsMatch(text.AsSpan(end, next.Offset - end));

    /// <summary>The number right after '=': integer, decimal or fraction, and not the start of a longer expression.</summary>
    private static bool TryReadRight(string text, int eq, out string right, out Rational value, out int end)
    {
        right = string.Empty;
        value = default;
        end = eq + 1;
        var match = RightNumber().Match(text, eq + 1);
        if (!match.Success || match.Length > 2_000)
        {
            return false;
        }

        end = match.Index + match.Length;
        int next = end;
        while (next < text.Length && text[next] is ' ' or '\t')
        {
            next++;
        }

        if (next < text.Length && text[next] is '+' or '-' or '*' or '/' or '^' or '%' or '(' or '.' && !IsSentenceEnd(text, next))
        {
            return false; // "x = 3 * 4" states an expression, not a value
        }

        right = match.Groups[1].Value;
        return RationalFormatter.TryParse(right, out value);
    }

    /// <summary>'==', '<=', '>=' or '!=': a comparison, not a claim.</summary>
    private static bool IsComparison(string text, int eq) =>
        (eq > 0 && text[eq - 1] is '=' or '<' or '>' or '!') || (eq + 1 < text.Length && text[eq + 1] == '=');

    /// <summary>
    /// An arithmetic expression with an operator right after '=' (up to the first character that cannot be part of
    /// one), when no further '=' continues it.
    /// </summary>
    private static bool TryReadRightExpression(string text, int eq, ExpressionLimits limits, out string right, out Expr? expression, out int end)
    {
        right = string.Empty;
        expression = null;
        end = eq + 1;
        int stop = eq + 1;
        while (stop < text.Length && LeftCharacters.Contains(text[stop], StringComparison.Ordinal))
        {
            if (++stop - eq > MaxLeftLength)
            {
                return false;
            }
        }

        if (stop < text.Length && text[stop] == '=')
        {
            return false; // "a = b + c = d": a running computation, judged at its last link
        }

        int from = eq + 1;
        while (from < stop && text[from] is ' ' or '\t')
        {
            from++;
        }

        var candidate = text[from..stop].TrimEnd(' ', '\t', '.');
        if (candidate.Length == 0 || !ExpressionParser.TryParse(candidate, limits, out var parsed, out _) || !HasOperator(parsed!))
        {
            return false;
        }

        (right, expression, end) = (candidate, parsed, from + candidate.Length);
        return true;
    }

    private static bool IsSentenceEnd(string text, int index) =>
        text[index] == '.' && (index + 1 >= text.Length || !char.IsAsciiDigit(text[index + 1]));

    /// <summary>The longest arithmetic run before '=' that parses and contains an operator.</summary>
    private static bool TryReadLeft(string text, int eq, ExpressionLimits limits, out string leftText, out Expr left, out int start)
    {
        leftText = string.Empty;
        left = null!;
        start = eq;
        while (start > 0 && eq - start < MaxLeftLength && LeftCharacters.Contains(text[start - 1], StringComparison.Ordinal))
        {
            start--;
        }

        if (start > 0 && (char.IsLetter(text[start - 1]) || char.IsAsciiDigit(text[start - 1])) && start < eq && char.IsAsciiDigit(text[start]))
        {
            // "x2 + 3" or a run cut at the length cap: drop the partial number.
            while (start < eq && char.IsAsciiDigit(text[start]))
            {
                start++;
            }
        }

        for (; start < eq; start++)
        {
            if (text[start] == ' ' || (start > 0 && char.IsAsciiDigit(text[start - 1]) && char.IsAsciiDigit(text[start])))
            {
                continue; // only try runs that begin at a token boundary
            }

            var candidate = text[start..eq].Trim();
            if (candidate.Length == 0)
            {
                return false;
            }

            if (ExpressionParser.TryParse(candidate, limits, out var expr, out _) && HasOperator(expr!))
            {
                leftText = candidate;
                left = expr!;
                return true;
            }
        }

        return false;
    }

    private static bool HasOperator(Expr expr) => expr switch
    {
        BinaryExpression => true,
        Negation n => HasOperator(n.Operand),
        _ => false,
    };

    [GeneratedRegex(@"\G[ \t]*(-?[ \t]?\d+(?:\.\d+)?(?:/\d+)?)")]
    private static partial Regex RightNumber();

    [GeneratedRegex(@"\b(wait|actually|oops|mistake|wrong|correction|let me recheck)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RetractionCue();
}
