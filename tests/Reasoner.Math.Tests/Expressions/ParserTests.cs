using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tests.Expressions;

public sealed class ParserTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "1 + 2 * 3")]
    [InlineData("(1 + 2) * 3", "(1 + 2) * 3")]
    [InlineData("2 - 3 - 4", "2 - 3 - 4")]
    [InlineData("2 - (3 - 4)", "2 - (3 - 4)")]
    [InlineData("2^3^2", "2^3^2")]
    [InlineData("(2^3)^2", "(2^3)^2")]
    [InlineData("2**3", "2^3")]
    [InlineData("-2^2", "-2^2")]
    [InlineData("(-2)^2", "(-2)^2")]
    [InlineData("2^-1", "2^-1")]
    [InlineData("3 * -5", "3 * -5")]
    [InlineData("3--5", "3 - -5")]
    [InlineData("--5", "--5")]
    [InlineData("((((7))))", "7")]
    [InlineData("12.375 + 0.5", "12.375 + 0.5")]
    [InlineData("12.50", "12.5")]
    [InlineData("007", "7")]
    [InlineData("17 // 5 % 3", "17 // 5 % 3")]
    [InlineData("  1\t+\n2 ", "1 + 2")]
    public void Parser_reads_precedence_and_associativity_from_the_table(string input, string printed)
    {
        // Given an expression, When it is parsed and printed, Then the tree shows the table's grouping.
        Assert.Equal(printed, ExpressionParser.Parse(input).ToString());
    }

    [Fact]
    public void Parser_builds_unary_minus_as_its_own_node()
    {
        var expr = ExpressionParser.Parse("-(3 + 4)");
        var negation = Assert.IsType<Negation>(expr);
        Assert.IsType<BinaryExpression>(negation.Operand);
    }

    [Fact]
    public void Parser_reads_decimals_exactly_not_through_double()
    {
        var literal = Assert.IsType<NumberLiteral>(ExpressionParser.Parse("0.1"));
        Assert.Equal(Rational.Create(1, 10), literal.Value);
        Assert.Equal(Rational.Create(3, 10), ExpressionEvaluator.Evaluate(ExpressionParser.Parse("0.1 + 0.2")));
    }

    [Fact]
    public void Parser_reads_integers_of_any_size_up_to_the_digit_limit()
    {
        var big = new string('9', 500);
        Assert.Equal(System.Numerics.BigInteger.Parse(big), ((NumberLiteral)ExpressionParser.Parse(big)).Value.Numerator);
        var error = Assert.Throws<ParseException>(() => ExpressionParser.Parse(new string('9', 1_001)));
        Assert.Contains("MaxNumberDigits", error.Message);
    }

    [Theory]
    [InlineData("(3 + 4))", 1, 8, "unexpected ')'")]
    [InlineData("(3 + 4", 1, 7, "expected ')' to close '(' at 1:1")]
    [InlineData("3 +", 1, 4, "unexpected end of input")]
    [InlineData("", 1, 1, "empty expression")]
    [InlineData("3 4", 1, 3, "expected an operator")]
    [InlineData("3 * * 4", 1, 5, "unexpected '*'")]
    [InlineData("1.", 1, 3, "expected a digit after '.'")]
    [InlineData(".5", 1, 1, "write 0.5")]
    [InlineData("3 x 4", 1, 3, "unexpected character 'x'")]
    [InlineData("3 × 4", 1, 3, "use '*'")]
    [InlineData("1 +\n(2", 2, 3, "expected ')'")]
    [InlineData("1.2.3", 1, 4, "unexpected '.' right after a number")]
    [InlineData("2 +- ", 1, 6, "unexpected end of input")]
    public void Parser_errors_name_the_line_column_and_what_was_expected(string input, int line, int column, string reason)
    {
        var error = Assert.Throws<ParseException>(() => ExpressionParser.Parse(input));
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Message);
        Assert.StartsWith($"{line}:{column}: ", error.Message);
    }

    [Fact]
    public void Parser_refuses_nesting_past_the_depth_limit_instead_of_overflowing_the_stack()
    {
        var deep = new string('(', 5_000) + "1" + new string(')', 5_000);
        var error = Assert.Throws<ParseException>(() => ExpressionParser.Parse(deep));
        Assert.Contains("MaxDepth", error.Message);
        var minuses = new string('-', 5_000) + "1";
        Assert.Throws<ParseException>(() => ExpressionParser.Parse(minuses));
    }
}
