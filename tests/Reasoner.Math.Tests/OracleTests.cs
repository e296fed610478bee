using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests;

/// <summary>
/// Reasoner's parser and evaluator against an independent oracle: Python's parser and sympy's exact arithmetic
/// (scripts/sympy_oracle.py). The oracle's answers for the same 12,000 expressions are committed in
/// tests/fixtures/sympy-oracle.json; with REASONER_LIVE_ORACLES=1 (.ci/run) sympy is also asked now, and a missing
/// python3 or sympy fails the test.
/// </summary>
public sealed class OracleTests
{
    private const string Fixture = "sympy-oracle.json";

    [Fact]
    [Trait("Category", "Oracle")]
    public void Twelve_thousand_random_expressions_agree_exactly_with_sympy()
    {
        var expressions = Expressions();
        var ours = expressions.Select(Evaluate).ToList();
        Assert.InRange(ours.Count(v => v == "error"), 1, expressions.Count / 4); // both sides see some division by zero, but most items have values

        if (Oracles.Live)
        {
            var live = Oracles.RunScript("python3", "sympy_oracle.py", [], string.Join('\n', expressions) + "\n", "install python3 and python3-sympy; .ci/run does")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            AssertAgree(expressions, ours, live, "sympy (live)");
            if (Oracles.Record)
            {
                Write(expressions, live);
            }
        }

        // The fixture holds its own expressions, so new presets or generator changes never invalidate it.
        var fixture = JsonNode.Parse(File.ReadAllText(Oracles.FixturePath(Fixture)))!;
        var items = fixture["items"]!.AsArray().Select(i => (Expression: i![0]!.GetValue<string>(), Value: i[1]!.GetValue<string>())).ToList();
        Assert.Equal(12_000, items.Count);
        var recorded = items.Select(i => i.Expression).ToList();
        AssertAgree(recorded, recorded.Select(Evaluate).ToList(), items.Select(i => i.Value).ToList(), $"sympy ({Fixture})");
    }

    private static void AssertAgree(List<string> expressions, List<string> ours, List<string> oracle, string source)
    {
        Assert.Equal(expressions.Count, oracle.Count);
        for (int i = 0; i < expressions.Count; i++)
        {
            Assert.True(oracle[i] == ours[i], $"'{expressions[i]}': Reasoner {ours[i]}, {source} {oracle[i]}");
        }
    }

    /// <summary>6,000 problems drawn from every preset and 6,000 random trees of depth up to 5.</summary>
    private static List<string> Expressions()
    {
        var expressions = new List<string>();
        var presets = PresetCatalog.All.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        for (long seed = 0; expressions.Count < 6_000; seed++)
        {
            if (ProblemGenerator.TryGenerate(presets[(int)(seed % presets.Count)], seed) is { } draw)
            {
                expressions.Add(ExpressionPrinter.Print(draw.Expression));
            }
        }

        var random = new Random(17);
        while (expressions.Count < 12_000)
        {
            expressions.Add(ExpressionPrinter.Print(RandomTrees.Build(random, 5)));
        }

        return expressions;
    }

    private static string Evaluate(string expression) =>
        ExpressionEvaluator.TryEvaluate(ExpressionParser.Parse(expression), ExpressionLimits.Default, out var value, out _)
            ? $"{value.Numerator}/{value.Denominator}"
            : "error";

    /// <summary>One item per line, so a re-recorded fixture diffs by expression.</summary>
    private static void Write(List<string> expressions, List<string> values)
    {
        var provenance = Oracles.Provenance("python3", "sympy_oracle.py", "sympy");
        provenance["test"] = $"tests/Reasoner.Math.Tests/OracleTests.cs ({nameof(Twelve_thousand_random_expressions_agree_exactly_with_sympy)})";
        var readable = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var lines = expressions.Select((e, i) => "    " + JsonSerializer.Serialize(new[] { e, values[i] }, readable));
        var text = "{\n  \"provenance\": " + provenance.ToJsonString() + ",\n  \"items\": [\n" + string.Join(",\n", lines) + "\n  ]\n}\n";
        Reasoner.Math.Data.AtomicFile.WriteAllText(Oracles.FixturePath(Fixture), text);
    }
}
