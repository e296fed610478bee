// reasoner verify: re-verifies every row of a dataset from its text alone; exit 1 if any is wrong.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Verification;

namespace Reasoner.Cli.Commands;

internal static class VerifyCommand
{
    private const int MaxListedFailures = 20;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "JSONL dataset (messages or prompt/completion rows with an 'answer' field)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("verify", "Re-verify every completion in a dataset: answer, format and every step.") { file, json };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var path = result.GetValue(file)!;
            var rewards = new MathRewards(VerifierOptions.Default);
            long rows = 0, failed = 0;
            var failures = new List<(string Id, string Reason)>();
            long total = File.Exists(path) ? File.ReadLines(path).LongCount(l => !string.IsNullOrWhiteSpace(l)) : 0;
            ProgressDisplay.Run("verify", System.Math.Max(total, 1), report =>
            {
                foreach (var record in DatasetReader.Read(path, exactAnswers: true))
                {
                    rows++;
                    var failure = ExampleVerifier.Verify(record, rewards);
                    if (failure is not null)
                    {
                        failed++;
                        if (failures.Count < MaxListedFailures)
                        {
                            failures.Add((record.Id, failure));
                        }
                    }

                    report(rows);
                }

                return rows;
            });

            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { file = path, rows, verified = rows - failed, failed, failures = failures.Select(f => new { id = f.Id, reason = f.Reason }) }, DatasetCard.Json));
            }
            else
            {
                foreach (var failure in failures)
                {
                    Console.WriteLine($"FAIL {failure.Id}: {failure.Reason}");
                }

                Console.WriteLine($"{path}: {rows - failed}/{rows} rows verify, {failed} fail");
            }

            return failed == 0 && rows > 0 ? 0 : 1;
        }));
        return command;
    }
}
