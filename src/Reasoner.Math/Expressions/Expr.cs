// The expression tree. Records give structural equality, which the round-trip property
// parse(print(e)) == e relies on. Parentheses are not nodes: the printer derives them from the table.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Expressions;

public abstract record Expr
{
    public override string ToString() => ExpressionPrinter.Print(this);
}

/// <summary>A non-negative integer or terminating decimal as written; a minus sign is a <see cref="Negation"/>.</summary>
public sealed record NumberLiteral : Expr
{
    public NumberLiteral(Rational value)
    {
        if (value.Sign < 0 || !value.IsTerminatingDecimal)
        {
            throw new ArgumentException($"a literal must be a non-negative integer or terminating decimal, not {value}", nameof(value));
        }

        Value = value;
    }

    public Rational Value { get; }

    public override string ToString() => base.ToString();
}

public sealed record Negation(Expr Operand) : Expr
{
    public override string ToString() => base.ToString();
}

public sealed record BinaryExpression(BinaryOperator Operator, Expr Left, Expr Right) : Expr
{
    public override string ToString() => base.ToString();
}
