// Digit-level work for the one-shot claims of a narrated trace (equations, fractions, word problems): before a line
// that states "33 * 12 = 396", the column or long-division lines the digit style writes for 33 * 12, so a small
// model computes each result instead of recalling it. Claims between one-digit numbers are table facts and stay as
// they are. Applied when a dataset asks for the digit style; every inserted line is a checked claim like the rest.
using Reasoner.Math.Expressions;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tracing;

public static class DigitWork
{
    public static string Expand(string thinking, TraceOptions options)
    {
        var lines = thinking.Split('\n');
        var result = new List<string>(lines.Length * 4);
        foreach (var line in lines)
        {
            foreach (var claim in StepChecker.Check(line).Claims)
            {
                if (claim.Correct && ExpressionParser.TryParse(claim.Left, ExpressionLimits.Default, out var left, out _)
                    && left is BinaryExpression { Left: var a, Right: var b } operation && IsNumber(a) && IsNumber(b) && !(IsDigit(a) && IsDigit(b))
                    && operation.Operator is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide)
                {
                    var work = StepTracer.Trace(operation, options).Lines;
                    result.AddRange(work.Take(work.Count - 1).Select(l => l.Text)); // the last line is the claim itself
                }
            }

            result.Add(line);
        }

        return string.Join('\n', result);
    }

    private static bool IsNumber(Expr e) => e is NumberLiteral || e is Negation { Operand: NumberLiteral };

    private static bool IsDigit(Expr e) => e switch
    {
        NumberLiteral n => n.Value.IsInteger && n.Value.Abs() < 10,
        Negation { Operand: NumberLiteral n } => n.Value.IsInteger && n.Value.Abs() < 10,
        _ => false,
    };
}
