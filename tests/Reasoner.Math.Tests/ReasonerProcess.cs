using System.Diagnostics;

namespace Reasoner.Math.Tests;

/// <summary>Runs the built `reasoner` command as a separate process, like a user would (shared with the model tests).</summary>
internal static class ReasonerProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reasoner.dll"));
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
