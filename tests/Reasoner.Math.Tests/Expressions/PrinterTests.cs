using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests.Expressions;

public sealed class PrinterTests
{
    private static NumberLiteral N(int value) => new(value);

    private static BinaryExpression B(BinaryOperator op, Expr l, Expr r) => new(op, l, r);

    public static TheoryData<Expr, string> Trees => new()
    {
        { B(BinaryOperator.Add, N(1), B(BinaryOperator.Add, N(2), N(3))), "1 + (2 + 3)" },
        { B(BinaryOperator.Add, B(BinaryOperator.Add, N(1), N(2)), N(3)), "1 + 2 + 3" },
        { B(BinaryOperator.Multiply, B(BinaryOperator.Add, N(1), N(2)), N(3)), "(1 + 2) * 3" },
        { B(BinaryOperator.Subtract, N(1), B(BinaryOperator.Multiply, N(2), N(3))), "1 - 2 * 3" },
        { B(BinaryOperator.Divide, N(8), B(BinaryOperator.Divide, N(4), N(2))), "8 / (4 / 2)" },
        { B(BinaryOperator.Power, B(BinaryOperator.Power, N(2), N(3)), N(2)), "(2^3)^2" },
        { B(BinaryOperator.Power, N(2), B(BinaryOperator.Power, N(3), N(2))), "2^3^2" },
        { B(BinaryOperator.Power, new Negation(N(2)), N(2)), "(-2)^2" },
        { new Negation(B(BinaryOperator.Power, N(2), N(2))), "-2^2" },
        { B(BinaryOperator.Power, N(2), new Negation(N(1))), "2^-1" },
        { new Negation(B(BinaryOperator.Add, N(1), N(2))), "-(1 + 2)" },
        { new Negation(new Negation(N(5))), "--5" },
        { B(BinaryOperator.Subtract, N(3), new Negation(N(5))), "3 - -5" },
        { B(BinaryOperator.Multiply, new Negation(N(2)), N(3)), "-2 * 3" },
        { B(BinaryOperator.Modulo, B(BinaryOperator.FloorDivide, N(17), N(5)), N(3)), "17 // 5 % 3" },
        { B(BinaryOperator.FloorDivide, N(17), B(BinaryOperator.Modulo, N(5), N(3))), "17 // (5 % 3)" },
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void Printer_writes_the_fewest_parentheses_and_parses_back_to_the_same_tree(Expr tree, string expected)
    {
        var printed = ExpressionPrinter.Print(tree);
        Assert.Equal(expected, printed);
        Assert.Equal(tree, ExpressionParser.Parse(printed));
    }

    [Fact]
    public void Printer_round_trips_every_generated_tree()
    {
        // Given thousands of random trees from every preset, When printed and re-parsed, Then the tree is identical.
        int checkedTrees = 0;
        foreach (var preset in PresetCatalog.All.Values)
        {
            for (long seed = 0; seed < 300; seed++)
            {
                if (ProblemGenerator.TryGenerate(preset, seed) is { } draw)
                {
                    Assert.Equal(draw.Expression, ExpressionParser.Parse(ExpressionPrinter.Print(draw.Expression)));
                    checkedTrees++;
                }
            }
        }

        Assert.True(checkedTrees > 5_000, $"only {checkedTrees} trees checked");
    }

    [Fact]
    public void Printer_round_trips_random_unconstrained_trees()
    {
        var random = new Random(11);
        for (int i = 0; i < 5_000; i++)
        {
            var tree = RandomTrees.Build(random, 5);
            Assert.Equal(tree, ExpressionParser.Parse(ExpressionPrinter.Print(tree)));
        }
    }
}
