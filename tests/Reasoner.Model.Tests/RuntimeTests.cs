using Reasoner.Model.Runtime;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

public sealed class RuntimeTests
{
    [Fact]
    public void TorchSharp_loads_by_itself_on_this_machine()
    {
        using var x = ones(2, 3);
        Assert.Equal(6f, x.sum().item<float>());
        Assert.DoesNotContain("not run", TorchRuntime.Outcome);
    }
}
