using System.Diagnostics;

namespace Reasoner.Math.Tests;

/// <summary>Runs the built `reasoner` command as a separate process, like a user would (shared with the model tests).</summary>
internal static class ReasonerProcess
{
    /// <summary>The CLI's own build output, in the configuration these tests were built in (the test project builds it first).</summary>
    public static string Dll { get; } = Path.Combine(
        RepoPaths.Root, "src", "Reasoner.Cli", "bin",
        typeof(ReasonerProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false).Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration,
        "net10.0", "reasoner.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(File.Exists(Dll) ? Dll : throw new FileNotFoundException($"the reasoner CLI is not built at {Dll}; build the solution first", Dll));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Starts it in the background, draining its output so it never blocks.</summary>
    public static Process Start(IEnumerable<string> args)
    {
        var process = Process.Start(StartInfo(args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs to the end with <paramref name="stdin"/> as standard input; output with \n line ends.</summary>
    public static (int Code, string Output, string Error) Run(IEnumerable<string> args, string? stdin = null)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, output.Result.Replace("\r\n", "\n", StringComparison.Ordinal), error.Result);
    }
}
