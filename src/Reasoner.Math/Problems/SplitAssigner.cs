// Decides train or test from the problem itself: a salted hash of the canonical expression. An expression
// belongs to exactly one split whatever seeds or counts are used, so test never overlaps train.
namespace Reasoner.Math.Problems;

public enum Split
{
    Train,
    Test,
}

public sealed record SplitAssigner(double TestFraction = 0.1)
{
    private const ulong Salt = 0x5EA5_0E12_7E57_0001UL; // fixed forever: changing it would reshuffle every split

    public Split Assign(string canonicalExpression) =>
        Seeds.Hash(canonicalExpression, Salt) % 1_000_000UL < (ulong)(TestFraction * 1_000_000) ? Split.Test : Split.Train;

    public SplitAssigner Validate() =>
        TestFraction is > 0 and < 1 ? this : throw new ArgumentException($"test fraction must be between 0 and 1 (exclusive), got {TestFraction}");
}
