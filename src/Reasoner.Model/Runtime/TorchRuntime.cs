// Makes TorchSharp's native library load on systems whose libstdc++ predates GLIBCXX_3.4.32, with no
// manual step: call EnsureLoaded() before the first use of `torch` (entry assemblies do, see ARCHITECTURE.md).
// On a system that loads the library as shipped, it does nothing to it. It also lets MKL pick its fp32 kernels by
// CPU features on non-Intel CPUs (MklDispatch) and keeps freed tensor memory in the heap (TuneMalloc).
using System.Reflection;
using System.Runtime.InteropServices;

namespace Reasoner.Model.Runtime;

public static class TorchRuntime
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>What EnsureLoaded did, for diagnostics and tests.</summary>
    public static string Outcome { get; private set; } = "not run";

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (!OperatingSystem.IsLinux())
            {
                Outcome = "not Linux: nothing to do";
                return;
            }

            TuneMalloc();
            var original = FindNativeLibrary();
            if (original is null)
            {
                Outcome = "libLibTorchSharp.so not beside the app: TorchSharp will find its own copy";
                return;
            }

            var directory = Path.GetDirectoryName(original)!;
            if (NativeLibrary.TryLoad(original, out _))
            {
                Outcome = $"loaded as shipped: {original}; {MklDispatch.Apply(directory)}";
                return;
            }

            var bytes = File.ReadAllBytes(original);
            if (ElfVersionPatch.MakeWeak(bytes, MissingVersion) == ElfVersionPatch.Result.NotNeeded)
            {
                throw Failure(original, $"it does not need {MissingVersion}, so the fix does not apply");
            }

            var patched = WritePatched(original, bytes);
            Preload(directory, patched);
            Outcome = $"patched {MissingVersion} to weak: {patched}; {MklDispatch.Apply(directory)}";
        }
    }

    /// <summary>
    /// Keeps freed tensor buffers in the heap instead of returning them to the kernel after every step:
    /// glibc otherwise mmaps and unmaps each multi-MB activation (measured ~15% faster tiny-model training here).
    /// </summary>
    private static void TuneMalloc()
    {
        const int trimThreshold = -1, topPad = -2, mmapThreshold = -3;
        try
        {
            mallopt(mmapThreshold, 32 << 20);
            mallopt(trimThreshold, 256 << 20);
            mallopt(topPad, 64 << 20);
        }
        catch (EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): keep the defaults
        }
        catch (DllNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    /// <summary>The copy TorchSharp will load: beside the app (plain or runtimes/linux-x64/native), or beside TorchSharp.dll.</summary>
    private static string? FindNativeLibrary()
    {
        var baseDir = AppContext.BaseDirectory;
        var torchDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? baseDir;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", Library),
            Path.Combine(baseDir, Library),
            Path.Combine(torchDir, "runtimes", "linux-x64", "native", Library),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Writes the patched bytes over the original (temp file, then rename), or into a private cache when that folder is read-only.</summary>
    private static string WritePatched(string original, byte[] bytes)
    {
        try
        {
            var temp = original + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, original, overwrite: true);
            return original;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "reasoner", "torchsharp",
                $"{new FileInfo(original).Length:x}-{File.GetLastWriteTimeUtc(original).Ticks:x}");
            Directory.CreateDirectory(cache);
            var copy = Path.Combine(cache, Library);
            var temp = copy + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, copy, overwrite: true);
            return copy;
        }
    }

    /// <summary>Loads libtorch's own libraries, then the patched glue; glibc then serves TorchSharp's later dlopen by soname.</summary>
    private static void Preload(string directory, string patched)
    {
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(directory, dependency);
            if (File.Exists(path))
            {
                NativeLibrary.TryLoad(path, out _);
            }
        }

        try
        {
            NativeLibrary.Load(patched);
        }
        catch (DllNotFoundException e)
        {
            throw Failure(patched, e.Message);
        }
    }

    private static InvalidOperationException Failure(string path, string reason) => new(
        $"TorchSharp's native library {path} does not load: {reason}. Reasoner needs libtorch 2.10 (TorchSharp-cpu 0.107) on linux-x64 with glibc 2.35+ and libgomp; "
        + "a clean `dotnet build` restores the files.");

    /// <summary>The TorchSharp assembly version, for run cards.</summary>
    public static string TorchSharpVersion => typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
