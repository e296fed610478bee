// Whether a rewrite of a compiler trace still says exactly what the trace says: the same final answer, every
// 'a op b = c' claim in it right, and every claim of the trace present, in order, as the same claim or an
// equivalent one. Two claims are equivalent when both are right, their results are equal, and their left sides use
// the same numbers with the same operators in any order or grouping (4 + 3 = 7 for 3+4=7); zero terms of a sum or
// difference may be left out (7 + 8 = 15 for the carry-free 7+8+0=15), and a claim of zeros only (0+0+0=0) need not
// be repeated.
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;
using Reasoner.Math.Verification;

namespace Reasoner.Distillation;

public static class RewriteCheck
{
    /// <summary>null when the rewrite is kept, else the reason and a detail naming the claim.</summary>
    public static (string? Reason, string Detail) Check(TeacherSample rewrite, string trace, Rational gold, MathRewards rewards)
    {
        if (rewrite.Truncated)
        {
            return (Reasons.Truncated, "finish_reason length");
        }

        var verdict = rewards.Judge(rewrite.Text, gold);
        if (!verdict.Extracted.Success)
        {
            return (Reasons.NoAnswer, verdict.Extracted.Error ?? "no answer found");
        }

        if (!verdict.Correct)
        {
            return (Reasons.AnswerChanged, $"the rewrite answers {verdict.Extracted.Text}, the trace {RationalFormatter.Format(gold)}");
        }

        if (!FormatChecker.IsWellFormed(rewrite.Text, rewards.Options, out var formatError))
        {
            return (Reasons.Format, formatError);
        }

        var steps = StepChecker.Check(rewrite.Text, rewards.Options);
        if (steps.Wrong > 0)
        {
            return (Reasons.WrongStep, $"{steps.Wrong} wrong claim(s), first: {steps.FirstWrong!.Text}");
        }

        var said = steps.Claims.Where(c => c.Correct).Select(Key).ToList();
        int at = 0;
        foreach (var claim in StepChecker.Check(trace, rewards.Options).Claims.Where(c => c.Correct && !c.RightIsExpression)) // a restatement is no step to repeat
        {
            var key = Key(claim);
            if (key.StartsWith("0||", StringComparison.Ordinal))
            {
                continue; // 0+0+0=0: a column with nothing in it says nothing a rewrite must repeat
            }

            while (at < said.Count && said[at] != key)
            {
                at++;
            }

            if (at == said.Count)
            {
                return (Reasons.DroppedStep, $"the trace's step '{claim.Text}' (line {claim.Line}) is missing or out of order");
            }

            at++;
        }

        return (null, string.Empty);
    }

    /// <summary>The result, the sorted numbers (zeros of a sum dropped) and the sorted operators of a claim.</summary>
    internal static string Key(StepClaim claim)
    {
        if (!ExpressionParser.TryParse(claim.Left, ExpressionLimits.Default, out var left, out _) || !ExpressionParser.TryParse(claim.Right, ExpressionLimits.Default, out var right, out _)
            || !ExpressionEvaluator.TryEvaluate(right!, ExpressionLimits.Default, out var result, out _))
        {
            return claim.Text;
        }

        var numbers = new List<Rational>();
        var operators = new List<BinaryOperator>();
        Walk(left!, numbers, operators);
        if (operators.All(o => o is BinaryOperator.Add or BinaryOperator.Subtract) && numbers.Count > 1)
        {
            numbers.RemoveAll(n => n == Rational.Zero);
            operators.RemoveRange(0, operators.Count - System.Math.Max(0, numbers.Count - 1));
        }

        return $"{RationalFormatter.Format(result)}|{string.Join(",", numbers.Order().Select(n => RationalFormatter.Format(n)))}|{string.Join(",", operators.Order())}";
    }

    private static void Walk(Expr expr, List<Rational> numbers, List<BinaryOperator> operators)
    {
        switch (expr)
        {
            case NumberLiteral n:
                numbers.Add(n.Value);
                break;
            case Negation { Operand: NumberLiteral n }:
                numbers.Add(-n.Value);
                break;
            case Negation neg:
                Walk(neg.Operand, numbers, operators);
                operators.Add(BinaryOperator.Subtract);
                break;
            case BinaryExpression b:
                Walk(b.Left, numbers, operators);
                Walk(b.Right, numbers, operators);
                operators.Add(b.Operator);
                break;
        }
    }
}
