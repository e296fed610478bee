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

    [Fact]
    public void Mkl_dispatch_either_needs_nothing_or_takes_and_fp32_matmul_stays_exact_to_rounding()
    {
        // On Intel nothing changes; on this AMD machine MKL's vendor check now answers yes (MklDispatch).
        Assert.Matches("Intel CPU, nothing to do|MKL picks kernels by CPU features|not x64|kept", TorchRuntime.Outcome);
        Assert.DoesNotContain("did not take", TorchRuntime.Outcome);

        // Whatever kernels MKL picked, fp32 products (odd shapes, transposed operands, a linear layer) agree with fp64.
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        foreach (var (m, k, n) in new[] { (257, 129, 65), (1024, 512, 1536), (3, 1000, 7) })
        {
            var a = randn([m, k], generator: generator);
            var b = randn([n, k], generator: generator);
            var exact = a.to_type(ScalarType.Float64).matmul(b.to_type(ScalarType.Float64).t());
            foreach (var product in new[] { a.matmul(b.t()), nn.functional.linear(a, b), b.matmul(a.t()).t() })
            {
                var error = (product.to_type(ScalarType.Float64) - exact).abs().max().item<double>();
                Assert.True(error < 1e-5 * k, $"{m}x{k}x{n}: max error {error}");
            }
        }
    }
}
