// How numbers and claims look inside a trace. Fractions as operands are parenthesised so a claim
// "(3/4) / (1/2) = 1.5" re-parses with the meaning it was written with; negative right operands too.
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

public static class StepFormat
{
    /// <summary>A value on the right of '=': integer, terminating decimal or improper fraction.</summary>
    public static string Value(Rational value) => RationalFormatter.Format(value);

    /// <summary>A value used as an operand.</summary>
    public static string Operand(Rational value, bool parenthesizeNegative)
    {
        var text = RationalFormatter.Format(value);
        bool fraction = !value.IsTerminatingDecimal;
        return fraction || (parenthesizeNegative && value.Sign < 0) ? $"({text})" : text;
    }

    /// <summary>The left side of a claim, e.g. <c>37 + 48</c>, <c>(-2)^3</c>, <c>3 - (-5)</c>.</summary>
    public static string Left(BinaryOperator op, Rational a, Rational b)
    {
        var left = Operand(a, parenthesizeNegative: op == BinaryOperator.Power);
        var right = Operand(b, parenthesizeNegative: true);
        return op == BinaryOperator.Power ? $"{left}^{right}" : $"{left} {op.Symbol()} {right}";
    }

    public static string Claim(string left, Rational value) => $"{left} = {Value(value)}";
}
