// Random expression trees by difficulty. Each problem comes from its own seed, so Generate(spec, seed)
// alone reproduces it; streams de-duplicate by a hash of the canonical text and keep to one split.
using System.Numerics;
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Problems;

public sealed record Problem(string Id, Expr Expression, string Text, Rational Value, string Difficulty, long Seed, Split Split);

public static class ProblemGenerator
{
    private const int MaxAttemptsPerItem = 10_000;

    /// <summary>One problem from one seed, or null when this seed's draw is invalid (division by zero, too large, …).</summary>
    public static (Expr Expression, Rational Value)? TryGenerate(DifficultySpec spec, long seed)
    {
        var random = Seeds.Random(seed);
        var operators = spec.ParsedOperators;
        int operations = spec.Operations.Sample(random);
        var expr = Build(spec, operators, operations, random, top: true);
        if (Depth(expr) > spec.MaxDepth)
        {
            return null;
        }

        if (!spec.Parentheses && ExpressionPrinter.Print(expr).Contains('(', StringComparison.Ordinal))
        {
            return null;
        }

        if (HasNestedPower(expr))
        {
            return null; // (a^3)^3 grows intermediate results, and so traces, far past the final answer's size
        }

        // Every intermediate result, not just the answer, stays within max_result_digits: keeps traces readable.
        var limits = ExpressionLimits.Default with { MaxResultDigits = spec.MaxResultDigits };
        if (!ExpressionEvaluator.TryEvaluate(expr, limits, out var value, out _)
            || value.ApproximateDigits() > spec.MaxResultDigits
            || (spec.ExactDivision && !DividesEvenly(expr)))
        {
            return null;
        }

        return (expr, value);
    }

    /// <summary>
    /// Streams <paramref name="count"/> distinct problems of one split, round-robin over the given difficulties.
    /// Only 8 bytes per problem are kept in memory (the de-duplication hash).
    /// </summary>
    public static IEnumerable<Problem> Stream(IReadOnlyList<DifficultySpec> specs, int count, long seed, Split split, SplitAssigner assigner, DrawStats? stats = null)
    {
        foreach (var spec in specs)
        {
            spec.Validate();
        }

        assigner.Validate();
        var seen = new HashSet<ulong>();
        for (int index = 0; index < count; index++)
        {
            var spec = specs[index % specs.Count];
            Problem? problem = null;
            for (int attempt = 0; attempt < MaxAttemptsPerItem && problem is null; attempt++)
            {
                long itemSeed = Seeds.Mix(seed, ((long)split << 40) + index, attempt);
                stats?.CountAttempt();
                if (TryGenerate(spec, itemSeed) is not { } draw)
                {
                    stats?.CountInvalid();
                    continue;
                }

                var text = ExpressionPrinter.Print(draw.Expression);
                if (assigner.Assign(text) != split)
                {
                    stats?.CountOtherSplit();
                    continue;
                }

                if (!seen.Add(Seeds.Hash($"{spec.Name}\n{text}")))
                {
                    stats?.CountDuplicate();
                    continue;
                }

                var id = $"{spec.Name}-{split.ToString().ToLowerInvariant()}-{index:D7}";
                problem = new Problem(id, draw.Expression, text, draw.Value, spec.Name, itemSeed, split);
            }

            yield return problem ?? throw new InvalidOperationException(
                $"preset '{spec.Name}' ran out of distinct {split.ToString().ToLowerInvariant()} problems after {index} items; ask for fewer or use a harder preset");
        }
    }

    private static Expr Build(DifficultySpec spec, IReadOnlyList<BinaryOperator> operators, int operations, Random random, bool top)
    {
        if (operations == 0)
        {
            return Operand(spec, spec.SampleDigits(random), random);
        }

        var op = operators[random.Next(operators.Count)];
        if (op == BinaryOperator.Power)
        {
            var exponent = new NumberLiteral(spec.Exponent.Sample(random));
            var baseExpr = operations == 1 ? Operand(spec, System.Math.Min(spec.SampleDigits(random), 2), random) : Build(spec, operators, operations - 1, random, false);
            return new BinaryExpression(op, baseExpr, exponent);
        }

        if (top && operations == 1 && spec.EdgeCaseRate > 0 && random.NextDouble() < spec.EdgeCaseRate)
        {
            return EdgeCase(spec, op, random);
        }

        if (top && operations == 1 && (spec.LeftDigits is not null || spec.RightDigits is not null))
        {
            var left = Operand(spec, spec.LeftDigits ?? spec.SampleDigits(random), random);
            var right = Operand(spec, spec.RightDigits ?? spec.SampleDigits(random), random);
            return new BinaryExpression(op, left, right);
        }

        // Without parentheses the tree is a left-leaning chain; with them the split point is random.
        int leftOperations = spec.Parentheses ? random.Next(operations) : operations - 1;
        var l = Build(spec, operators, leftOperations, random, false);
        var r = Build(spec, operators, operations - 1 - leftOperations, random, false);
        return new BinaryExpression(op, l, r);
    }

    /// <summary>
    /// A one-operator problem on a case the schoolbook method must get right and random draws rarely hit: equal
    /// operands (5 - 5, 47 * 47), a zero (0 + 7), all nines (9999 + 1) or a power of ten (1000 - 1), at drawn widths.
    /// </summary>
    private static BinaryExpression EdgeCase(DifficultySpec spec, BinaryOperator op, Random random)
    {
        int leftDigits = spec.LeftDigits ?? spec.SampleDigits(random), rightDigits = spec.RightDigits ?? spec.SampleDigits(random);
        var left = RandomDigits(leftDigits, random);
        var right = RandomDigits(rightDigits, random);
        bool onLeft = random.Next(2) == 0;
        int width = onLeft ? leftDigits : rightDigits;
        var special = random.Next(4) switch
        {
            0 => (BigInteger?)null, // equal operands, at the left operand's width
            1 => BigInteger.Zero,
            2 => BigInteger.Pow(10, width) - 1,
            _ => BigInteger.Pow(10, width - 1),
        };
        if (special is not { } value)
        {
            right = left;
        }
        else if (onLeft)
        {
            left = value;
        }
        else
        {
            right = value;
        }

        return new BinaryExpression(op, new NumberLiteral(new Rational(left)), new NumberLiteral(new Rational(right)));
    }

    private static Expr Operand(DifficultySpec spec, int digits, Random random)
    {
        Expr operand;
        if (spec.FractionRate > 0 && random.NextDouble() < spec.FractionRate)
        {
            var denominator = random.Next(2, 13);
            var numerator = random.Next(1, 2 * denominator);
            operand = new BinaryExpression(BinaryOperator.Divide, new NumberLiteral(numerator), new NumberLiteral(denominator));
        }
        else
        {
            var value = new Rational(RandomDigits(digits, random));
            if (spec.DecimalRate > 0 && random.NextDouble() < spec.DecimalRate)
            {
                int places = spec.DecimalPlaces.Sample(random);
                var fraction = RandomDigits(places, random, leadingZeroAllowed: true);
                if ((fraction % 10).IsZero)
                {
                    fraction += 1; // keep the last digit non-zero so the decimal really has that many places
                }

                value += Rational.Create(fraction, BigInteger.Pow(10, places));
            }

            operand = new NumberLiteral(value);
        }

        return spec.NegativeRate > 0 && random.NextDouble() < spec.NegativeRate ? new Negation(operand) : operand;
    }

    private static BigInteger RandomDigits(int digits, Random random, bool leadingZeroAllowed = false)
    {
        var value = BigInteger.Zero;
        for (int i = 0; i < digits; i++)
        {
            int low = i == 0 && digits > 1 && !leadingZeroAllowed ? 1 : 0;
            value = (value * 10) + random.Next(low, 10);
        }

        return value;
    }

    internal static int Depth(Expr expr) => expr switch
    {
        BinaryExpression b => 1 + System.Math.Max(Depth(b.Left), Depth(b.Right)),
        Negation n => Depth(n.Operand),
        _ => 0,
    };

    private static bool HasNestedPower(Expr expr) => expr switch
    {
        BinaryExpression { Operator: BinaryOperator.Power } b => ContainsPower(b.Left) || HasNestedPower(b.Right),
        BinaryExpression b => HasNestedPower(b.Left) || HasNestedPower(b.Right),
        Negation n => HasNestedPower(n.Operand),
        _ => false,
    };

    private static bool ContainsPower(Expr expr) => expr switch
    {
        BinaryExpression { Operator: BinaryOperator.Power } => true,
        BinaryExpression b => ContainsPower(b.Left) || ContainsPower(b.Right),
        Negation n => ContainsPower(n.Operand),
        _ => false,
    };

    private static bool DividesEvenly(Expr expr) => expr switch
    {
        BinaryExpression { Operator: BinaryOperator.Divide } b =>
            ExpressionEvaluator.Evaluate(b).IsInteger && DividesEvenly(b.Left) && DividesEvenly(b.Right),
        BinaryExpression b => DividesEvenly(b.Left) && DividesEvenly(b.Right),
        Negation n => DividesEvenly(n.Operand),
        _ => true,
    };
}
