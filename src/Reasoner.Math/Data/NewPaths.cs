// The files and folders a command is about to create, so a run that fails before it has done anything can take them
// away again: rerunning the same command then starts clean instead of finding a "used" output that holds nothing.
namespace Reasoner.Math.Data;

public sealed class NewPaths
{
    private readonly List<string> _new;

    /// <summary>Notes which of these paths do not exist yet; only those are ever removed.</summary>
    public NewPaths(IEnumerable<string> paths) => _new = [.. paths.Select(Path.GetFullPath).Where(p => !File.Exists(p) && !Directory.Exists(p))];

    /// <summary>Removes what this command created among the paths (a folder with everything in it).</summary>
    public void Discard()
    {
        foreach (var path in _new)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
