// The one precedence/associativity table. The parser, the printer and the evaluator all read it,
// so the three can never disagree about what "2 - 3 - 4" or "-2^2" means.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Expressions;

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power,
}

public enum Associativity
{
    Left,
    Right,
}

public sealed record OperatorInfo(BinaryOperator Operator, string Symbol, int Precedence, Associativity Associativity, string Verb);

public static class OperatorTable
{
    /// <summary>Unary minus binds tighter than * and /, looser than ^: -2^2 = -(2^2), as in Python and maths.</summary>
    public const int NegationPrecedence = 3;

    /// <summary>Numbers and parenthesised groups.</summary>
    public const int AtomPrecedence = 5;

    private static readonly OperatorInfo[] Infos =
    [
        new(BinaryOperator.Add, "+", 1, Associativity.Left, "add"),
        new(BinaryOperator.Subtract, "-", 1, Associativity.Left, "subtract"),
        new(BinaryOperator.Multiply, "*", 2, Associativity.Left, "multiply"),
        new(BinaryOperator.Divide, "/", 2, Associativity.Left, "divide"),
        new(BinaryOperator.FloorDivide, "//", 2, Associativity.Left, "floor-divide"),
        new(BinaryOperator.Modulo, "%", 2, Associativity.Left, "take the remainder"),
        new(BinaryOperator.Power, "^", 4, Associativity.Right, "raise"),
    ];

    public static IReadOnlyList<OperatorInfo> All => Infos;

    public static OperatorInfo Get(BinaryOperator op) => Infos[(int)op];

    public static string Symbol(this BinaryOperator op) => Infos[(int)op].Symbol;

    public static bool TryFromSymbol(string symbol, out BinaryOperator op)
    {
        foreach (var info in Infos)
        {
            if (info.Symbol == symbol)
            {
                op = info.Operator;
                return true;
            }
        }

        op = default;
        return false;
    }

    /// <summary>
    /// Applies an operator exactly. Throws <see cref="DivideByZeroException"/> for a zero divisor and
    /// <see cref="ArgumentException"/> for a non-integer exponent; <see cref="ExpressionEvaluator"/> turns both into clear errors.
    /// </summary>
    public static Rational Apply(BinaryOperator op, Rational left, Rational right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Subtract => left - right,
        BinaryOperator.Multiply => left * right,
        BinaryOperator.Divide => left / right,
        BinaryOperator.FloorDivide => Rational.FloorDivide(left, right),
        BinaryOperator.Modulo => Rational.Modulo(left, right),
        BinaryOperator.Power => Rational.Pow(left, ExponentOf(right)),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };

    private static int ExponentOf(Rational right)
    {
        if (!right.IsInteger || right.Numerator > int.MaxValue || right.Numerator < int.MinValue)
        {
            throw new ArgumentException($"exponent {right} is not a small integer");
        }

        return (int)right.Numerator;
    }
}
