// The R1 template, checked strictly: <think>…</think>, optionally a "#### N" line, then exactly one
// <answer>…</answer> with a number in it, and nothing after it.
namespace Reasoner.Math.Verification;

public static class FormatChecker
{
    public static bool IsWellFormed(string completion, VerifierOptions options, out string reason)
    {
        if (completion.Length > options.MaxCompletionChars)
        {
            reason = "completion is too long";
            return false;
        }

        if (Count(completion, AnswerExtractor.ThinkOpen) != 1 || Count(completion, AnswerExtractor.ThinkClose) != 1)
        {
            reason = "needs exactly one <think> and one </think>";
            return false;
        }

        if (Count(completion, AnswerExtractor.AnswerOpen) != 1 || Count(completion, AnswerExtractor.AnswerClose) != 1)
        {
            reason = "needs exactly one <answer> and one </answer>";
            return false;
        }

        int thinkOpen = completion.IndexOf(AnswerExtractor.ThinkOpen, StringComparison.Ordinal);
        int thinkClose = completion.IndexOf(AnswerExtractor.ThinkClose, StringComparison.Ordinal);
        int answerOpen = completion.IndexOf(AnswerExtractor.AnswerOpen, StringComparison.Ordinal);
        int answerClose = completion.IndexOf(AnswerExtractor.AnswerClose, StringComparison.Ordinal);
        if (!(thinkOpen < thinkClose && thinkClose < answerOpen && answerOpen < answerClose))
        {
            reason = "tags must come in the order <think> </think> <answer> </answer>";
            return false;
        }

        if (!string.IsNullOrWhiteSpace(completion[..thinkOpen]))
        {
            reason = "text before <think>";
            return false;
        }

        if (!string.IsNullOrWhiteSpace(completion[(answerClose + AnswerExtractor.AnswerClose.Length)..]))
        {
            reason = "text after </answer>";
            return false;
        }

        var between = completion[(thinkClose + AnswerExtractor.ThinkClose.Length)..answerOpen].Trim();
        if (between.Length > 0 && !(between.StartsWith("####", StringComparison.Ordinal) && !between.Contains('\n', StringComparison.Ordinal)))
        {
            reason = "only a '#### N' line may stand between </think> and <answer>";
            return false;
        }

        var content = completion[(answerOpen + AnswerExtractor.AnswerOpen.Length)..answerClose];
        if (!AnswerNormalizer.TryNormalize(content, options.MaxAnswerChars, out _, out var error) && !AnswerNormalizer.TryNormalizeSolution(content, options.MaxAnswerChars, out _, out _))
        {
            reason = error;
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private static int Count(string text, string tag)
    {
        int count = 0, from = 0;
        while ((from = text.IndexOf(tag, from, StringComparison.Ordinal)) >= 0)
        {
            count++;
            from += tag.Length;
        }

        return count;
    }
}
