using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Verification;

public sealed class RewardTests
{
    private static readonly MathRewards Rewards = new(VerifierOptions.Default);

    private static double? Accuracy(string completion, string answer = "1015") => Rewards.Accuracy(RewardInput.ForAnswer(completion, answer));

    [Fact]
    public void A_correct_well_formed_completion_gets_every_cookie()
    {
        const string completion = "<think>\n37 + 48 = 85\n85 * 12 = 1020\n1020 - 5 = 1015\n</think>\n<answer>1015</answer>";
        var set = RewardSet.Parse("accuracy:1,format:0.2,steps:0.2", VerifierOptions.Default);
        var score = set.Score(RewardInput.ForAnswer(completion, "1015"));
        Assert.Equal(1.0, score.Values["accuracy"]);
        Assert.Equal(1.0, score.Values["format"]);
        Assert.Equal(1.0, score.Values["steps"]);
        Assert.Equal(1.4, score.Total, 12);
    }

    [Theory]
    [InlineData("<think>x</think><answer>1015</answer><answer>1016</answer>")] // several different answers
    [InlineData("<think>x</think><answer>1016</answer>\nthe answer is 1015")] // hedging across formats
    [InlineData("<think><answer>1015</answer></think>")] // the answer only inside the think block
    [InlineData("<think>the answer is 1015</think>\n<answer></answer>")] // empty answer
    [InlineData("<think>x</think><answer>asdf 1015 qwer</answer>")] // garbage around it
    [InlineData("<think>x</think><answer>10150</answer>")] // partial-credit substring
    [InlineData("<think>x</think><answer>101</answer>")] // prefix
    [InlineData("<think>x</think><answer>1015 1016</answer>")] // two numbers
    [InlineData("<think>x</think><answer>\uFF11\uFF10\uFF11\uFF15</answer>")] // fullwidth look-alike digits
    [InlineData("<think>x</think><answer>\u0661\u0660\u0661\u0665</answer>")] // Arabic-Indic digits
    [InlineData("<think>x</think><answer>1O15</answer>")] // letter O for zero
    [InlineData("<think>x</think><answer>1015</answer")] // unclosed tag hiding nothing
    public void Reward_hacks_score_zero_accuracy(string completion)
    {
        Assert.Equal(0.0, Accuracy(completion));
    }

    [Fact]
    public void A_very_long_output_scores_zero_even_with_the_right_answer()
    {
        var padding = string.Concat(Enumerable.Repeat("1 + 1 = 2\n", 20_000));
        Assert.Equal(0.0, Accuracy($"<think>{padding}</think><answer>1015</answer>"));
        Assert.Equal(0.0, Rewards.Format(RewardInput.ForAnswer($"<think>{padding}</think><answer>1015</answer>", "1015")));
    }

    [Fact]
    public void Accuracy_is_not_applicable_without_a_gold_answer()
    {
        var input = new RewardInput("q", "<think></think><answer>1</answer>", new Dictionary<string, string>());
        Assert.Null(Rewards.Accuracy(input));
    }

    [Fact]
    public void Equivalent_forms_of_the_right_answer_all_score_one()
    {
        foreach (var form in new[] { "19/12", "1 7/12", "38/24", "\\frac{19}{12}" })
        {
            Assert.Equal(1.0, Accuracy($"<think>x</think><answer>{form}</answer>", "19/12"));
        }

        Assert.Equal(0.0, Accuracy("<think>x</think><answer>1.58</answer>", "19/12")); // a rounded repeating decimal is not equal
    }

    [Theory]
    [InlineData("<think>x</think><answer>.4</answer>", "2/5")]
    [InlineData("<think>x</think>\\boxed{\\frac13}", "1/3")]
    [InlineData("<think>x</think>\\boxed{\\frac3{3}}", "1")]
    [InlineData("<think>x</think>\\boxed{\\cfrac{1}{3}}", "1/3")]
    [InlineData("<think>x</think>The final answer is $\\left( \\frac{1}{3} \\right)$", "1/3")]
    [InlineData("<think>x</think>\\boxed{14{,}916}", "14916")]
    [InlineData("<think>x</think>The final answer is 11,\\! 111,\\! 100.", "11111100")]
    public void Latex_number_forms_that_instruction_tuned_models_write_score_one(string completion, string gold)
    {
        Assert.Equal(1.0, Accuracy(completion, gold));
    }

    [Theory]
    [InlineData("<think>x</think><answer>(9+1)</answer>", "10")] // an unevaluated expression
    [InlineData("<think>x</think><answer>0.3333</answer>", "1/3")] // a rounded approximation
    [InlineData("<think>x</think><answer>\\sqrt{2}</answer>", "1")] // an irrational (and wrong) value
    [InlineData("<think>x</think><answer>2,5</answer>", "5/2")] // a decimal comma
    [InlineData("<think>x</think>\\boxed{3} and then \\boxed{4}", "3")] // two different final answers
    public void Forms_that_must_stay_refused_score_zero(string completion, string gold)
    {
        Assert.Equal(0.0, Accuracy(completion, gold));
    }

    [Fact]
    public void A_gold_answer_that_is_not_a_number_is_an_error_that_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Accuracy("<think>x</think><answer>1</answer>", "abc"));
        Assert.Contains("gold answer 'abc' is not an exact number", error.Message);
    }

    [Fact]
    public void Length_reward_is_zero_below_the_soft_limit_and_falls_to_minus_one()
    {
        var length = MathRewards.Length(maxChars: 100, bufferChars: 50);
        Assert.Equal(0.0, length(RewardInput.ForAnswer(new string('x', 50), "1")));
        Assert.Equal(-0.5, length(RewardInput.ForAnswer(new string('x', 75), "1")));
        Assert.Equal(-1.0, length(RewardInput.ForAnswer(new string('x', 500), "1")));
    }

    [Fact]
    public void Null_rewards_are_skipped_in_the_weighted_total()
    {
        var set = RewardSet.Parse("accuracy:1,steps:0.5", VerifierOptions.Default);
        var score = set.Score(RewardInput.ForAnswer("<think></think><answer>3</answer>", "3"));
        Assert.Null(score.Values["steps"]);
        Assert.Equal(1.0, score.Total);
    }

    [Theory]
    [InlineData("accuracy,cookies", "unknown reward 'cookies'; known rewards: accuracy, format, steps, length")]
    [InlineData("accuracy:abc", "is not a number")]
    [InlineData("accuracy,accuracy", "listed twice")]
    [InlineData("", "at least one")]
    public void Bad_reward_specs_fail_with_a_message_that_says_what_to_change(string spec, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => RewardSet.Parse(spec, VerifierOptions.Default));
        Assert.Contains(message, error.Message);
    }
}
