// Turns one problem into one verified dataset row: question, traced completion, answer. Every row is
// re-parsed and re-verified here, so a dataset that was written is a dataset that verifies.
using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Data;

public sealed class ExampleBuilder(GenerateConfig config)
{
    private readonly TraceOptions _trace = config.TraceOptions;
    private readonly MathRewards _rewards = new(VerifierOptions.Default);

    public DatasetRecord Build(Problem problem)
    {
        var random = Seeds.Random(Seeds.Mix(problem.Seed, 0x7ACE));
        var trace = StepTracer.Trace(problem.Expression, _trace, random);
        var completion = config.AnswerOnly ? CompletionFormatter.AnswerOnly(trace) : CompletionFormatter.Format(trace, _trace);
        var question = QuestionTemplates.Render(problem.Expression, config.Questions, random);
        var record = new DatasetRecord(
            problem.Id,
            config.ResolvedSystemPrompt,
            question,
            completion,
            problem.Text,
            trace.Answer,
            problem.Difficulty,
            problem.Seed,
            config.AnswerOnly ? "answer-only" : config.Style.ToString().ToLowerInvariant(),
            problem.Split.ToString().ToLowerInvariant());
        var failure = ExampleVerifier.Verify(record, _rewards);
        return failure is null ? record : throw new InvalidOperationException($"generated example {problem.Id} does not verify: {failure}");
    }
}

/// <summary>Re-checks a dataset row from its text alone: the expression re-parses to the answer, and the completion earns full marks.</summary>
public static class ExampleVerifier
{
    public static string? Verify(DatasetRecord record, MathRewards rewards)
    {
        if (!string.IsNullOrEmpty(record.Expression))
        {
            if (!ExpressionParser.TryParse(record.Expression, ExpressionLimits.Default, out var expr, out var parseError))
            {
                return $"expression does not parse: {parseError}";
            }

            if (!ExpressionEvaluator.TryEvaluate(expr!, ExpressionLimits.Default, out var value, out var evalError))
            {
                return $"expression does not evaluate: {evalError}";
            }

            if (!AnswerNormalizer.TryNormalize(record.Answer, int.MaxValue, out var answer, out _) || answer != value)
            {
                return $"answer '{record.Answer}' but the expression is {value}";
            }
        }

        if (!string.IsNullOrEmpty(record.Equation) && record.Equation.Contains(';', StringComparison.Ordinal))
        {
            if (!Reasoner.Math.Equations.LinearSystem.TryParse(record.Equation, out var system) || system!.Solution is not { } point)
            {
                return $"equation '{record.Equation}' is not two linear equations in x and y with one solution";
            }

            if (!AnswerNormalizer.TryNormalizeSolution(record.Answer, int.MaxValue, out var stated, out _)
                || !AnswerNormalizer.SameSolution(stated!, new Dictionary<char, Numbers.Rational> { ['x'] = point.X, ['y'] = point.Y }))
            {
                return $"answer '{record.Answer}' but the system's solution is x = {point.X}, y = {point.Y}";
            }
        }
        else if (!string.IsNullOrEmpty(record.Equation))
        {
            if (!Reasoner.Math.Equations.LinearEquation.TryParse(record.Equation, out var equation))
            {
                return $"equation '{record.Equation}' is not a linear equation in one variable";
            }

            var solutions = equation!.Solutions;
            if (solutions.Kind != Reasoner.Math.Equations.SolutionKind.One
                || !AnswerNormalizer.TryNormalize(record.Answer, int.MaxValue, out var solved, out _) || solved != solutions.Value)
            {
                return $"answer '{record.Answer}' but the equation's solution is {solutions}";
            }
        }

        var input = RewardInput.ForAnswer(record.Completion, record.Answer, record.Prompt);
        if (rewards.Accuracy(input) != 1.0)
        {
            var extracted = AnswerExtractor.Extract(record.Completion, rewards.Options);
            return extracted.Success ? $"completion answers {extracted.Text}, expected {record.Answer}" : $"no answer: {extracted.Error}";
        }

        if (rewards.Format(input) != 1.0)
        {
            FormatChecker.IsWellFormed(record.Completion, rewards.Options, out var reason);
            return $"format: {reason}";
        }

        var steps = StepChecker.Check(record.Completion, rewards.Options);
        return steps.Wrong > 0 ? $"wrong step at line {steps.FirstWrong!.Line}: {steps.FirstWrong.Text}" : null;
    }
}
