// Rewards as plain functions of (prompt, completion, metadata) returning double? (null = not applicable).
// Training and evaluation call these very functions: the grader is the reward.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Verification;

/// <summary>What the verifier found: the extracted answer, the exact gold value, and whether they are equal.</summary>
public sealed record Verdict(ExtractedAnswer Extracted, Rational Expected, bool Correct);

public sealed record RewardInput(string Prompt, string Completion, IReadOnlyDictionary<string, string> Metadata)
{
    public const string AnswerKey = "answer";

    public static RewardInput ForAnswer(string completion, string answer, string prompt = "") =>
        new(prompt, completion, new Dictionary<string, string> { [AnswerKey] = answer });
}

public delegate double? RewardFunction(RewardInput input);

/// <summary>The built-in math rewards, configured once by <see cref="VerifierOptions"/>.</summary>
public sealed class MathRewards(VerifierOptions options)
{
    public VerifierOptions Options { get; } = options.Validate();

    /// <summary>
    /// 1 when the single extracted answer equals the gold answer exactly, else 0; null without a gold answer. A gold
    /// answer that is not an exact number is the caller's error, not "not applicable": it throws.
    /// </summary>
    public double? Accuracy(RewardInput input)
    {
        if (!input.Metadata.TryGetValue(RewardInput.AnswerKey, out var gold) || gold.Length == 0)
        {
            return null;
        }

        if (AnswerNormalizer.TryNormalizeSolution(gold, int.MaxValue, out var solution, out _))
        {
            return JudgeSolution(input.Completion, solution!) ? 1.0 : 0.0; // a system's "x = 3, y = 2"
        }

        return Judge(input.Completion, ParseGold(gold)).Correct ? 1.0 : 0.0;
    }

    /// <summary>Whether the completion's answer is the system's solution, every variable exactly.</summary>
    public bool JudgeSolution(string completion, IReadOnlyDictionary<char, Rational> expected) =>
        AnswerExtractor.ExtractSolution(completion, Options).Solution is { } found && AnswerNormalizer.SameSolution(found, expected);

    /// <summary>Accuracy against a gold answer in text: a number, or a system's solution.</summary>
    public bool IsCorrect(string completion, string gold) => Accuracy(RewardInput.ForAnswer(completion, gold)) == 1.0;

    /// <summary>The extracted answer and whether it equals <paramref name="expected"/> exactly: what `solve` prints and accuracy scores.</summary>
    public Verdict Judge(string completion, Rational expected)
    {
        var extracted = AnswerExtractor.Extract(completion, Options);
        return new Verdict(extracted, expected, extracted.Success && extracted.Value == expected);
    }

    /// <summary>A gold answer as an exact number, or an ArgumentException that names the bad value.</summary>
    public static Rational ParseGold(string gold) => AnswerNormalizer.TryNormalize(gold, int.MaxValue, out var value, out var error)
        ? value
        : throw new ArgumentException(AnswerNormalizer.TryNormalizeSolution(gold, int.MaxValue, out _, out _)
            ? $"gold answer '{gold}' is a system's solution; this command judges one number (check, verify, eval and GRPO judge systems)"
            : $"gold answer '{gold}' is not an exact number ({error}); write it as 1015, -3/4 or 12.875");

    /// <summary>Whether a gold answer can be judged: an exact number, or a system's solution ("x = 3, y = 2").</summary>
    public static bool IsGold(string gold, out string error) =>
        AnswerNormalizer.TryNormalize(gold, int.MaxValue, out _, out error) || AnswerNormalizer.TryNormalizeSolution(gold, int.MaxValue, out _, out _);

    /// <summary>1 when the completion follows the R1 template exactly (see <see cref="FormatChecker"/>), else 0.</summary>
    public double? Format(RewardInput input) => FormatChecker.IsWellFormed(input.Completion, Options, out _) ? 1.0 : 0.0;

    /// <summary>Share of standing "a op b = c" claims that are right; null when the completion makes none.</summary>
    public double? StepValidity(RewardInput input) => StepChecker.Check(input.Completion, Options).Validity;

    /// <summary>
    /// DAPO's soft overlong penalty: 0 up to <paramref name="maxChars"/> - <paramref name="bufferChars"/>,
    /// falling linearly to -1 at <paramref name="maxChars"/> and beyond.
    /// </summary>
    public static RewardFunction Length(int maxChars, int bufferChars)
    {
        if (maxChars <= 0 || bufferChars <= 0 || bufferChars > maxChars)
        {
            throw new ArgumentException($"length reward needs 0 < buffer ({bufferChars}) <= max ({maxChars})");
        }

        return input =>
        {
            int over = input.Completion.Length - (maxChars - bufferChars);
            return over <= 0 ? 0.0 : -System.Math.Min(1.0, (double)over / bufferChars);
        };
    }
}
