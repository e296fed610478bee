// The verifier's verdict on one teacher sample, as a reason to reject it or none: the same MathRewards extraction and
// exact comparison that training and eval use, the R1 template, and every standing 'a op b = c' claim re-checked.
using System.Text.Json.Nodes;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Numbers;
using Reasoner.Math.Verification;

namespace Reasoner.Distillation;

public sealed record SampleVerdict(string? Reason, string Detail, ExtractedAnswer Extracted, bool Correct, bool WellFormed, StepReport Steps)
{
    public bool Kept => Reason is null;

    /// <summary>The verdict as a row records it.</summary>
    public JsonObject ToJson() => new()
    {
        ["accuracy"] = Correct ? 1 : 0,
        ["format"] = WellFormed ? 1 : 0,
        ["answer"] = Extracted.Success ? Extracted.Text : null,
        ["steps_found"] = Steps.Found,
        ["steps_correct"] = Steps.Correct,
        ["first_wrong_step"] = Steps.FirstWrong?.Text,
    };
}

public sealed class SampleJudge(MathRewards rewards, bool requireFormat, bool requireSteps)
{
    public MathRewards Rewards { get; } = rewards;

    public SampleVerdict Judge(TeacherSample sample, Rational gold)
    {
        var verdict = Rewards.Judge(sample.Text, gold);
        bool wellFormed = FormatChecker.IsWellFormed(sample.Text, Rewards.Options, out var formatError);
        var steps = StepChecker.Check(sample.Text, Rewards.Options);
        var (reason, detail) = true switch
        {
            _ when sample.Truncated => (Reasons.Truncated, "finish_reason length"),
            _ when !verdict.Extracted.Success => (Reasons.NoAnswer, verdict.Extracted.Error ?? "no answer found"),
            _ when !verdict.Correct => (Reasons.WrongAnswer, $"answered {verdict.Extracted.Text}, expected {RationalFormatter.Format(gold)}"),
            _ when requireFormat && !wellFormed => (Reasons.Format, formatError),
            _ when requireSteps && steps.Wrong > 0 => (Reasons.WrongStep, $"{steps.Wrong} wrong step(s), first: {steps.FirstWrong!.Text}"),
            _ => ((string?)null, string.Empty),
        };
        return new SampleVerdict(reason, detail, verdict.Extracted, verdict.Correct, wellFormed, steps);
    }
}
