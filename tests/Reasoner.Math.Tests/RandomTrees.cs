using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tests;

/// <summary>Unconstrained random trees (every operator, nested minus, decimals) for round-trip and oracle tests.</summary>
internal static class RandomTrees
{
    public static Expr Build(Random random, int depth)
    {
        int choice = random.Next(10);
        if (depth == 0 || choice < 3)
        {
            return Leaf(random);
        }

        if (choice == 3)
        {
            return new Negation(Build(random, depth - 1));
        }

        var op = (BinaryOperator)random.Next(7);
        if (op == BinaryOperator.Power)
        {
            Expr exponent = new NumberLiteral(random.Next(0, 4));
            if (random.Next(4) == 0)
            {
                exponent = new Negation(exponent);
            }

            return new BinaryExpression(op, Build(random, System.Math.Min(depth - 1, 1)), exponent);
        }

        return new BinaryExpression(op, Build(random, depth - 1), Build(random, depth - 1));
    }

    private static NumberLiteral Leaf(Random random)
    {
        var value = new Rational(random.Next(0, random.Next(2) == 0 ? 10 : 1_000));
        if (random.Next(4) == 0)
        {
            value += Rational.Create(random.Next(1, 1_000), 1_000);
        }

        return new NumberLiteral(value);
    }
}
