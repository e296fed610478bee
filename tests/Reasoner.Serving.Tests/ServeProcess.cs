using System.Diagnostics;
using System.Text.RegularExpressions;
using Reasoner.Math.Tests;

namespace Reasoner.Serving.Tests;

/// <summary>`reasoner serve` as a separate process on a free port, as a user starts it; stopped with SIGTERM.</summary>
internal sealed partial class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output;

    private ServeProcess(Process process, string address, List<string> output) => (_process, Address, _output) = (process, address, output);

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static ServeProcess Start(params string[] arguments) => StartAsWritten(["serve", "--port", "0", .. arguments]);

    /// <summary>`reasoner` with exactly these arguments (a serve command), waiting until it serves.</summary>
    public static ServeProcess StartAsWritten(string[] arguments)
    {
        var process = Process.Start(ReasonerProcess.StartInfo(arguments))!;
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (Serving().Match(line) is { Success: true } match)
            {
                started.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException("reasoner serve exited:\n" + string.Join('\n', lines)));
        process.EnableRaisingEvents = true;
        if (!started.Task.Wait(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("reasoner serve did not start:\n" + string.Join('\n', lines));
        }

        return new ServeProcess(process, started.Task.Result, lines);
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        Assert.True(_process.WaitForExit(timeout), "reasoner serve did not exit after SIGTERM");
        _process.WaitForExit(); // only the overload without a timeout waits for the output readers to reach the end
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"serving on (http://\S+?)/v1")]
    private static partial Regex Serving();
}
