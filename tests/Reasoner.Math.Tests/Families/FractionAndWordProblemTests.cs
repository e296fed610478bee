// The fractions and word-problems families: their traces state every step as a checked claim, a corrupted step is
// named by its line, and their presets refuse what they do not understand.
using System.Text.RegularExpressions;
using Reasoner.Math.Data;
using Reasoner.Math.Expressions;
using Reasoner.Math.Fractions;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Math.WordProblems;

namespace Reasoner.Math.Tests.Families;

public sealed partial class FractionAndWordProblemTests
{
    private static List<DatasetRecord> Rows(string preset, int count = 200) =>
        Reasoner.Math.Families.ProblemFamilies.For(preset).Generate(new GenerateConfig { Preset = preset, Count = count, Seed = 3 }, new DrawStats()).ToList();

    [Theory]
    [InlineData("fr-1")]
    [InlineData("fr-2")]
    [InlineData("fr-3")]
    [InlineData("pct-1")]
    [InlineData("pct-2")]
    [InlineData("wp-1")]
    [InlineData("wp-2")]
    [InlineData("wp-3")]
    [InlineData("wp-4")]
    public void Given_a_generated_row_when_one_stated_result_is_changed_then_the_checker_names_that_line(string preset)
    {
        foreach (var row in Rows(preset, 60))
        {
            var report = StepChecker.Check(row.Completion);
            Assert.True(report.Found >= 1, row.Id);
            Assert.Equal(report.Found, report.Correct);

            // Change the result of the last claim on the first line that has one: "a op b = c" becomes "... = c+1".
            var claim = report.Claims[0];
            var lines = row.Completion.Split('\n');
            var target = lines[claim.Line - 1];
            var match = ClaimResult().Matches(target).First();
            lines[claim.Line - 1] = target[..match.Groups[1].Index] + (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1) + target[(match.Groups[1].Index + match.Groups[1].Length)..];
            var broken = StepChecker.Check(string.Join('\n', lines));
            Assert.True(broken.Wrong >= 1, $"{row.Id}: {lines[claim.Line - 1]}");
            Assert.Equal(claim.Line, broken.FirstWrong!.Line);
        }
    }

    [Fact]
    public void Fraction_traces_state_the_common_denominator_and_the_simplification_as_checked_steps()
    {
        var rows = Rows("fr-1");
        Assert.All(rows, row => Assert.Contains("gcd(", row.Completion, StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Completion.Contains("lcm(", StringComparison.Ordinal));
        Assert.All(rows, row => Assert.Contains(StepChecker.Check(row.Completion).Claims, c => c.Left.StartsWith("gcd(", StringComparison.Ordinal) && c.Correct));
        Assert.All(Rows("fr-3"), row => Assert.Matches(@"^\d+( \d+/\d+)?$|^\d+/\d+$", row.Answer));
    }

    [Fact]
    public void Word_problems_keep_the_expression_their_answer_is_the_value_of_and_state_their_numbers()
    {
        foreach (var row in Rows("wp-3"))
        {
            var value = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(row.Expression));
            Assert.Equal(MathRewards.ParseGold(row.Answer), value);
            Assert.True(value > 0 && value.IsInteger, row.Id);
            Assert.EndsWith("?", row.Prompt, StringComparison.Ordinal);
        }

        Assert.Contains(Rows("wp-4"), row => row.Prompt.Contains("years old.", StringComparison.Ordinal) || row.Prompt.Contains("minutes away", StringComparison.Ordinal) || row.Prompt.Contains("rained", StringComparison.Ordinal));
    }

    [Fact]
    public void Word_problem_levels_take_the_number_of_operations_their_preset_names()
    {
        foreach (var (preset, min, max) in new[] { ("wp-1", 2, 2), ("wp-2", 3, 3), ("wp-3", 4, 5), ("wp-4", 6, 8) })
        {
            Assert.All(Rows(preset, 100), row =>
            {
                int operations = row.Expression.Count(c => c is '+' or '*' or '/') + Regex.Count(row.Expression, " - ");
                Assert.InRange(operations, min, max + 2); // a fraction or percent left over is written (1 - 1/3): two more operators
            });
        }
    }

    [Theory]
    [InlineData("""{ "name": "x", "family": "fractions", "kinds": ["add", "modulo"] }""", "'modulo' is not one")]
    [InlineData("""{ "name": "x", "family": "fractions", "denominators": { "min": 1, "max": 5 } }""", "denominators")]
    [InlineData("""{ "name": "x", "family": "fractions", "colour": "blue" }""", "colour")]
    [InlineData("""{ "name": "x", "family": "word-problems", "operations": { "min": 2, "max": 9 } }""", "operations at most 8")]
    [InlineData("""{ "name": "x", "family": "word-problems", "distractor_rate": 2 }""", "distractor_rate")]
    public void Bad_presets_are_refused_with_what_to_change(string json, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"preset-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => Reasoner.Math.Families.ProblemFamilies.For(path).Resolve(path));
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_embedded_presets_of_both_families_load()
    {
        Assert.Equal(["fr-1", "fr-2", "fr-3", "pct-1", "pct-2"], FractionSpec.All.Keys);
        Assert.Equal(["wp-1", "wp-2", "wp-3", "wp-4"], WordProblemSpec.All.Keys);
    }

    /// <summary>The number after the last '=' of a line that is a claim's result.</summary>
    [GeneratedRegex(@"= (\d+)(?!.*= \d)")]
    private static partial Regex ClaimResult();
}

public sealed class Gsm8kShapeTests
{
    [Theory]
    [InlineData("wp-2", false)]
    [InlineData("fr-3", false)]
    [InlineData("level-3", false)]
    [InlineData("eq-2", true)]
    public void Given_the_gsm8k_shape_when_read_back_then_every_row_is_the_row_written(string preset, bool answerOnly)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gsm8k-{Guid.NewGuid():N}.jsonl");
        var messages = Path.ChangeExtension(path, ".messages.jsonl");
        try
        {
            var config = new GenerateConfig { Preset = preset, Count = 50, Seed = 2, Style = Reasoner.Math.Tracing.TraceStyle.Digit, AnswerOnly = answerOnly };
            DatasetGenerator.Run(config with { Shape = DatasetShape.Gsm8k }, path);
            DatasetGenerator.Run(config, messages);
            var first = File.ReadLines(path).First();
            Assert.Contains("\"question\":", first, StringComparison.Ordinal);
            Assert.Matches("#### [^\"]+\"", first);
            var expected = DatasetReader.Read(messages).ToList();
            var read = DatasetReader.Read(path, exactAnswers: true).ToList();
            Assert.Equal(expected.Select(r => (r.Prompt, r.Completion, r.Answer, r.Expression, r.Equation, r.FamilyName)), read.Select(r => (r.Prompt, r.Completion, r.Answer, r.Expression, r.Equation, r.FamilyName)));
        }
        finally
        {
            foreach (var file in new[] { path, messages })
            {
                File.Delete(file);
                File.Delete(DatasetCard.PathFor(file));
            }
        }
    }

    [Fact]
    public void A_gsm8k_row_is_judged_with_its_calculator_notes_as_claims()
    {
        const string good = """{"question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether?", "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72"}""";
        var row = DatasetReader.Parse(good, "gsm8k.jsonl", 1, exactAnswers: true);
        Assert.Equal("72", row.Answer);
        Assert.Null(ExampleVerifier.Verify(row, new MathRewards(VerifierOptions.Default)));
        var bad = DatasetReader.Parse(good.Replace("<<48+24=72>>", "<<48+24=73>>", StringComparison.Ordinal), "gsm8k.jsonl", 1);
        Assert.Contains("48+24 = 73", ExampleVerifier.Verify(bad, new MathRewards(VerifierOptions.Default)), StringComparison.Ordinal);
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Parse("""{"question": "q", "answer": "no marker"}""", "g.jsonl", 3));
        Assert.Contains("g.jsonl:3: 'answer' has no '#### N' line", error.Message, StringComparison.Ordinal);
    }
}
