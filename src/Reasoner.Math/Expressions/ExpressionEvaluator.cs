// Exact evaluation over rationals. Division by zero, bad exponents and oversized results become
// EvaluationException naming the subexpression, never an exception from deep inside BigInteger.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Expressions;

public static class ExpressionEvaluator
{
    public static Rational Evaluate(Expr expr) => Evaluate(expr, ExpressionLimits.Default);

    public static Rational Evaluate(Expr expr, ExpressionLimits limits) => expr switch
    {
        NumberLiteral n => n.Value,
        Negation neg => -Evaluate(neg.Operand, limits),
        BinaryExpression b => Apply(b, Evaluate(b.Left, limits), Evaluate(b.Right, limits), limits),
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    /// <summary>One operator on already-evaluated operands, with every limit checked; the tracer uses it too.</summary>
    public static Rational Apply(BinaryExpression node, Rational left, Rational right, ExpressionLimits limits)
    {
        if (node.Operator is BinaryOperator.Divide or BinaryOperator.FloorDivide or BinaryOperator.Modulo && right.IsZero)
        {
            throw new EvaluationException($"division by zero in '{node}'");
        }

        if (node.Operator == BinaryOperator.Power)
        {
            CheckPower(node, left, right, limits);
        }

        var result = OperatorTable.Apply(node.Operator, left, right);
        if (result.ApproximateDigits() > limits.MaxResultDigits)
        {
            throw new EvaluationException($"result of '{node}' has more than {limits.MaxResultDigits} digits (ExpressionLimits.MaxResultDigits)");
        }

        return result;
    }

    public static bool TryEvaluate(Expr expr, ExpressionLimits limits, out Rational value, out string? error)
    {
        try
        {
            value = Evaluate(expr, limits);
            error = null;
            return true;
        }
        catch (EvaluationException e)
        {
            value = default;
            error = e.Message;
            return false;
        }
    }

    private static void CheckPower(BinaryExpression node, Rational left, Rational right, ExpressionLimits limits)
    {
        if (!right.IsInteger)
        {
            throw new EvaluationException($"exponent {right} in '{node}' is not an integer");
        }

        if (System.Numerics.BigInteger.Abs(right.Numerator) > limits.MaxExponent)
        {
            throw new EvaluationException($"exponent {right} in '{node}' exceeds {limits.MaxExponent} (ExpressionLimits.MaxExponent)");
        }

        if (left.IsZero && right.Sign < 0)
        {
            throw new EvaluationException($"division by zero in '{node}': zero to a negative power");
        }

        // A lower bound on the result's size, checked before computing: (bits(base) - 1) * |exponent| * log10(2).
        long bits = System.Math.Max(System.Numerics.BigInteger.Abs(left.Numerator).GetBitLength(), left.Denominator.GetBitLength());
        double digits = (bits - 1) * (double)System.Numerics.BigInteger.Abs(right.Numerator) * 0.30103;
        if (digits > limits.MaxResultDigits)
        {
            throw new EvaluationException($"result of '{node}' has more than {limits.MaxResultDigits} digits (ExpressionLimits.MaxResultDigits)");
        }
    }
}
