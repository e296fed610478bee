// Renders a trace in the DeepSeek-R1 template: <think>steps</think> then <answer>N</answer>,
// with optional \boxed{N} and "#### N" for evaluators that look for those.
namespace Reasoner.Math.Tracing;

public static class CompletionFormatter
{
    public static string Format(Trace trace, TraceOptions options)
    {
        var answer = options.Boxed ? $"\\boxed{{{trace.Answer}}}" : trace.Answer;
        var hashes = options.Hashes ? $"#### {trace.Answer}\n" : string.Empty;
        return $"<think>\n{trace.Thinking}\n</think>\n{hashes}<answer>{answer}</answer>";
    }

    /// <summary>The answer-only form used as a baseline: no thinking, just the tag.</summary>
    public static string AnswerOnly(Trace trace) => $"<think>\n</think>\n<answer>{trace.Answer}</answer>";
}
