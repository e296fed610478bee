// The shape of a one-operator problem on two whole numbers, by the digits of its operands with the longer first:
// "+ 4x2" for 4-digit + 2-digit (either order), "* 1x1". Evaluation groups results by it, so a model that only ever
// saw one width shows it at once (a model trained on 4+4 digits that fails 457 + 68). A subtraction whose result is
// negative is its own bucket, "- 1x1 neg" for 3 - 7: its trace takes another route (a - b = -(b - a)). Other
// problems have none.
using System.Globalization;
using Reasoner.Math.Expressions;

namespace Reasoner.Math.Problems;

public static class WidthBucket
{
    public static string? Of(string expression) =>
        ExpressionParser.TryParse(expression, ExpressionLimits.Default, out var expr, out _) && expr is not null ? Of(expr) : null;

    public static string? Of(Expr expr)
    {
        if (expr is not BinaryExpression { Left: NumberLiteral left, Right: NumberLiteral right } binary || !left.Value.IsInteger || !right.Value.IsInteger)
        {
            return null;
        }

        int a = Digits(left), b = Digits(right);
        bool negative = binary.Operator == BinaryOperator.Subtract && left.Value < right.Value;
        return string.Create(CultureInfo.InvariantCulture, $"{binary.Operator.Symbol()} {System.Math.Max(a, b)}x{System.Math.Min(a, b)}{(negative ? " neg" : string.Empty)}");
    }

    /// <summary>Orders buckets by operator as written in <paramref name="operators"/> (others last), then by widths.</summary>
    public static IEnumerable<string> Ordered(IEnumerable<string> buckets, string operators = "+-*/") =>
        buckets.OrderBy(b => operators.Contains(b[0], StringComparison.Ordinal) ? operators.IndexOf(b[0], StringComparison.Ordinal) : operators.Length)
            .ThenBy(b => b, StringComparer.Ordinal);

    internal static int Digits(NumberLiteral literal) => literal.Value.Numerator.IsZero ? 1 : (int)System.Numerics.BigInteger.Abs(literal.Value.Numerator).ToString(CultureInfo.InvariantCulture).Length;
}
