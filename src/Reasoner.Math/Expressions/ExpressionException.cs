// Errors a user can act on: parse errors carry line and column, evaluation errors name the subexpression.
namespace Reasoner.Math.Expressions;

public class ExpressionException(string message) : Exception(message);

public sealed class ParseException(int line, int column, string reason)
    : ExpressionException($"{line}:{column}: {reason}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}

public sealed class EvaluationException(string message) : ExpressionException(message);
