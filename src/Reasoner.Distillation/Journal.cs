// The output of a resumable run over problems: OUT holds the kept rows (JSONL), OUT.progress.jsonl one line per
// finished problem, OUT.rejected.jsonl what was thrown away and why, OUT.run.json the config. A problem's rows are
// appended and flushed before its progress line, so after a kill (SIGKILL included) the progress file says exactly
// which problems are done. Opening again drops what an unfinished problem left behind (rows, rejections, a torn last
// line), so a resumed run loses nothing and writes nothing twice. A different config for the same OUT is refused.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;

namespace Reasoner.Distillation;

public sealed class Journal : IDisposable
{
    public const string SourceField = "source_id";

    private readonly StreamWriter _rows;
    private readonly StreamWriter _rejected;
    private readonly StreamWriter _progress;
    private readonly Dictionary<string, JsonObject> _done;

    private Journal(string path, Dictionary<string, JsonObject> done)
    {
        (Path, _done) = (path, done);
        _rows = Append(path);
        _rejected = Append(RejectedPath(path));
        _progress = Append(ProgressPath(path));
    }

    public string Path { get; }

    /// <summary>Fields a resumed run may change: how the teacher is reached, not what is asked of it (each row names the teacher that wrote it).</summary>
    public static IReadOnlySet<string> Operational { get; } = new HashSet<string>(StringComparer.Ordinal) { "teacher", "concurrency", "timeout", "retries" };

    /// <summary>Finished problems by id, each with its progress line.</summary>
    public IReadOnlyDictionary<string, JsonObject> Done => _done;

    public static string ProgressPath(string path) => System.IO.Path.ChangeExtension(path, null) + ".progress.jsonl";

    public static string RejectedPath(string path) => System.IO.Path.ChangeExtension(path, null) + ".rejected.jsonl";

    public static string RunPath(string path) => System.IO.Path.ChangeExtension(path, null) + ".run.json";

    /// <summary>Starts a run at <paramref name="path"/>, or continues the one there when it has the same config.</summary>
    /// <param name="free">Config fields that may change between a run and its resumption (concurrency, timeouts).</param>
    public static Journal Open(string path, JsonObject config, string command, IReadOnlySet<string> free)
    {
        path = System.IO.Path.GetFullPath(path);
        var runPath = RunPath(path);
        bool started = File.Exists(ProgressPath(path)) && new FileInfo(ProgressPath(path)).Length > 0;
        if (File.Exists(runPath) && started)
        {
            var saved = JsonNode.Parse(File.ReadAllText(runPath))?["config"] as JsonObject
                ?? throw new InvalidDataException($"{runPath}: no 'config'; delete it and {path} to start over");
            if (Difference(saved, config, free) is { } field)
            {
                throw new ArgumentException($"{path} belongs to a {command} run with another config ({field}); use another --out, or delete {path}, {ProgressPath(path)} and {runPath} to start over");
            }
        }
        else if (!File.Exists(runPath) && (File.Exists(path) || File.Exists(ProgressPath(path))))
        {
            throw new ArgumentException($"{path} exists and is not the output of a {command} run (no {System.IO.Path.GetFileName(runPath)} beside it); choose another --out");
        }
        else
        {
            AtomicFile.WriteAllText(runPath, new JsonObject { ["command"] = command, ["config"] = config.DeepClone() }.ToJsonString(JsonText.Indented) + "\n");
        }

        var done = ReadProgress(ProgressPath(path));
        Tidy(path, done, checkCounts: true);
        Tidy(RejectedPath(path), done, checkCounts: false);
        return new Journal(path, done);
    }

    /// <summary>Writes one finished problem: its rows, its rejections, then the line that marks it done.</summary>
    public void Commit(string id, IReadOnlyList<JsonObject> rows, IReadOnlyList<JsonObject> rejected, JsonObject progress)
    {
        if (_done.ContainsKey(id))
        {
            throw new InvalidOperationException($"problem '{id}' was already written");
        }

        foreach (var row in rows)
        {
            row[SourceField] = id;
            _rows.Write(row.ToJsonString(Jsonl) + "\n");
        }

        foreach (var row in rejected)
        {
            row[SourceField] = id;
            _rejected.Write(row.ToJsonString(Jsonl) + "\n");
        }

        _rows.Flush();
        _rejected.Flush();
        progress["id"] = id;
        progress["rows"] = rows.Count;
        _progress.Write(progress.ToJsonString(Jsonl) + "\n");
        _progress.Flush();
        _done[id] = progress;
    }

    public static JsonSerializerOptions Jsonl => JsonText.Compact;

    private static string? Difference(JsonObject saved, JsonObject now, IReadOnlySet<string> free)
    {
        foreach (var name in saved.Select(p => p.Key).Union(now.Select(p => p.Key)).Where(n => !free.Contains(n)))
        {
            var (a, b) = (saved[name]?.ToJsonString() ?? "null", now[name]?.ToJsonString() ?? "null");
            if (a != b)
            {
                return $"{name}: {a} before, {b} now";
            }
        }

        return null;
    }

    private static Dictionary<string, JsonObject> ReadProgress(string path)
    {
        var done = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return done;
        }

        var lines = Lines(path, out bool torn);
        for (int i = 0; i < lines.Count; i++)
        {
            if (Parse(lines[i]) is not { } entry || entry["id"]?.GetValue<string>() is not { } id)
            {
                if (i == lines.Count - 1)
                {
                    torn = true; // the last line of a killed run
                    break;
                }

                throw new InvalidDataException($"{path}:{i + 1}: not a progress line; the file was edited. Delete it and the output to start over");
            }

            done[id] = entry;
        }

        if (torn)
        {
            AtomicFile.WriteAllText(path, string.Concat(done.Values.Select(e => e.ToJsonString(Jsonl) + "\n")));
        }

        return done;
    }

    /// <summary>Keeps the lines of finished problems (no more than each one's count of rows) and drops the rest.</summary>
    private static void Tidy(string path, Dictionary<string, JsonObject> done, bool checkCounts)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var lines = Lines(path, out bool torn);
        var kept = new StringBuilder();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        bool dropped = torn;
        foreach (var line in lines)
        {
            var id = Parse(line)?[SourceField]?.GetValue<string>();
            if (id is not null && done.TryGetValue(id, out var entry) && (!checkCounts || counts.GetValueOrDefault(id) < entry["rows"]!.GetValue<int>()))
            {
                counts[id] = counts.GetValueOrDefault(id) + 1;
                kept.Append(line).Append('\n');
            }
            else
            {
                dropped = true;
            }
        }

        if (checkCounts && done.FirstOrDefault(d => counts.GetValueOrDefault(d.Key) != d.Value["rows"]!.GetValue<int>()) is { Key: { } missing } gap)
        {
            throw new InvalidDataException($"{path}: problem '{missing}' is marked done with {gap.Value["rows"]} rows, but the file holds {counts.GetValueOrDefault(missing)}; the file was edited. Delete it and {ProgressPath(path)} to start over");
        }

        if (dropped)
        {
            AtomicFile.WriteAllText(path, kept.ToString());
        }
    }

    private static List<string> Lines(string path, out bool torn)
    {
        var text = File.ReadAllText(path);
        torn = text.Length > 0 && text[^1] != '\n';
        var lines = text.Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1); // empty after the last '\n', or the torn tail of a killed write
        return lines.Where(l => l.Length > 0).ToList();
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StreamWriter Append(string path) => new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));

    public void Dispose()
    {
        _rows.Dispose();
        _rejected.Dispose();
        _progress.Dispose();
    }
}
