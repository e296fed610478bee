// PNG plots from metrics.jsonl (ScottPlot renders headless).
namespace Reasoner.Training.Runs;

public static class Plots
{
    /// <summary>One line per (label, metric kind, metric name) series, against step.</summary>
    public static void Lines(string path, string title, string yLabel, IEnumerable<(string Label, IReadOnlyList<(int Step, double Value)> Points)> series)
    {
        var plot = new ScottPlot.Plot();
        int count = 0;
        foreach (var (label, points) in series)
        {
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
            line.LegendText = label;
            count++;
        }

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        if (count > 1)
        {
            plot.ShowLegend();
        }

        plot.SavePng(path, 900, 500);
    }

    /// <summary>loss.png and accuracy.png for one run folder.</summary>
    public static void ForRun(string directory)
    {
        var rows = RunFolder.ReadMetrics(directory);
        IReadOnlyList<(int, double)> Series(string kind, string name) => RunFolder.Series(rows, kind, name);
        Lines(Path.Combine(directory, "loss.png"), "training loss", "loss", [("train", Series("train", "loss"))]);
        var accuracy = Series("eval", "accuracy");
        if (accuracy.Count > 0)
        {
            Lines(Path.Combine(directory, "accuracy.png"), "held-out exact match (greedy)", "accuracy", [("eval", accuracy)]);
        }
    }
}
