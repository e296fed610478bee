// /reasoner/runs: the run folders under --runs DIR (any folder, up to three levels down, with a metrics.jsonl), read
// only: the last metrics, the plots, and sample completions with their verdicts. Only folders found by that walk and
// plain *.png names inside them can be read; every other path is 404.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reasoner.Serving.Api;

namespace Reasoner.Serving.Playground;

public static class RunsEndpoints
{
    private const int MaxDepth = 3;
    private const int SampleRows = 20;

    public static void Map(WebApplication app, ServerState state)
    {
        app.MapGet("/reasoner/runs", () => Results.Text(new JsonArray(Runs(Root(state)).Select(r => (JsonNode)Summary(Root(state), r)).ToArray()).ToJsonString(ServingJson.Options), "application/json"));
        app.MapGet("/reasoner/run", (string name) => Results.Text(Details(Root(state), Find(state, name)).ToJsonString(ServingJson.Options), "application/json"));
        app.MapGet("/reasoner/run/plot", (string name, string file) =>
        {
            var folder = Find(state, name);
            if (file != Path.GetFileName(file) || !file.EndsWith(".png", StringComparison.Ordinal) || !File.Exists(Path.Combine(folder, file)))
            {
                throw new ApiException(404, $"no plot '{file}' in run '{name}'");
            }

            return Results.File(Path.Combine(folder, file), "image/png");
        });
    }

    private static string Root(ServerState state) =>
        state.Options.RunsRoot is { } root ? Path.GetFullPath(root) : throw new ApiException(404, "no runs folder: start the server with --runs DIR", code: "no_runs");

    /// <summary>Run folders under root, as full paths.</summary>
    private static List<string> Runs(string root)
    {
        var runs = new List<string>();
        void Walk(string folder, int depth)
        {
            if (File.Exists(Path.Combine(folder, "metrics.jsonl")))
            {
                runs.Add(folder);
            }

            if (depth < MaxDepth)
            {
                foreach (var child in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
                {
                    if (!Path.GetFileName(child).StartsWith('.') && (File.GetAttributes(child) & FileAttributes.ReparsePoint) == 0)
                    {
                        Walk(child, depth + 1);
                    }
                }
            }
        }

        Walk(root, 0);
        return runs;
    }

    private static string Find(ServerState state, string name)
    {
        var root = Root(state);
        return Runs(root).FirstOrDefault(r => Name(root, r) == name) ?? throw new ApiException(404, $"no run '{name}' under the runs folder");
    }

    private static string Name(string root, string folder) => Path.GetRelativePath(root, folder).Replace('\\', '/');

    private static JsonObject Summary(string root, string folder)
    {
        var last = LastLines(Path.Combine(folder, "metrics.jsonl"), 1).FirstOrDefault();
        return new JsonObject
        {
            ["name"] = Name(root, folder),
            ["modified"] = File.GetLastWriteTimeUtc(Path.Combine(folder, "metrics.jsonl")).ToString("O"),
            ["last_metrics"] = last,
            ["plots"] = new JsonArray(Plots(folder).Select(p => (JsonNode)p).ToArray()),
        };
    }

    private static JsonObject Details(string root, string folder)
    {
        var summary = Summary(root, folder);
        summary["recent_metrics"] = new JsonArray(LastLines(Path.Combine(folder, "metrics.jsonl"), 10).Select(n => (JsonNode?)n).ToArray());
        var samples = new[] { "eval.samples.jsonl", "completions.jsonl" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);
        summary["samples_file"] = samples is null ? null : Path.GetFileName(samples);
        summary["samples"] = new JsonArray(samples is null ? [] : FirstLines(samples, SampleRows).Select(n => (JsonNode?)n).ToArray());
        return summary;
    }

    private static IEnumerable<string> Plots(string folder) =>
        Directory.EnumerateFiles(folder, "*.png").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private static List<JsonNode> FirstLines(string path, int count) =>
        File.ReadLines(path).Take(count).Select(Parse).OfType<JsonNode>().ToList();

    /// <summary>The last lines of a (possibly large) JSONL file, reading only its end.</summary>
    private static List<JsonNode> LastLines(string path, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = System.Math.Max(0, stream.Length - (64 * 1024));
        stream.Seek(start, SeekOrigin.Begin);
        var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(start > 0 ? 1 : 0).TakeLast(count).Select(Parse).OfType<JsonNode>().ToList();
    }

    private static JsonNode? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return null; // a line being written right now
        }
    }
}
