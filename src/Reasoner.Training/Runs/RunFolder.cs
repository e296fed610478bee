// A run folder: config.json (resolved config + seed), metrics.jsonl, TensorBoard events (tb/), checkpoints/
// (atomic, last K kept), plots (PNG) and report.md. Metrics are appended and flushed line by line, so a
// killed run keeps everything it logged.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace Reasoner.Training.Runs;

public sealed class RunFolder : IDisposable
{
    public const string MetricsFile = "metrics.jsonl";
    public const string ConfigFile = "config.json";
    public const string CheckpointFolder = "checkpoints";
    private readonly StreamWriter _metrics;
    private readonly SummaryWriter _tensorboard;
    private readonly NewPaths? _created;
    private int _rows;
    private bool _disposed;

    /// <param name="resume">
    /// False for a new run: refused when the folder already holds one (metrics.jsonl or a checkpoint), since a new
    /// run there would append to the old metrics and mix its checkpoints with the old ones (the newest by step
    /// could then be the old run's). True to continue the run that is there.
    /// </param>
    public RunFolder(string directory, bool resume)
    {
        Directory = Path.GetFullPath(directory);
        if (!resume)
        {
            RefuseIfUsed(directory);
            _created = new NewPaths(System.IO.Directory.Exists(Directory)
                ? [Path.Combine(Directory, ConfigFile), Path.Combine(Directory, MetricsFile), Path.Combine(Directory, "tb"), CheckpointRoot]
                : [Directory]);
        }

        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(CheckpointRoot);
        _metrics = new StreamWriter(new FileStream(Path.Combine(Directory, MetricsFile), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        _tensorboard = SummaryWriter(Path.Combine(Directory, "tb"));
    }

    public string Directory { get; }

    /// <summary>The default folder for a new run of this kind: runs/KIND-yyyyMMdd-HHmmss.</summary>
    public static string NewName(string kind) => Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{kind}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));

    public string CheckpointRoot => Path.Combine(Directory, CheckpointFolder);

    public void SaveConfig<T>(T config) => AtomicFile.WriteAllText(Path.Combine(Directory, ConfigFile), JsonSerializer.Serialize(config, JsonText.Indented) + "\n");

    /// <summary>Appends one JSON line and mirrors every number to TensorBoard under the same name.</summary>
    public void Log(int step, IReadOnlyDictionary<string, double> values, string kind = "train")
    {
        var line = new JsonObject { ["kind"] = kind, ["step"] = step };
        foreach (var (name, value) in values)
        {
            line[name] = double.IsFinite(value) ? value : null;
            if (double.IsFinite(value))
            {
                _tensorboard.add_scalar($"{kind}/{name}", (float)value, step);
            }
        }

        _metrics.WriteLine(line.ToJsonString(JsonText.Compact));
        _rows++;
    }

    /// <summary>
    /// For a new run that failed before it logged a row or saved a checkpoint: closes the folder and removes what this
    /// run created (the whole folder, when it did not exist before), so the same command can simply be run again.
    /// </summary>
    public void DiscardIfUnused()
    {
        if (_created is null || _rows > 0 || LatestCheckpoint() is not null)
        {
            return;
        }

        Dispose();
        _created.Discard();
    }

    /// <summary>checkpoints/checkpoint-STEP, as Hugging Face's Trainer names them (older runs' checkpoint-0000100 still load and order by step).</summary>
    public string CheckpointPath(int step) => Path.Combine(CheckpointRoot, string.Create(CultureInfo.InvariantCulture, $"checkpoint-{step}"));

    /// <summary>The newest complete checkpoint (renamed into place), or null.</summary>
    public string? LatestCheckpoint() => LatestCheckpointIn(Directory);

    /// <summary>The newest complete checkpoint of a run folder, without opening the run (no files are created).</summary>
    public static string? LatestCheckpointIn(string runDirectory) => CompleteCheckpoints(Path.Combine(runDirectory, CheckpointFolder)).LastOrDefault();

    public void PruneCheckpoints(int keep)
    {
        var all = CompleteCheckpoints(CheckpointRoot);
        foreach (var old in all.Take(System.Math.Max(0, all.Count - keep)))
        {
            System.IO.Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Throws when a new run may not start in <paramref name="directory"/>: it already holds metrics rows or a checkpoint.</summary>
    public static void RefuseIfUsed(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (HoldsRun(full))
        {
            throw new ArgumentException($"{full} already holds a run (metrics.jsonl rows or checkpoints); continue it with --resume {directory}, or choose another --out");
        }
    }

    /// <summary>Whether a folder holds a run: metrics rows or a complete checkpoint (an empty metrics.jsonl is no run).</summary>
    public static bool HoldsRun(string directory)
    {
        var metrics = Path.Combine(directory, MetricsFile);
        return (File.Exists(metrics) && File.ReadLines(metrics).Any(l => !string.IsNullOrWhiteSpace(l))) || LatestCheckpointIn(directory) is not null;
    }

    /// <summary>checkpoint-N folders in step order, leaving out unfinished *.tmp-PID ones.</summary>
    private static List<string> CompleteCheckpoints(string root) => System.IO.Directory.Exists(root)
        ? System.IO.Directory.GetDirectories(root, "checkpoint-*")
            .Select(d => (Path: d, Step: int.TryParse(Path.GetFileName(d)["checkpoint-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
            .Where(c => c.Step >= 0).OrderBy(c => c.Step).Select(c => c.Path).ToList()
        : [];

    /// <summary>Reads metrics.jsonl back: (kind, step, name → value) rows, for plots and reports.</summary>
    public static List<(string Kind, int Step, Dictionary<string, double> Values)> ReadMetrics(string directory)
    {
        var rows = new List<(string, int, Dictionary<string, double>)>();
        var path = Path.Combine(directory, MetricsFile);
        if (!File.Exists(path))
        {
            return rows;
        }

        foreach (var text in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var node = JsonNode.Parse(text)!.AsObject();
            var values = new Dictionary<string, double>();
            foreach (var (name, value) in node)
            {
                if (name is not ("kind" or "step") && value is JsonValue v && v.TryGetValue<double>(out var d))
                {
                    values[name] = d;
                }
            }

            rows.Add((node["kind"]!.GetValue<string>(), node["step"]!.GetValue<int>(), values));
        }

        return rows;
    }

    /// <summary>(step, value) points of one metric of one kind ("train", "eval"), from rows read by <see cref="ReadMetrics"/>.</summary>
    public static IReadOnlyList<(int Step, double Value)> Series(IEnumerable<(string Kind, int Step, Dictionary<string, double> Values)> rows, string kind, string name) =>
        rows.Where(r => r.Kind == kind && r.Values.ContainsKey(name)).Select(r => (r.Step, r.Values[name])).ToList();

    /// <summary>The same for a run folder's metrics.jsonl.</summary>
    public static IReadOnlyList<(int Step, double Value)> Series(string directory, string kind, string name) => Series(ReadMetrics(directory), kind, name);

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _metrics.Dispose(); // the TensorBoard writer appends each event as it is logged: nothing to close
        }
    }
}
