using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests.Problems;

public sealed class GeneratorTests
{
    [Fact]
    public void Every_preset_loads_and_validates()
    {
        Assert.True(PresetCatalog.All.Count >= 20);
        Assert.Equal(8, PresetCatalog.Ladder.Count);
        Assert.Equal("level-1", PresetCatalog.Ladder[0].Name);
        Assert.Equal("level-8", PresetCatalog.Ladder[^1].Name);
        foreach (var spec in PresetCatalog.All.Values)
        {
            spec.Validate();
        }
    }

    [Fact]
    public void An_item_is_reproducible_from_its_own_seed_alone()
    {
        var spec = PresetCatalog.All["level-5"];
        var items = ProblemGenerator.Stream([spec], 50, seed: 42, Split.Train, new SplitAssigner()).ToList();
        foreach (var item in items)
        {
            var again = ProblemGenerator.TryGenerate(spec, item.Seed);
            Assert.NotNull(again);
            Assert.Equal(item.Expression, again.Value.Expression);
            Assert.Equal(item.Value, again.Value.Value);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_stream_and_another_seed_another()
    {
        var specs = PresetCatalog.Resolve("level-3,mul-2x2");
        var a = ProblemGenerator.Stream(specs, 200, 7, Split.Train, new SplitAssigner()).Select(p => p.Text).ToList();
        var b = ProblemGenerator.Stream(specs, 200, 7, Split.Train, new SplitAssigner()).Select(p => p.Text).ToList();
        var c = ProblemGenerator.Stream(specs, 200, 8, Split.Train, new SplitAssigner()).Select(p => p.Text).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_stream_never_repeats_a_problem()
    {
        var texts = ProblemGenerator.Stream(PresetCatalog.Resolve("level-1"), 5_000, 1, Split.Train, new SplitAssigner()).Select(p => p.Text).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
    }

    [Fact]
    public void Test_split_never_overlaps_train_even_with_different_seeds()
    {
        var specs = PresetCatalog.Resolve("level-1,add-2d");
        var train = ProblemGenerator.Stream(specs, 8_000, 1, Split.Train, new SplitAssigner()).Select(p => p.Text).ToHashSet();
        var test = ProblemGenerator.Stream(specs, 800, 99, Split.Test, new SplitAssigner()).Select(p => p.Text).ToList();
        Assert.DoesNotContain(test, train.Contains);
    }

    [Fact]
    public void A_small_preset_that_runs_out_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProblemGenerator.Stream(PresetCatalog.Resolve("add-1d"), 1_000, 1, Split.Train, new SplitAssigner()).ToList());
        Assert.Contains("ran out of distinct train problems", error.Message);
    }

    [Theory]
    [InlineData("mul-3x2", 3, 2)]
    [InlineData("add-5d", 5, 5)]
    [InlineData("div-4by1", 4, 1)]
    public void Drills_use_their_operand_widths(string preset, int leftDigits, int rightDigits)
    {
        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve(preset), 200, 3, Split.Train, new SplitAssigner()))
        {
            var node = Assert.IsType<BinaryExpression>(problem.Expression);
            Assert.Equal(leftDigits, ((NumberLiteral)node.Left).Value.Numerator.ToString().Length);
            Assert.Equal(rightDigits, ((NumberLiteral)node.Right).Value.Numerator.ToString().Length);
        }
    }

    [Fact]
    public void Presets_without_parentheses_read_left_to_right_and_exact_division_divides_evenly()
    {
        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve("level-2"), 500, 3, Split.Train, new SplitAssigner()))
        {
            Assert.DoesNotContain("(", problem.Text);
        }

        foreach (var problem in ProblemGenerator.Stream(PresetCatalog.Resolve("level-4"), 500, 3, Split.Train, new SplitAssigner()))
        {
            Assert.True(problem.Value.IsInteger, $"{problem.Text} = {problem.Value}");
        }
    }

    [Theory]
    [InlineData("""{"name":"x","operators":["@"]}""", "unknown operator '@'")]
    [InlineData("""{"name":"x","operations":{"min":3,"max":1}}""", "operations must satisfy")]
    [InlineData("""{"name":"x","negative_rate":2}""", "negative_rate must be between 0 and 1")]
    [InlineData("""{"name":"x","operations":{"min":9,"max":9},"max_depth":2}""", "raise max_depth")]
    [InlineData("""{"name":"x","colour":"blue"}""", "colour")]
    public void Bad_presets_fail_with_a_message_that_says_what_to_change(string json, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => PresetCatalog.Parse(json, "custom.json"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Unknown_preset_names_list_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => PresetCatalog.Resolve("level-99"));
        Assert.Contains("known presets: ladder, all, add-1d", error.Message);
    }

    [Fact]
    public void Natural_questions_contain_the_numbers_of_the_problem()
    {
        var random = new Random(1);
        var expr = ExpressionParser.Parse("37 * 48");
        for (int i = 0; i < 50; i++)
        {
            var question = QuestionTemplates.Render(expr, QuestionStyle.Natural, random);
            Assert.Contains("37", question);
            Assert.Contains("48", question);
        }

        Assert.Equal("37 * 48", QuestionTemplates.Render(expr, QuestionStyle.Bare, random));
    }
}
