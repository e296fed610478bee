using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tests.Expressions;

public sealed class EvaluatorTests
{
    [Theory]
    [InlineData("(37 + 48) * 12 - 5", "1015")]
    [InlineData("2 - 3 - 4", "-5")]
    [InlineData("2^3^2", "512")]
    [InlineData("-2^2", "-4")]
    [InlineData("(-2)^3", "-8")]
    [InlineData("2^-2", "1/4")]
    [InlineData("0^0", "1")]
    [InlineData("1 / 3 + 1 / 6", "1/2")]
    [InlineData("1 / 3", "1/3")]
    [InlineData("22 / 7", "22/7")]
    [InlineData("7 / 4", "7/4")]
    [InlineData("0.1 + 0.2", "3/10")]
    [InlineData("12.375 * 8", "99")]
    [InlineData("7 // 2", "3")]
    [InlineData("-7 // 2", "-4")]
    [InlineData("7 // -2", "-4")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "2")]
    [InlineData("7 % -3", "-2")]
    [InlineData("7.5 // 2", "3")]
    [InlineData("(3/4)^-2", "16/9")]
    [InlineData("--5", "5")]
    [InlineData("123456789012345678901234567890 * 10", "1234567890123456789012345678900")]
    public void Evaluator_computes_exact_rationals(string input, string expected)
    {
        var value = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(input));
        Assert.Equal(expected, RationalFormatter.FormatFraction(value));
    }

    [Theory]
    [InlineData("5 / (3 - 3)", "division by zero in '5 / (3 - 3)'")]
    [InlineData("5 // 0", "division by zero")]
    [InlineData("5 % 0", "division by zero")]
    [InlineData("0^-1", "zero to a negative power")]
    [InlineData("2^(1/2)", "is not an integer")]
    [InlineData("2^100000", "MaxExponent")]
    [InlineData("99^9000", "MaxResultDigits")]
    public void Evaluator_turns_bad_arithmetic_into_clear_errors(string input, string message)
    {
        var error = Assert.Throws<EvaluationException>(() => ExpressionEvaluator.Evaluate(ExpressionParser.Parse(input), ExpressionLimits.Default with { MaxResultDigits = 10_000 }));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(1, 1, "1")]
    [InlineData(-7, 1, "-7")]
    [InlineData(3, 4, "0.75")]
    [InlineData(-1, 8, "-0.125")]
    [InlineData(1, 3, "1/3")]
    [InlineData(-19, 12, "-19/12")]
    [InlineData(1, 1024, "0.0009765625")]
    [InlineData(2, 6, "1/3")]
    public void Results_render_as_integer_terminating_decimal_or_reduced_fraction(int numerator, int denominator, string expected)
    {
        Assert.Equal(expected, RationalFormatter.Format(Rational.Create(numerator, denominator)));
    }

    [Theory]
    [InlineData(19, 12, "1 7/12")]
    [InlineData(-19, 12, "-1 7/12")]
    [InlineData(5, 12, "5/12")]
    public void Mixed_numbers_are_an_option(int numerator, int denominator, string expected)
    {
        Assert.Equal(expected, RationalFormatter.Format(Rational.Create(numerator, denominator), FractionStyle.Mixed));
    }

    [Theory]
    [InlineData("1 7/12", 19, 12)]
    [InlineData("-1 7/12", -19, 12)]
    [InlineData("12.375", 99, 8)]
    [InlineData("-0.5", -1, 2)]
    [InlineData("6/8", 3, 4)]
    public void Rational_text_parses_exactly(string text, int numerator, int denominator)
    {
        Assert.True(RationalFormatter.TryParse(text, out var value));
        Assert.Equal(Rational.Create(numerator, denominator), value);
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData("1 1/0")]
    [InlineData("1 5/4")]
    [InlineData("1e5")]
    [InlineData("")]
    [InlineData("١٢")]
    public void Rational_text_refuses_what_is_not_an_exact_number(string text)
    {
        Assert.False(RationalFormatter.TryParse(text, out _));
    }
}
