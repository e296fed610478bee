using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Verification;

public sealed class StepCheckerTests
{
    [Theory]
    [InlineData("37 + 48 = 85", 1, 1)]
    [InlineData("37 + 48 = 84", 1, 0)]
    [InlineData("so 17 - 8 - 0 = 9, digit 9 borrow 1", 1, 1)]
    [InlineData("45 // 6 = 7, 7 * 6 = 42, 45 - 42 = 3", 3, 3)]
    [InlineData("(3/4) / (1/2) = 1.5", 1, 1)]
    [InlineData("(3/4) + (5/6) = 19/12", 1, 1)]
    [InlineData("0.1 + 0.2 = 0.3", 1, 1)]
    [InlineData("3 - (-5) = 8", 1, 1)]
    [InlineData("-7 * 2 = -14", 1, 1)]
    [InlineData("2^10 = 1024", 1, 1)]
    [InlineData("3 \u00D7 4 = 12 and 8 \u00F7 2 = 4 and 1 \u2212 3 = \u22122", 3, 3)]
    [InlineData("The total is 5 + 5 = 10.", 1, 1)]
    [InlineData("x = 5", 0, 0)]
    [InlineData("a = 3 * 4", 0, 0)]
    [InlineData("12 * 2 = 3 * 8", 1, 1)] // an expression on the right is checked by value
    [InlineData("12 * 2 = 3 * 9", 1, 0)]
    [InlineData("47-49=-(49-47)\n0049-0047", 1, 1)]
    [InlineData("47-49=-(74-47)\n0049-0047", 1, 0)] // a teacher's sample the verifier once let through
    [InlineData("The total is 3 * 4 = 10 + 2.", 1, 1)]
    [InlineData("48/2 = 24 + 48 = 72", 1, 1)] // a running computation: only its last link is judged
    [InlineData("5 - 3 = 2 (since 5 > 3)", 0, 0)]
    [InlineData("5 - 3 = 2 - x", 0, 0)]
    [InlineData("if a == 5 then", 0, 0)]
    [InlineData("gcd(12, 8) = 4", 1, 1)] // a divisor step, re-computed
    [InlineData("gcd(12, 8) = 2", 1, 0)]
    [InlineData("lcm(4, 6) = 12, so 3/4 = 9/12", 2, 2)]
    [InlineData("lcm(4, 6) = 24", 1, 0)]
    [InlineData("x2 + 3 = 5", 0, 0)] // x2 is a name, not a number
    [InlineData("9^9^9 = 1", 1, 0)]
    [InlineData("1 / 0 = 0", 1, 0)]
    public void Checker_finds_claims_and_rechecks_them_exactly(string text, int found, int correct)
    {
        var report = StepChecker.Check(text);
        Assert.Equal(found, report.Found);
        Assert.Equal(correct, report.Correct);
    }

    [Fact]
    public void Checker_reports_the_first_wrong_step_with_its_line()
    {
        var report = StepChecker.Check("1 + 1 = 2\n2 * 3 = 7\n7 - 1 = 5");
        Assert.Equal(3, report.Found);
        Assert.Equal(1, report.Correct);
        Assert.Equal(2, report.Wrong);
        Assert.Equal("2 * 3 = 7", report.FirstWrong!.Text);
        Assert.Equal(2, report.FirstWrong.Line);
        Assert.Equal(1.0 / 3, report.Validity);
    }

    [Theory]
    [InlineData("7 * 8 = 54, wait, 7 * 8 = 56", 1, 0)]
    [InlineData("7 * 8 = 54. Actually 7 * 8 = 56, not 54", 1, 0)]
    [InlineData("7 * 8 = 54, 7 * 8 = 56", 0, 1)]
    [InlineData("7 * 8 = 54, wait, 7 * 9 = 63", 0, 1)]
    [InlineData("7 * 8 = 54, wait, 7 * 8 = 55", 0, 2)]
    public void A_retraction_needs_a_cue_and_a_correct_claim_with_the_same_left_side(string text, int retracted, int wrong)
    {
        var report = StepChecker.Check(text);
        Assert.Equal(retracted, report.Retracted);
        Assert.Equal(wrong, report.Wrong);
    }

    [Fact]
    public void Checker_returns_no_validity_when_there_are_no_claims()
    {
        Assert.Null(StepChecker.Check("<think>I just know it</think><answer>5</answer>").Validity);
    }
}
