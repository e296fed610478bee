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
        var equations = EquationSpec.All.Values.Where(spec => spec.Form != "system").SelectMany(spec => Enumerable.Range(0, 60).Select(i => EquationTracer.Draw(spec, Seeds.Random(Seeds.Mix(11, i))).Text)).ToList();
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

/// <summary>Two equations in x and y: solved exactly, answers normalised, and every step judged by whether it holds at the solution.</summary>
public sealed class SystemTests
{
    private static readonly MathRewards Rewards = new(VerifierOptions.Default);

    [Fact]
    public void A_system_is_read_and_solved_exactly()
    {
        Assert.True(LinearSystem.TryParse("2x + 3y = 12; x - y = 1", out var system));
        Assert.Equal((Rational.Create(3, 1), Rational.Create(2, 1)), system!.Solution);
        Assert.True(LinearSystem.TryParse("(1/2)x + y = 1; 3x - 2y = 1", out var fractional));
        Assert.Equal((Rational.Create(3, 4), Rational.Create(5, 8)), fractional!.Solution);
        Assert.True(LinearSystem.TryParse("x + y = 1; 2x + 2y = 2", out var dependent));
        Assert.Null(dependent!.Solution);
        Assert.False(LinearSystem.TryParse("x + y = 1", out _));
        Assert.False(LinearSystem.TryParse("x + z = 1; x - z = 2", out _));
    }

    [Theory]
    [InlineData("<answer>x = 3, y = 2</answer>", 1.0)]
    [InlineData("<answer>y=2; x=3</answer>", 1.0)]
    [InlineData("<answer>x = 3 and y = 2</answer>", 1.0)]
    [InlineData("<answer>x = 6/2, y = 2.0</answer>", 1.0)]
    [InlineData("<answer>x = 3, y = 3</answer>", 0.0)]
    [InlineData("<answer>x = 3</answer>", 0.0)]
    [InlineData("<answer>3, 2</answer>", 0.0)] // which is x? not an answer
    [InlineData("<answer>x = 3, y = 2</answer><answer>x = 2, y = 3</answer>", 0.0)]
    public void A_systems_answer_normalises_exactly(string answer, double accuracy) =>
        Assert.Equal(accuracy, Rewards.Accuracy(RewardInput.ForAnswer($"<think>\n</think>\n{answer}", "x = 3, y = 2")));

    [Fact]
    public void A_models_own_route_by_elimination_counts_and_a_wrong_step_is_named()
    {
        // Elimination rather than the compiler's substitution: add the equations, then back-substitute.
        const string route = "2x + 3y = 12\nx - y = 1\n3x - 3y = 3\n2x + 3y + 3x - 3y = 12 + 3\n5x = 15\nx = 3\n3 - y = 1\ny = 2";
        var good = StepChecker.Check(route);
        Assert.Equal(0, good.Wrong);
        Assert.True(good.Found >= 5);
        var bad = StepChecker.Check(route.Replace("5x = 15", "5x = 14", StringComparison.Ordinal));
        Assert.Equal("5x = 14", bad.FirstWrong!.Text);
        Assert.Equal(5, bad.FirstWrong.Line);
    }

    [Fact]
    public void Generated_systems_verify_and_a_wrong_answer_fails_verification()
    {
        var rows = EquationFamily.Instance.Generate(new GenerateConfig { Preset = "eq-6", Count = 100, Seed = 4 }, new DrawStats()).ToList();
        Assert.All(rows, row => Assert.Matches(@"^x = -?\d+, y = -?\d+$", row.Answer));
        Assert.All(rows, row => Assert.Contains(';', row.Equation!));
        var wrong = rows[0] with { Answer = "x = 100, y = 100" };
        Assert.Contains("the system's solution is", ExampleVerifier.Verify(wrong, Rewards), StringComparison.Ordinal);
    }
}
