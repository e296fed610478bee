// Questions as a bare expression or in natural language from several templates. Single operations
// with two plain numbers also get verbal forms ("the sum of 37 and 48").
using Reasoner.Math.Expressions;

namespace Reasoner.Math.Problems;

public enum QuestionStyle
{
    Bare,
    Natural,
    Mixed,
}

public static class QuestionTemplates
{
    private static readonly string[] General =
    [
        "What is {e}?", "Compute {e}.", "Evaluate {e}.", "Calculate {e}.", "Find the value of {e}.", "Work out {e}.",
    ];

    private static readonly Dictionary<BinaryOperator, string[]> Verbal = new()
    {
        [BinaryOperator.Add] = ["What is the sum of {a} and {b}?", "What is {a} plus {b}?", "Add {a} and {b}."],
        [BinaryOperator.Subtract] = ["What is {a} minus {b}?", "Subtract {b} from {a}.", "What is the difference {a} - {b}?"],
        [BinaryOperator.Multiply] = ["What is the product of {a} and {b}?", "Multiply {a} by {b}.", "What is {a} times {b}?"],
        [BinaryOperator.Divide] = ["What is {a} divided by {b}?", "Divide {a} by {b}.", "What is the quotient of {a} and {b}?"],
        [BinaryOperator.FloorDivide] = ["What is {a} // {b} (division rounded down)?"],
        [BinaryOperator.Modulo] = ["What is the remainder of {a} divided by {b} ({a} % {b})?"],
        [BinaryOperator.Power] = ["What is {a} to the power {b}?", "What is {a} raised to the {b}?"],
    };

    public static string Render(Expr expr, QuestionStyle style, Random random)
    {
        var text = ExpressionPrinter.Print(expr);
        if (style == QuestionStyle.Bare || (style == QuestionStyle.Mixed && random.Next(2) == 0))
        {
            return text;
        }

        if (expr is BinaryExpression { Left: NumberLiteral a, Right: NumberLiteral b } single && random.Next(2) == 0)
        {
            var options = Verbal[single.Operator];
            return options[random.Next(options.Length)]
                .Replace("{a}", ExpressionPrinter.Print(a), StringComparison.Ordinal)
                .Replace("{b}", ExpressionPrinter.Print(b), StringComparison.Ordinal);
        }

        return General[random.Next(General.Length)].Replace("{e}", text, StringComparison.Ordinal);
    }
}
