// Independent oracles (Python's parser + sympy, PyTorch) as committed fixtures, and live when asked.
// By default a test compares with its fixture under tests/fixtures/, so the README's test command needs nothing but
// the .NET SDK. REASONER_LIVE_ORACLES=1 (.ci/run sets it) also runs the oracle script now and fails, never skips,
// when python3, sympy or torch is missing. REASONER_RECORD_ORACLES=1 rewrites the fixtures from the live oracle:
// scripts/record-oracle-fixtures.sh.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Reasoner.Math.Tests;

internal static class Oracles
{
    public const string LiveVariable = "REASONER_LIVE_ORACLES";
    public const string RecordVariable = "REASONER_RECORD_ORACLES";

    /// <summary>Run the oracle scripts now, beside the fixture comparison (recording implies it).</summary>
    public static bool Live => Environment.GetEnvironmentVariable(LiveVariable) == "1" || Record;

    /// <summary>Write the live oracle's output over the committed fixture.</summary>
    public static bool Record => Environment.GetEnvironmentVariable(RecordVariable) == "1";

    public static string FixturePath(string name) => Path.Combine(RepoPaths.Root, "tests", "fixtures", name);

    /// <summary>Debian's python3-torch lives in the system interpreter, which may not be the python3 first on PATH.</summary>
    public static string SystemPython => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs a script under scripts/ and returns its standard output; fails the test with its stderr and a hint.</summary>
    public static string RunScript(string python, string script, IEnumerable<string> arguments, string? stdin, string hint)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{LiveVariable}=1 needs {python}: {hint}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }

            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{script} failed ({hint}): {error.Result}");
            return output.Result;
        }
    }

    /// <summary>What produced a fixture: the recording script, the oracle script, the module's version and the date.</summary>
    public static JsonObject Provenance(string python, string script, string module)
    {
        var version = RunInline(python, $"import {module}; print({module}.__version__)");
        return new JsonObject
        {
            ["produced_by"] = "scripts/record-oracle-fixtures.sh",
            ["oracle_script"] = $"scripts/{script}",
            [$"{module}_version"] = version,
            ["python_version"] = RunInline(python, "import platform; print(platform.python_version())"),
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    private static string RunInline(string python, string code)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
