// What a distill or rewrite run reports as it goes: problems done out of all (the resumed ones included), problems
// that gave data, rows written, and samples tried and accepted.
namespace Reasoner.Distillation;

public sealed record RunProgress(long Done, long Total, long Accepted, long Rows, long Samples, long SamplesAccepted)
{
    public double AcceptanceRate => Done == 0 ? 0 : (double)Accepted / Done;

    public RunProgress Add(bool accepted, int rows, int samples, int samplesAccepted) =>
        new(Done + 1, Total, Accepted + (accepted ? 1 : 0), Rows + rows, Samples + samples, SamplesAccepted + samplesAccepted);

    public static RunProgress From(Journal journal, long total) => journal.Done.Values.Aggregate(
        new RunProgress(0, total, 0, 0, 0, 0),
        (p, e) => p.Add(e["accepted"]?.GetValue<bool>() ?? false, e["rows"]!.GetValue<int>(), e["tried"]?.GetValue<int>() ?? 0, e["correct"]?.GetValue<int>() ?? 0));
}
