using System.Text.RegularExpressions;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests.Problems;

/// <summary>Operand widths: how problems are drawn by width, grouped by width, and checked against what a model saw.</summary>
public sealed class WidthTests
{
    [Theory]
    [InlineData("457 + 68", "+ 3x2")]
    [InlineData("68 - 457", "- 3x2 neg")]
    [InlineData("457 - 68", "- 3x2")]
    [InlineData("3 - 7", "- 1x1 neg")]
    [InlineData("7 - 7", "- 1x1")]
    [InlineData("7 * 8", "* 1x1")]
    [InlineData("0 + 1234", "+ 4x1")]
    [InlineData("12 / 4", "/ 2x1")]
    [InlineData("(37 + 48) * 12", null)]
    [InlineData("-5 + 3", null)]
    [InlineData("1.5 + 2", null)]
    [InlineData("not math", null)]
    public void The_width_bucket_names_the_operator_and_the_operands_digits_longer_first(string expression, string? bucket)
    {
        Assert.Equal(bucket, WidthBucket.Of(expression));
    }

    [Fact]
    public void Width_buckets_are_ordered_by_operator_then_width()
    {
        Assert.Equal(["+ 1x1", "+ 4x2", "- 2x2", "* 1x1"], WidthBucket.Ordered(["* 1x1", "- 2x2", "+ 4x2", "+ 1x1"]).ToList());
    }

    [Fact]
    public void Digit_weights_draw_wide_operands_more_often_and_every_width_still_appears()
    {
        var spec = PresetCatalog.Resolve("add-upto-4d")[0];
        var widths = ProblemGenerator.Stream([spec], 4_000, seed: 5, Split.Train, new SplitAssigner())
            .SelectMany(p => Regex.Matches(p.Text, @"\d+").Select(m => m.Value.Length)).GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([1, 2, 3, 4], widths.Keys.Order());
        Assert.True(widths[4] > widths[3] && widths[3] > widths[2] && widths[2] > widths[1], string.Join(", ", widths.OrderBy(kv => kv.Key)));
        Assert.InRange(widths[4] / 8_000.0, 0.33, 0.47); // weight 4 of 10
    }

    [Fact]
    public void Edge_cases_appear_at_their_rate_and_only_when_asked()
    {
        static int Edges(IEnumerable<Problem> problems) => problems.Count(p => Regex.IsMatch(p.Text, @"^(\d+) [-+*] \1$|(^| )0( |$)|(^| )9+( |$)|(^| )10+( |$)"));
        var with = PresetCatalog.Resolve("sub-upto-4d")[0];
        var without = with with { EdgeCaseRate = 0 };
        int edgy = Edges(ProblemGenerator.Stream([with], 4_000, 3, Split.Train, new SplitAssigner()));
        int plain = Edges(ProblemGenerator.Stream([without], 4_000, 3, Split.Train, new SplitAssigner()));
        Assert.True(edgy > plain + 100, $"{edgy} edge cases with edge_case_rate 0.05, {plain} without");
        Assert.Contains("edge_case_rate", Assert.Throws<ArgumentException>(() => (with with { EdgeCaseRate = 1.5 }).Validate()).Message);
        Assert.Contains("digit_weights", Assert.Throws<ArgumentException>(() => (with with { DigitWeights = [1, 2] }).Validate()).Message);
    }

    [Theory]
    [InlineData("457 + 68", null)]
    [InlineData("47 * 86", null)]
    [InlineData("12345 + 1", "5-digit operand of '+'")]
    [InlineData("123 * 4", "3-digit operand of '*'")]
    [InlineData("12 / 4", "the operator '/' never appears")]
    [InlineData("(37 + 48) * 12", "2 operations")]
    [InlineData("1.5 + 2", "a decimal")]
    public void Training_coverage_says_why_a_problem_lies_outside_the_presets_a_model_saw(string expression, string? reason)
    {
        var coverage = new TrainingCoverage(PresetCatalog.Resolve("add-upto-4d,sub-upto-4d,mul-upto-2x2"));
        var outside = coverage.Outside(expression);
        if (reason is null)
        {
            Assert.Null(outside);
        }
        else
        {
            Assert.Contains(reason, outside, StringComparison.Ordinal);
        }

        Assert.Contains("preset 'level-5' is not in its training data", coverage.Outside(new DatasetRecord("x", null, "1+1", "", "1 + 1", "2", "level-5", 0, null, null)));
    }
}
