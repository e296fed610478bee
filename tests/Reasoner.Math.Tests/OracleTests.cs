using System.Diagnostics;
using Reasoner.Math.Expressions;
using Reasoner.Math.Generation;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tests;

/// <summary>
/// Reasoner's parser and evaluator against an independent oracle: Python's parser and sympy's exact arithmetic
/// (scripts/sympy_oracle.py). python3 with sympy is required; when it is missing the test fails, it never skips.
/// </summary>
public sealed class OracleTests
{
    [Fact]
    [Trait("Category", "Oracle")]
    public void Ten_thousand_random_expressions_agree_exactly_with_sympy()
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

        var oracle = RunOracle(expressions);
        Assert.Equal(expressions.Count, oracle.Count);
        int errors = 0;
        for (int i = 0; i < expressions.Count; i++)
        {
            var ours = ExpressionEvaluator.TryEvaluate(ExpressionParser.Parse(expressions[i]), ExpressionLimits.Default, out var value, out _)
                ? $"{value.Numerator}/{value.Denominator}"
                : "error";
            Assert.True(oracle[i] == ours, $"'{expressions[i]}': Reasoner {ours}, sympy {oracle[i]}");
            errors += ours == "error" ? 1 : 0;
        }

        Assert.InRange(errors, 1, expressions.Count / 4); // both sides saw some division by zero, but most items have values
    }

    private static List<string> RunOracle(List<string> expressions)
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "sympy_oracle.py");
        var start = new ProcessStartInfo("python3", $"\"{script}\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("python3 is needed for the sympy oracle test: install python3 and python3-sympy (.ci/run does)", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(string.Join('\n', expressions) + "\n");
            process.StandardInput.Close();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"sympy oracle failed (is sympy installed? .ci/run installs python3-sympy): {stderr.Result}");
            return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
    }
}
