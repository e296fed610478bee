// `reasoner eval --suite general`: the general-skills suite on one model, printed as a table and saved as
// eval-general.json (with every completion) beside the checkpoint or at --out.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;

namespace Reasoner.Cli.Commands;

internal static class GeneralEval
{
    public static int Run(string checkpoint, int perTask, string? output, bool json, string? chat)
    {
        if (perTask < 1)
        {
            throw new ArgumentException("--per-task must be >= 1");
        }

        var (network, tokenizer) = Checkpoint.Load(checkpoint, chat is { } format ? ChatFormats.Named(format) : null);
        using (network)
        {
            var report = GeneralSuite.Run(network, tokenizer, perTask);
            var record = new JsonObject
            {
                ["suite"] = "general", ["model"] = Path.GetFullPath(checkpoint), ["items"] = report.Items, ["accuracy"] = report.Accuracy,
                ["by_task"] = new JsonObject(report.ByTask.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
                ["samples"] = new JsonArray([.. report.Samples.Select(s => (JsonNode)new JsonObject { ["task"] = s.Item.Task, ["prompt"] = s.Item.Prompt, ["expected"] = s.Item.Expected, ["completion"] = s.Completion, ["correct"] = s.Correct })]),
            };
            var path = Reasoner.Training.Evaluation.EvalPaths.For(checkpoint, output, "eval-general");
            var text = record.ToJsonString(Reasoner.Math.Data.JsonText.Indented);
            AtomicFile.WriteAllText(path, text + "\n");
            if (json)
            {
                Console.WriteLine(text);
                return 0;
            }

            Console.WriteLine("| task | items | exact |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var (task, accuracy) in report.ByTask)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {task} | {perTask} | {accuracy:P1} |"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **all** | {report.Items} | **{report.Accuracy:P1}** |\nwrote {path}"));
            return 0;
        }
    }
}
