// Walks an expression tree in evaluation order (left operand, right operand, operator) and writes the
// chain of thought in the chosen style. The value comes from the same walk, so answer and steps agree.
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

public static class StepTracer
{
    /// <param name="random">Drives prose wording and reflection; pass a seeded instance for reproducible traces.</param>
    public static Trace Trace(Expr expr, TraceOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(expr);
        options.Validate();
        random ??= new Random(0);
        var writer = new TraceWriter { PadWidth = options.PadWidth, Terse = options.IsTerse, Compact = options.Compact, MultiplierCursor = options.MultiplierCursor };
        var operators = CountOperators(expr);
        var walk = new Walk(writer, options, random, operators);
        var value = walk.Visit(expr);
        if (options.FinalCheck && expr is BinaryExpression root)
        {
            WriteCheck(writer, root, walk.LastLeft, walk.LastRight, value);
        }

        var lines = options.ReflectionRate > 0 ? AddReflections(writer.Lines, options.ReflectionRate, random, out int reflections) : writer.Lines;
        var answer = RationalFormatter.Format(value, options.AnswerFractions);
        if (lines.Count == 0)
        {
            lines = [new TraceLine($"the expression is already a number: {answer}")];
        }

        return new Trace(expr, value, answer, lines, lines.Count - writer.Lines.Count);
    }

    private static int CountOperators(Expr expr) => expr switch
    {
        BinaryExpression b => 1 + CountOperators(b.Left) + CountOperators(b.Right),
        Negation n => CountOperators(n.Operand),
        _ => 0,
    };

    private static void WriteCheck(TraceWriter writer, BinaryExpression root, Rational a, Rational b, Rational c)
    {
        const string prefix = "check: ";
        switch (root.Operator)
        {
            case BinaryOperator.Add:
                writer.Claim(StepFormat.Left(BinaryOperator.Subtract, c, b), a, prefix: prefix);
                break;
            case BinaryOperator.Subtract:
                writer.Claim(StepFormat.Left(BinaryOperator.Add, c, b), a, prefix: prefix);
                break;
            case BinaryOperator.Multiply when !b.IsZero:
                writer.Claim(StepFormat.Left(BinaryOperator.Divide, c, b), a, prefix: prefix);
                break;
            case BinaryOperator.Divide:
                writer.Claim(StepFormat.Left(BinaryOperator.Multiply, c, b), a, prefix: prefix);
                break;
            default:
                writer.Claim(StepFormat.Left(root.Operator, a, b), c, prefix: prefix);
                break;
        }
    }

    private static List<TraceLine> AddReflections(IReadOnlyList<TraceLine> lines, double rate, Random random, out int count)
    {
        var result = new List<TraceLine>(lines.Count + 4);
        count = 0;
        foreach (var line in lines)
        {
            if (line.HasClaim && random.NextDouble() < rate)
            {
                result.Add(Reflection.Mistake(line.ClaimLeft!, line.ClaimValue, random));
                count++;
            }

            result.Add(line);
        }

        return result;
    }

    private sealed class Walk(TraceWriter writer, TraceOptions options, Random random, int operatorCount)
    {
        private readonly DigitArithmetic _digits = new(writer);
        private int _index;

        public Rational LastLeft { get; private set; }

        public Rational LastRight { get; private set; }

        public Rational Visit(Expr expr)
        {
            switch (expr)
            {
                case NumberLiteral n:
                    return n.Value;
                case Negation neg:
                    return -Visit(neg.Operand); // a sign change, carried into the next step's operand
                case BinaryExpression b:
                    var a = Visit(b.Left);
                    var c = Visit(b.Right);
                    var value = ExpressionEvaluator.Apply(b, a, c, options.Limits);
                    Write(b.Operator, a, c, value);
                    (LastLeft, LastRight) = (a, c);
                    _index++;
                    return value;
                default:
                    throw new ArgumentOutOfRangeException(nameof(expr));
            }
        }

        private void Write(BinaryOperator op, Rational a, Rational b, Rational value)
        {
            var left = StepFormat.Left(op, a, b);
            switch (options.Style)
            {
                case TraceStyle.Node:
                    writer.Claim(left, value);
                    break;
                case TraceStyle.Digit:
                    if (!options.Compact || operatorCount > 1)
                    {
                        writer.Note($"step {_index + 1}: {writer.Squeeze(left)}"); // the header keeps its words, its claim loses its spaces
                    }

                    _digits.Apply(op, a, b, value);
                    break;
                case TraceStyle.Prose:
                    var sentence = ProseTemplates.Sentence(op, StepFormat.Value(a), StepFormat.Value(b), StepFormat.Claim(left, value), _index, operatorCount, random);
                    writer.Add(new TraceLine(sentence, left, value));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(options));
            }
        }
    }
}
