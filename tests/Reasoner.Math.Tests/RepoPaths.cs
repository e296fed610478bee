namespace Reasoner.Math.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Reasoner.slnx")))
            {
                return d;
            }
        }

        throw new InvalidOperationException($"no Reasoner.slnx above {AppContext.BaseDirectory}");
    }
}
