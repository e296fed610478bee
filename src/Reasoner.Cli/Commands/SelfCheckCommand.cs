// reasoner selfcheck: generates N items over every preset and style and re-verifies each; exit 1 on any failure.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Data;

namespace Reasoner.Cli.Commands;

internal static class SelfCheckCommand
{
    public static Command Create()
    {
        var items = new Option<long>("--items", "-n") { Description = "Number of items to generate and re-verify.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the run.", DefaultValueFactory = _ => 2026 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("selfcheck", "Generate items over every preset, style and option, and re-verify every answer and step.") { items, seed, json };
        command.SetAction(result => CliRunner.Run(() =>
        {
            long total = result.GetValue(items);
            if (total <= 0)
            {
                throw new ArgumentException($"--items must be positive, got {total}");
            }

            var report = ProgressDisplay.Run("selfcheck", total, progress => SelfCheck.Run(total, result.GetValue(seed), progress));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { verified = report.Verified, steps_checked = report.StepsChecked, presets = report.PresetsCovered, failures = report.Failures.Count, first_failures = report.Failures.Take(20) }, DatasetCard.Json));
            }
            else
            {
                foreach (var failure in report.Failures.Take(20))
                {
                    Console.WriteLine($"FAIL {failure}");
                }

                Console.WriteLine($"{report.Verified} items over {report.PresetsCovered} presets, {report.StepsChecked} steps re-checked: {report.Failures.Count} failures");
            }

            return report.Failures.Count == 0 ? 0 : 1;
        }));
        return command;
    }
}
