// Prints a tree with the fewest parentheses that parse back to the same tree, using OperatorTable.
using System.Text;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Expressions;

public static class ExpressionPrinter
{
    public static string Print(Expr expr)
    {
        var builder = new StringBuilder();
        Write(builder, expr);
        return builder.ToString();
    }

    /// <summary>Binding strength of a node as printed; lower binds looser.</summary>
    public static int PrecedenceOf(Expr expr) => expr switch
    {
        NumberLiteral => OperatorTable.AtomPrecedence,
        Negation => OperatorTable.NegationPrecedence,
        BinaryExpression b => OperatorTable.Get(b.Operator).Precedence,
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    private static void Write(StringBuilder builder, Expr expr)
    {
        switch (expr)
        {
            case NumberLiteral n:
                builder.Append(RationalFormatter.Format(n.Value));
                break;
            case Negation neg:
                builder.Append('-');
                WriteChild(builder, neg.Operand, PrecedenceOf(neg.Operand) < OperatorTable.NegationPrecedence);
                break;
            case BinaryExpression b:
                var info = OperatorTable.Get(b.Operator);
                int leftPrecedence = PrecedenceOf(b.Left), rightPrecedence = PrecedenceOf(b.Right);
                bool leftParens = leftPrecedence < info.Precedence
                    || (leftPrecedence == info.Precedence && info.Associativity == Associativity.Right);
                // The parser reads a prefix minus right after any operator, so "2^-3" and "3 * -5" need none.
                bool rightParens = b.Right is not Negation
                    && (rightPrecedence < info.Precedence
                        || (rightPrecedence == info.Precedence && info.Associativity == Associativity.Left));
                WriteChild(builder, b.Left, leftParens);
                builder.Append(b.Operator == BinaryOperator.Power ? "^" : $" {info.Symbol} ");
                WriteChild(builder, b.Right, rightParens);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expr));
        }
    }

    private static void WriteChild(StringBuilder builder, Expr child, bool parens)
    {
        if (parens)
        {
            builder.Append('(');
        }

        Write(builder, child);
        if (parens)
        {
            builder.Append(')');
        }
    }
}
