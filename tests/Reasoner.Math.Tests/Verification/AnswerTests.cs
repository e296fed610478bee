using Reasoner.Math.Numbers;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Verification;

public sealed class AnswerTests
{
    private static readonly VerifierOptions Options = VerifierOptions.Default;

    [Theory]
    [InlineData("<think>x</think><answer>1015</answer>", "1015")]
    [InlineData("<think>x</think>\n<answer> 1,015 </answer>", "1015")]
    [InlineData("<think>x</think><answer>1015.0</answer>", "1015")]
    [InlineData("<think>x</think><answer>\u22125</answer>", "-5")]
    [InlineData("<think>x</think><answer>- 5</answer>", "-5")]
    [InlineData("<think>x</think><answer>19/12</answer>", "19/12")]
    [InlineData("<think>x</think><answer>1 7/12</answer>", "19/12")]
    [InlineData("<think>x</think><answer>3 / 4</answer>", "3/4")]
    [InlineData("<think>x</think><answer>0.75</answer>", "3/4")]
    [InlineData("<think>x</think><answer>\\frac{3}{4}</answer>", "3/4")]
    [InlineData("<think>x</think><answer>$\\dfrac{-3}{4}$</answer>", "-3/4")]
    [InlineData("<think>x</think><answer>\\boxed{42}</answer>", "42")]
    [InlineData("<think>x</think>The result is \\boxed{42}.", "42")]
    [InlineData("<think>x</think>\n#### 42", "42")]
    [InlineData("<think>x</think>So the answer is 42.", "42")]
    [InlineData("<think>x</think>The final answer is: 1,234,567", "1234567")]
    [InlineData("<think>x</think>\n#### 7\n<answer>7</answer>", "7")]
    [InlineData("Just the answer: <answer>12</answer>", "12")]
    [InlineData("<think>x</think><answer>12 345</answer>", "12345")]
    [InlineData("<think>x</think><answer>.4</answer>", "2/5")]
    [InlineData("<think>x</think><answer>-.5</answer>", "-1/2")]
    [InlineData("<think>x</think>The answer is .25.", "1/4")]
    [InlineData("<think>x</think>\\boxed{\\frac13}", "1/3")]
    [InlineData("<think>x</think>\\boxed{\\frac3{3}}", "1")]
    [InlineData("<think>x</think>\\boxed{\\frac{1}3}", "1/3")]
    [InlineData("<think>x</think>\\boxed{\\cfrac{1}{3}}", "1/3")]
    [InlineData("<think>x</think>The final answer is $\\left( \\frac{1}{3} \\right)$", "1/3")]
    [InlineData("<think>x</think><answer>\\left(\\frac{-2}{3}\\right)</answer>", "-2/3")]
    [InlineData("<think>x</think><answer>(7)</answer>", "7")]
    [InlineData("<think>x</think>\\boxed{14{,}916}", "14916")]
    [InlineData("<think>x</think>The final answer is 14{,}916.", "14916")]
    [InlineData("<think>x</think>\\boxed{11,\\! 111,\\! 100}", "11111100")]
    [InlineData("<think>x</think>The final answer is 11,\\! 111,\\! 100", "11111100")]
    [InlineData("<think>x</think>The final answer is $\\boxed{1{,}234.5}$.", "2469/2")]
    [InlineData("<think>x</think><answer>12\\,345</answer>", "12345")]
    [InlineData("<think>x</think><answer>$96</answer>", "96")] // word problems: money and units
    [InlineData("<think>x</think><answer>$1,234.50</answer>", "2469/2")]
    [InlineData("<think>x</think><answer>96 apples</answer>", "96")]
    [InlineData("<think>x</think><answer>45 square meters</answer>", "45")]
    [InlineData("<think>x</think><answer>15%</answer>", "15")]
    [InlineData("<think>x</think>\n#### $96", "96")]
    public void Extractor_finds_and_normalises_the_final_answer(string completion, string expected)
    {
        var extracted = AnswerExtractor.Extract(completion, Options);
        Assert.True(extracted.Success, extracted.Error);
        Assert.True(RationalFormatter.TryParse(expected, out var value));
        Assert.Equal(value, extracted.Value);
    }

    [Theory]
    [InlineData("<think>x</think><answer>5</answer><answer>6</answer>", "several different answers")]
    [InlineData("<think>x</think><answer>5</answer>\n#### 6", "several different answers")]
    [InlineData("<think><answer>5</answer></think>", "no answer found")]
    [InlineData("<think>the answer is 5 <answer>5</answer>", "never closed")]
    [InlineData("<think>x</think><answer></answer>", "is not a number")]
    [InlineData("<think>x</think><answer>five</answer>", "is not a number")]
    [InlineData("<think>x</think><answer>5 or 6</answer>", "is not a number")]
    [InlineData("<think>x</think><answer>10,15</answer>", "is not a number")]
    [InlineData("<think>x</think><answer>\uFF11\uFF10</answer>", "non-ASCII")]
    [InlineData("<think>x</think><answer>\u0661\u0662</answer>", "non-ASCII")]
    [InlineData("<think>x</think><answer>1e3</answer>", "is not a number")]
    [InlineData("<think>x</think>", "no answer found")]
    [InlineData("<think>x</think><answer>(9+1)</answer>", "is not a number")] // unevaluated: the model must compute it
    [InlineData("<think>x</think>\\boxed{\\left( 9+1 \\right)}", "is not a number")]
    [InlineData("<think>x</think><answer>3,5</answer>", "is not a number")] // a decimal comma is ambiguous
    [InlineData("<think>x</think><answer>1{,}23</answer>", "is not a number")] // not groups of three
    [InlineData("<think>x</think><answer>\\sqrt{2}</answer>", "is not a number")] // irrational
    [InlineData("<think>x</think><answer>\\pi</answer>", "is not a number")]
    [InlineData("<think>x</think><answer>..4</answer>", "is not a number")]
    [InlineData("<think>x</think>\\boxed{\\frac13} and \\boxed{\\frac12}", "several different answers")]
    public void Extractor_refuses_ambiguous_hidden_or_garbage_answers(string completion, string reason)
    {
        var extracted = AnswerExtractor.Extract(completion, Options);
        Assert.False(extracted.Success);
        Assert.Contains(reason, extracted.Error);
    }

    [Fact]
    public void Extractor_honours_the_allowed_formats()
    {
        var tagOnly = Options with { Formats = AnswerFormats.Tag };
        Assert.False(AnswerExtractor.Extract("<think>x</think> \\boxed{5}", tagOnly).Success);
        Assert.True(AnswerExtractor.Extract("<think>x</think> \\boxed{5}", Options).Success);
        Assert.Throws<ArgumentException>(() => (Options with { Formats = AnswerFormats.None }).Validate());
    }

    [Theory]
    [InlineData("<think>\n1 + 1 = 2\n</think>\n<answer>2</answer>", true)]
    [InlineData("  <think>\n</think>\n#### 2\n<answer>2</answer>\n", true)]
    [InlineData("<think>\n</think>\n<answer>2</answer> extra", false)]
    [InlineData("hello <think>\n</think>\n<answer>2</answer>", false)]
    [InlineData("<think>\n</think>\n<answer>2</answer><answer>2</answer>", false)]
    [InlineData("<think>\n</think>\nso: <answer>2</answer>", false)]
    [InlineData("<answer>2</answer><think></think>", false)]
    [InlineData("<think><think></think><answer>2</answer>", false)]
    [InlineData("<think></think><answer>two</answer>", false)]
    public void Format_reward_accepts_only_the_R1_template(string completion, bool wellFormed)
    {
        Assert.Equal(wellFormed, FormatChecker.IsWellFormed(completion, Options, out _));
    }
}
