// The "reasoner" extension of a choice: the verifier's rewards for the text against the request's gold answer,
// computed by the same MathRewards, StepChecker and FormatChecker that training and evaluation use.
using System.Text.Json.Nodes;
using Reasoner.Math.Verification;

namespace Reasoner.Serving.Api;

public static class Verdicts
{
    private static readonly MathRewards Rewards = new(VerifierOptions.Default);

    public static JsonObject For(string completion, string answer)
    {
        var verdict = Rewards.Judge(completion, MathRewards.ParseGold(answer));
        var steps = StepChecker.Check(completion, Rewards.Options);
        return new JsonObject
        {
            ["accuracy"] = verdict.Correct ? 1.0 : 0.0,
            ["format"] = Rewards.Format(RewardInput.ForAnswer(completion, answer)),
            ["answer"] = verdict.Extracted.Success ? verdict.Extracted.Text : null,
            ["answer_error"] = verdict.Extracted.Success ? null : verdict.Extracted.Error,
            ["expected"] = answer,
            ["steps_found"] = steps.Found,
            ["steps_correct"] = steps.Correct,
            ["steps_wrong"] = steps.Wrong,
            ["first_wrong_step"] = steps.FirstWrong?.Text,
        };
    }
}
