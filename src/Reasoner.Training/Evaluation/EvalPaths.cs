// Where an evaluation's report goes: where --out says (never over an earlier report), else beside the run the model
// belongs to, as RUN/eval/eval-TIME.json, or under runs/eval/ for a model that is no run of ours. Never inside a
// checkpoint: that folder is what a user shares, serves or exports, and an earlier result there would be overwritten.
using System.Globalization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Evaluation;

public static class EvalPaths
{
    /// <param name="checkpoint">The resolved model folder.</param>
    /// <param name="output">--out, or null.</param>
    /// <param name="kind">The file's name stem: eval, eval-general.</param>
    public static string For(string checkpoint, string? output, string kind = "eval")
    {
        if (output is not null)
        {
            return File.Exists(output)
                ? throw new ArgumentException($"--out: {output} already holds a result; choose another path, or delete it first")
                : output;
        }

        var run = CheckpointPaths.RunOf(checkpoint);
        var folder = run is not null ? Path.Combine(run, "eval") : Path.Combine("runs", "eval");
        var stem = run is not null ? kind : $"{kind}-{Path.GetFileName(Path.GetFullPath(checkpoint).TrimEnd(Path.DirectorySeparatorChar))}";
        var stamp = string.Create(CultureInfo.InvariantCulture, $"{stem}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var path = Path.Combine(folder, stamp + ".json");
        for (int n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stamp}-{n}.json"));
        }

        return path;
    }
}
