// Counters for a generation run; they go into the dataset card.
namespace Reasoner.Math.Problems;

public sealed class DrawStats
{
    public long Attempts { get; private set; }

    public long Invalid { get; private set; }

    public long OtherSplit { get; private set; }

    public long Duplicates { get; private set; }

    internal void CountAttempt() => Attempts++;

    internal void CountInvalid() => Invalid++;

    internal void CountOtherSplit() => OtherSplit++;

    internal void CountDuplicate() => Duplicates++;
}
