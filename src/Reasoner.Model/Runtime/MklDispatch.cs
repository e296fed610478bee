// libtorch's CPU build links Intel oneMKL, which picks its fp32 GEMM kernels by CPU vendor before features: on an
// AMD CPU it runs the generic AVX2 path even where the CPU has AVX-512. Measured here (AMD EPYC, AVX-512, one
// thread): 82 GFLOP/s for a 1024^3 sgemm vs 187 GFLOP/s once MKL treats the CPU as Intel, and Debian's OpenBLAS
// reaches 192. This makes MKL's vendor check (mkl_serv_intel_cpu_true, exported by libtorch_cpu.so) answer yes, so
// MKL then chooses its kernels by the CPU's feature flags alone, as it does on Intel. It only acts when the check
// says "not Intel", before MKL's first call, and verifies the result; REASONER_MKL_VENDOR_CHECK=keep turns it off.
using System.Runtime.InteropServices;

namespace Reasoner.Model.Runtime;

internal static unsafe class MklDispatch
{
    private const string Symbol = "mkl_serv_intel_cpu_true";
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;

    /// <summary>mov eax, 1; ret</summary>
    private static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];

    /// <summary>Applies the change to the libtorch_cpu.so in <paramref name="directory"/>; returns what it did, for TorchRuntime.Outcome.</summary>
    public static string Apply(string directory)
    {
        if (Environment.GetEnvironmentVariable("REASONER_MKL_VENDOR_CHECK") == "keep")
        {
            return "MKL vendor check kept (REASONER_MKL_VENDOR_CHECK=keep)";
        }

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return "MKL dispatch: not x64";
        }

        var path = Path.Combine(directory, "libtorch_cpu.so");
        if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out var handle) || !NativeLibrary.TryGetExport(handle, Symbol, out var address))
        {
            return "MKL dispatch: libtorch_cpu.so without MKL's vendor check, left as is";
        }

        var check = (delegate* unmanaged<int>)address;
        if (check() != 0)
        {
            return "MKL dispatch: Intel CPU, nothing to do";
        }

        long page = address.ToInt64() & ~(Environment.SystemPageSize - 1L);
        var length = (nuint)(2 * Environment.SystemPageSize); // the six bytes may cross a page boundary
        if (mprotect((IntPtr)page, length, ProtRead | ProtWrite | ProtExec) != 0)
        {
            return "MKL dispatch: code pages not writable, left as is";
        }

        Marshal.Copy(ReturnOne, 0, address, ReturnOne.Length);
        mprotect((IntPtr)page, length, ProtRead | ProtExec);
        return check() == 1 ? "MKL picks kernels by CPU features (non-Intel CPU)" : "MKL dispatch: change did not take";
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(IntPtr address, nuint length, int protection);
}
