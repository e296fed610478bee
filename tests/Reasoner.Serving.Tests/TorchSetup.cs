using System.Runtime.CompilerServices;
using Reasoner.Model.Runtime;

namespace Reasoner.Serving.Tests;

internal static class TorchSetup
{
    /// <summary>Runs before any test touches `torch`: the native fix must come first (see TorchRuntime).</summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(1);
    }
}
