// GSM8K's row shape, which lm-evaluation-harness and most math evals read: {"question": ..., "answer": "<reasoning>\n#### 96"}.
// Writing turns a completion's thinking into the reasoning and its answer into the "#### " line; reading turns it
// back into the R1 template, so `verify` and `check` judge GSM8K-shaped files (GSM8K's own <<48/2=24>> calculator
// notes are "a op b = c" claims like any other).
using Reasoner.Math.Verification;

namespace Reasoner.Math.Data;

public static class Gsm8kForm
{
    public const string Marker = "####";

    /// <summary>The GSM8K answer text of a completion in the R1 template: its thinking, then "#### answer".</summary>
    public static string Answer(string completion, string answer)
    {
        int open = completion.IndexOf(AnswerExtractor.ThinkOpen, StringComparison.Ordinal);
        int close = completion.IndexOf(AnswerExtractor.ThinkClose, StringComparison.Ordinal);
        var reasoning = open >= 0 && close > open ? completion[(open + AnswerExtractor.ThinkOpen.Length)..close].Trim('\n') : string.Empty;
        return reasoning.Length == 0 ? $"{Marker} {answer}" : $"{reasoning}\n{Marker} {answer}";
    }

    /// <summary>The completion (R1 template) and the gold answer of a GSM8K answer text; null when it has no "####" line.</summary>
    public static (string Completion, string Answer)? Read(string text)
    {
        int marker = text.LastIndexOf(Marker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var reasoning = text[..marker].Trim('\n', ' ');
        var answer = text[(marker + Marker.Length)..].Trim();
        var think = reasoning.Length == 0 ? $"{AnswerExtractor.ThinkOpen}\n" : $"{AnswerExtractor.ThinkOpen}\n{reasoning}\n";
        return ($"{think}{AnswerExtractor.ThinkClose}\n{AnswerExtractor.AnswerOpen}{answer}{AnswerExtractor.AnswerClose}", answer);
    }
}
