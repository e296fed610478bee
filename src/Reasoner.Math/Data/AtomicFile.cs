// Files are written to a temporary name beside the target and renamed into place, so a crash never
// leaves a half-written dataset or card behind.
namespace Reasoner.Math.Data;

public static class AtomicFile
{
    /// <summary>Opens a temp file; call <see cref="Commit"/> after the stream is closed to move it into place.</summary>
    public static (FileStream Stream, string TempPath) Create(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        return (new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), temp);
    }

    public static void Commit(string tempPath, string path) => File.Move(tempPath, Path.GetFullPath(path), overwrite: true);

    public static void Abandon(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // best effort: a stray temp file is harmless and clearly named
        }
    }

    public static void WriteAllText(string path, string text)
    {
        var (stream, temp) = Create(path);
        try
        {
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                writer.Write(text);
            }

            Commit(temp, path);
        }
        catch
        {
            Abandon(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        var (stream, temp) = Create(path);
        try
        {
            using (stream)
            {
                stream.Write(bytes);
            }

            Commit(temp, path);
        }
        catch
        {
            Abandon(temp);
            throw;
        }
    }
}
