using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Equations;
using Reasoner.Math.Numbers;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Equations;

/// <summary>
/// The equations family: linear expressions read as people write them, equation steps judged by exact equivalence
/// (a valid route of the model's own counts, the first wrong transformation is named), every generated row
/// re-verifying, and solutions agreeing with sympy (an oracle that shares no code: scripts/sympy_equations.py).
/// </summary>
public sealed class EquationTests
{
    [Theory]
    [InlineData("3(x - 2) + 5", "3", "-1")]
    [InlineData("2x + 7", "2", "7")]
    [InlineData("-x", "-1", "0")]
    [InlineData("(1/2)x - 1/3", "1/2", "-1/3")]
    [InlineData("x/4 + 0.5", "1/4", "1/2")]
    [InlineData("-2(3 - x)", "2", "-6")]
    [InlineData("12", "0", "12")]
    public void Linear_expressions_are_read_with_implicit_multiplication(string text, string coefficient, string constant)
    {
        Assert.True(LinearExpression.TryParse(text, out var value, out _));
        Assert.Equal(Parse(coefficient), value.Coefficient);
        Assert.Equal(Parse(constant), value.Constant);
    }

    [Theory]
    [InlineData("x*x")]
    [InlineData("1/x")]
    [InlineData("x + y")]
    [InlineData("carry 1")]
    [InlineData("3 +")]
    public void What_is_not_linear_in_one_variable_does_not_parse(string text) => Assert.False(LinearExpression.TryParse(text, out _, out _));

    [Fact]
    public void A_models_own_valid_route_counts_and_the_first_wrong_transformation_is_named()
    {
        // Another route than the compiler's: divide first, then move terms.
        const string own = "<think>\n4x + 8 = 2x + 20\n2x + 4 = x + 10\nx = 6\ncheck: 4*6 + 8 = 32, 2*6 + 20 = 32\n</think>\n<answer>x = 6</answer>";
        var report = StepChecker.Check(own);
        Assert.Equal(0, report.Wrong);
        Assert.Equal(2 + 2, report.Found); // two equation steps, two substitution claims

        const string wrong = "<think>\n3(x - 2) + 5 = 2x + 7\n3x - 6 + 5 = 2x + 7\n3x - 1 = 2x + 7\n3x - 2x = 7 - 1\nx = 6\n</think>\n<answer>x = 6</answer>";
        report = StepChecker.Check(wrong);
        Assert.Equal(1, report.Wrong); // "x = 6" follows from the wrong line, so it is judged equivalent to it
        Assert.Equal("3x - 2x = 7 - 1", report.FirstWrong!.Text);
        Assert.Equal(5, report.FirstWrong.Line);
    }

    [Theory]
    [InlineData("x = 8", "8")]
    [InlineData("x=8/3", "8/3")]
    [InlineData("8", "8")]
    [InlineData("y = -1/2", "-1/2")]
    public void Equation_answers_normalise_exactly(string text, string value)
    {
        Assert.True(AnswerNormalizer.TryNormalize(text, 100, out var parsed, out var error), error);
        Assert.Equal(Parse(value), parsed);
    }

    [Theory]
    [InlineData("eq-1")]
    [InlineData("eq-2")]
    [InlineData("eq-3")]
    [InlineData("eq-4")]
    [InlineData("eq-5")]
    public void Every_generated_equation_row_reverifies_and_solves_to_its_answer(string preset)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reasoner-eq-{Guid.NewGuid():N}.jsonl");
        try
        {
            var card = DatasetGenerator.Run(new GenerateConfig { Preset = preset, Count = 2_000, Seed = 3 }, path);
            Assert.Equal(2_000, card.Count);
            var rewards = new MathRewards(VerifierOptions.Default);
            foreach (var row in DatasetReader.Read(path, exactAnswers: true))
            {
                Assert.Null(ExampleVerifier.Verify(row, rewards));
                Assert.True(LinearEquation.TryParse(row.Equation!, out var equation));
                Assert.Equal(SolutionKind.One, equation!.Solutions.Kind);
                Assert.StartsWith("x = ", row.Answer, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(DatasetCard.PathFor(path));
        }
    }

    [Fact]
    [Trait("Category", "Oracle")]
    public void Solutions_agree_with_sympy()
    {
        var fixturePath = Oracles.FixturePath("sympy-equations.json");
        var equations = EquationSpec.All.Values.SelectMany(spec => Enumerable.Range(0, 60).Select(i => EquationTracer.Draw(spec, Seeds.Random(Seeds.Mix(11, i))).Text)).ToList();
        if (Oracles.Live)
        {
            var output = Oracles.RunScript("python3", "sympy_equations.py", [], string.Join('\n', equations) + "\n", "install python3-sympy; .ci/run does");
            var live = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(equations.Count, live.Length);
            if (Oracles.Record)
            {
                var record = new JsonObject
                {
                    ["provenance"] = Oracles.Provenance("python3", "sympy_equations.py", "sympy"),
                    ["cases"] = new JsonArray([.. equations.Zip(live, (e, s) => (JsonNode)new JsonArray(e, s))]),
                };
                AtomicFile.WriteAllText(fixturePath, record.ToJsonString(JsonText.Indented) + "\n");
            }

            Assert.All(equations.Zip(live), pair => AssertSolves(pair.First, pair.Second));
        }

        var cases = JsonNode.Parse(File.ReadAllText(fixturePath))!["cases"]!.AsArray();
        Assert.Equal(equations, cases.Select(c => c![0]!.GetValue<string>())); // the same draws: the generator is unchanged
        Assert.All(cases, c => AssertSolves(c![0]!.GetValue<string>(), c[1]!.GetValue<string>()));
    }

    private static void AssertSolves(string equation, string sympy)
    {
        Assert.True(LinearEquation.TryParse(equation, out var parsed), equation);
        var value = parsed!.Solutions.Value;
        Assert.Equal(sympy, $"{value.Numerator}/{value.Denominator}");
    }

    private static Rational Parse(string text) => RationalFormatter.TryParse(text, out var value) ? value : throw new ArgumentException(text);
}
