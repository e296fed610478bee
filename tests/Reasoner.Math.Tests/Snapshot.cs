using System.Runtime.CompilerServices;

namespace Reasoner.Math.Tests;

/// <summary>
/// Compares text with a file under tests/Reasoner.Math.Tests/Snapshots. A missing snapshot fails the test
/// (so CI never passes on nothing); set UPDATE_SNAPSHOTS=1 to write the files after reviewing a change.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var root = FindProjectRoot(Path.GetDirectoryName(caller)!);
        var path = Path.Combine(root, "Snapshots", name + ".txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"snapshot {path} is missing; run with UPDATE_SNAPSHOTS=1 and review it");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal), actual);
    }

    private static string FindProjectRoot(string directory)
    {
        for (var d = directory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Reasoner.Math.Tests.csproj")))
            {
                return d;
            }
        }

        throw new InvalidOperationException($"no test project above {directory}");
    }
}
