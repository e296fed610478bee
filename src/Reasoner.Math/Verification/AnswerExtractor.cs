// Finds the final answer in a completion. Only text after the thinking counts; every answer found in
// an allowed format must agree, so hedging with several answers earns nothing.
using System.Text.RegularExpressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Verification;

public sealed record ExtractedAnswer(bool Success, Rational Value, string? Text, string? Error)
{
    public static ExtractedAnswer Fail(string error) => new(false, default, null, error);
}

public static partial class AnswerExtractor
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string AnswerOpen = "<answer>";
    public const string AnswerClose = "</answer>";

    public static ExtractedAnswer Extract(string completion, VerifierOptions options)
    {
        if (Candidates(completion, options, out var failure) is not { } candidates)
        {
            return ExtractedAnswer.Fail(failure!);
        }

        Rational? agreed = null;
        string? agreedText = null;
        foreach (var (text, strict) in candidates)
        {
            if (!AnswerNormalizer.TryNormalize(text, options.MaxAnswerChars, out var value, out var error))
            {
                if (strict)
                {
                    return ExtractedAnswer.Fail(error);
                }

                continue; // "the answer is below" is prose, not a wrong answer
            }

            if (agreed is { } previous && previous != value)
            {
                return ExtractedAnswer.Fail($"several different answers: {agreedText} and {text.Trim()}");
            }

            agreed = value;
            agreedText ??= text.Trim();
        }

        return agreed is { } answer
            ? new ExtractedAnswer(true, answer, agreedText, null)
            : ExtractedAnswer.Fail("no answer found after the thinking");
    }

    /// <summary>
    /// A system's answer ("x = 3, y = 2"): every strict candidate must be one and all must agree; null Solution with the
    /// reason when there is none.
    /// </summary>
    public static (IReadOnlyDictionary<char, Rational>? Solution, string? Text, string? Error) ExtractSolution(string completion, VerifierOptions options)
    {
        if (Candidates(completion, options, out var failure) is not { } candidates)
        {
            return (null, null, failure);
        }

        IReadOnlyDictionary<char, Rational>? agreed = null;
        string? agreedText = null;
        foreach (var (text, strict) in candidates)
        {
            if (!AnswerNormalizer.TryNormalizeSolution(text, options.MaxAnswerChars, out var solution, out var error))
            {
                if (strict)
                {
                    return (null, null, error);
                }

                continue;
            }

            if (agreed is not null && !AnswerNormalizer.SameSolution(agreed, solution!))
            {
                return (null, null, $"several different answers: {agreedText} and {text.Trim()}");
            }

            agreed = solution;
            agreedText ??= text.Trim();
        }

        return agreed is null ? (null, null, "no answer found after the thinking") : (agreed, agreedText, null);
    }

    /// <summary>The answer texts after the thinking, in the allowed formats (strict ones must parse); null with the reason when the completion cannot hold one.</summary>
    private static List<(string Text, bool Strict)>? Candidates(string completion, VerifierOptions options, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(completion);
        failure = null;
        if (completion.Length > options.MaxCompletionChars)
        {
            failure = $"completion is {completion.Length} characters; the limit is {options.MaxCompletionChars}";
            return null;
        }

        var region = AfterThinking(completion);
        if (region is null)
        {
            failure = "the thinking is never closed with </think>";
            return null;
        }

        var candidates = new List<(string Text, bool Strict)>();
        if (options.Formats.HasFlag(AnswerFormats.Tag))
        {
            candidates.AddRange(Tags(region).Select(t => (t, true)));
        }

        if (options.Formats.HasFlag(AnswerFormats.Boxed))
        {
            candidates.AddRange(Boxed(region).Select(t => (t, true)));
        }

        if (options.Formats.HasFlag(AnswerFormats.Hashes))
        {
            candidates.AddRange(Hashes().Matches(region).Select(m => (m.Groups[1].Value, true)));
        }

        if (options.Formats.HasFlag(AnswerFormats.Phrase))
        {
            candidates.AddRange(Phrase().Matches(region).Select(m => (m.Groups[1].Value, false)));
        }

        return candidates;
    }

    /// <summary>The text after the last &lt;/think&gt;; the whole text when there is no thinking; null when thinking never closes.</summary>
    internal static string? AfterThinking(string completion)
    {
        int close = completion.LastIndexOf(ThinkClose, StringComparison.Ordinal);
        if (close >= 0)
        {
            return completion[(close + ThinkClose.Length)..];
        }

        return completion.Contains(ThinkOpen, StringComparison.Ordinal) ? null : completion;
    }

    private static IEnumerable<string> Tags(string region)
    {
        int from = 0;
        while (true)
        {
            int open = region.IndexOf(AnswerOpen, from, StringComparison.Ordinal);
            if (open < 0)
            {
                yield break;
            }

            int start = open + AnswerOpen.Length;
            int close = region.IndexOf(AnswerClose, start, StringComparison.Ordinal);
            if (close < 0)
            {
                yield return region[start..]; // an unclosed tag still counts, so it cannot hide a second answer
                yield break;
            }

            yield return region[start..close];
            from = close + AnswerClose.Length;
        }
    }

    /// <summary>Contents of every \boxed{…} with balanced braces, outside answer tags (inside them the tag already counts).</summary>
    private static IEnumerable<string> Boxed(string region)
    {
        const string marker = "\\boxed{";
        int from = 0;
        while ((from = region.IndexOf(marker, from, StringComparison.Ordinal)) >= 0)
        {
            int start = from + marker.Length, depth = 1, i = start;
            for (; i < region.Length && depth > 0; i++)
            {
                depth += region[i] switch { '{' => 1, '}' => -1, _ => 0 };
            }

            bool insideTag = region.LastIndexOf(AnswerOpen, from, StringComparison.Ordinal) > region.LastIndexOf(AnswerClose, from, StringComparison.Ordinal);
            if (!insideTag)
            {
                yield return depth == 0 ? region[start..(i - 1)] : region[start..];
            }

            from = i;
        }
    }

    [GeneratedRegex(@"^[ \t]*####[ \t]*([^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex Hashes();

    [GeneratedRegex(@"the (?:final )?answer is[: \t]*([^\n]{0,200}?)(?:\.?[ \t]*(?:\n|$)|\.[ \t])", RegexOptions.IgnoreCase)]
    private static partial Regex Phrase();
}
