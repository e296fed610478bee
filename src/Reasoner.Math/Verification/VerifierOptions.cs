// What the verifier accepts: which answer formats, and the limits that close reward hacks by size.
namespace Reasoner.Math.Verification;

[Flags]
public enum AnswerFormats
{
    None = 0,

    /// <summary><c>&lt;answer&gt;N&lt;/answer&gt;</c>, the R1 template.</summary>
    Tag = 1,

    /// <summary><c>\boxed{N}</c>, as MATH-style evaluators expect.</summary>
    Boxed = 2,

    /// <summary><c>#### N</c>, as GSM8K-style evaluators expect.</summary>
    Hashes = 4,

    /// <summary>"the answer is N".</summary>
    Phrase = 8,

    All = Tag | Boxed | Hashes | Phrase,
}

public sealed record VerifierOptions
{
    public static VerifierOptions Default { get; } = new();

    /// <summary>Formats the extractor looks for after the thinking. Several found answers must all agree.</summary>
    public AnswerFormats Formats { get; init; } = AnswerFormats.All;

    /// <summary>A completion longer than this (characters) gets no accuracy credit: pathological output is not an answer.</summary>
    public int MaxCompletionChars { get; init; } = 65_536;

    /// <summary>Longest accepted answer text (characters) after extraction.</summary>
    public int MaxAnswerChars { get; init; } = 1_000;

    /// <summary>Step claims whose result has more digits than this are counted as wrong without evaluating them.</summary>
    public int MaxClaimDigits { get; init; } = 10_000;

    public VerifierOptions Validate()
    {
        if (Formats == AnswerFormats.None || (Formats & ~AnswerFormats.All) != 0)
        {
            throw new ArgumentException($"Formats must name at least one of Tag, Boxed, Hashes, Phrase; got {Formats}");
        }

        if (MaxCompletionChars <= 0 || MaxAnswerChars <= 0 || MaxClaimDigits <= 0)
        {
            throw new ArgumentException("MaxCompletionChars, MaxAnswerChars and MaxClaimDigits must be positive");
        }

        return this;
    }
}
