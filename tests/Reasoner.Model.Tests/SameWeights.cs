// Bit-for-bit weight comparison for the resume tests: a killed and resumed run must end where an uninterrupted one does.
using Reasoner.Model.Checkpoints;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

internal static class SameWeights
{
    /// <summary>Fails naming the first tensor of <paramref name="expected"/> that <paramref name="actual"/> lacks or holds differently.</summary>
    public static void Assert(IEnumerable<KeyValuePair<string, Tensor>> expected, IReadOnlyDictionary<string, Tensor> actual, string what = "after resume")
    {
        foreach (var (name, tensor) in expected)
        {
            Xunit.Assert.True(actual.TryGetValue(name, out var other) && tensor.equal(other).all().item<bool>(), $"{name} differs {what}");
        }
    }

    /// <summary>The full weights of two checkpoint folders are equal.</summary>
    public static void InCheckpoints(string expected, string actual, string what = "after resume") =>
        Assert(Checkpoint.Load(expected).Model.state_dict(), Checkpoint.Load(actual).Model.state_dict(), what);
}
