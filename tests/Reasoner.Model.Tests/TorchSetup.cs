using System.Runtime.CompilerServices;
using Reasoner.Model.Runtime;

namespace Reasoner.Model.Tests;

internal static class TorchSetup
{
    /// <summary>Runs before any test touches `torch`: the native fix must come first (see TorchRuntime).</summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(1);
        if (Environment.GetEnvironmentVariable("REASONER_GC_STRESS") == "1")
        {
            StartCollector();
        }
    }

    /// <summary>
    /// REASONER_GC_STRESS=1: a background thread forces collections and runs finalizers without pause for the
    /// whole run, so a tensor, scalar or module that is unreachable while libtorch still uses it is freed
    /// at once and crashes or fails the test that did it (what a busy, many-core CI machine does now and then).
    /// </summary>
    private static void StartCollector()
    {
        var collector = new Thread(() =>
        {
            while (true)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true, Name = "gc-stress" };
        collector.Start();
    }
}
