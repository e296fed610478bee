// reasoner check: scores one completion (from stdin or a file) with the same reward functions training uses.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Verification;

namespace Reasoner.Cli.Commands;

internal static class CheckCommand
{
    public static Command Create()
    {
        var answer = new Option<string>("--answer", "-a") { Description = "The gold answer, e.g. 1015, 19/12, 12.875.", Required = true };
        var file = new Option<string?>("--file", "-f") { Description = "Read the completion from this file instead of standard input." };
        var rewards = new Option<string>("--rewards") { Description = "Rewards and weights, e.g. accuracy:1,format:0.2,steps:0.2,length:0.1. Known: " + string.Join(", ", RewardSet.KnownNames), DefaultValueFactory = _ => "accuracy:1,format:0.2,steps:0.2" };
        var json = new Option<bool>("--json") { Description = "Print every reward and step count as one JSON object." };
        var command = new Command("check", "Score one completion: accuracy, format, step validity and the weighted total. Exit code 0 when the answer is right and every step re-checks (and the format holds, when format is among the rewards), 1 when the completion is wrong, 2 for bad input (a gold answer that is not a number, a missing file).") { answer, file, rewards, json };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var gold = result.GetValue(answer)!;
            if (!MathRewards.IsGold(gold, out var goldError)) // before reading the completion: a bad --answer is a usage error
            {
                throw new ArgumentException($"--answer: gold answer '{gold}' is not an exact number ({goldError}); write it as 1015, -3/4, 12.875, or x = 3, y = 2 for a system");
            }

            var path = result.GetValue(file);
            if (path is not null && !File.Exists(path))
            {
                throw new ArgumentException($"--file: {path} does not exist");
            }

            var completion = path is null ? Console.In.ReadToEnd() : File.ReadAllText(path);
            var options = VerifierOptions.Default;
            var set = RewardSet.Parse(result.GetValue(rewards)!, options);
            var input = RewardInput.ForAnswer(completion, gold);
            var score = set.Score(input);
            var steps = StepChecker.Check(completion, options);
            var extracted = AnswerExtractor.Extract(completion, options);
            var system = AnswerExtractor.ExtractSolution(completion, options);
            FormatChecker.IsWellFormed(completion, options, out var formatReason);
            var report = new Dictionary<string, object?>();
            foreach (var (name, value) in score.Values)
            {
                report[name] = value is { } v ? System.Math.Round(v, 6) : null; // 1.36, not 1.3599999999999999
            }

            report["total"] = System.Math.Round(score.Total, 6);
            report["extracted_answer"] = extracted.Success ? extracted.Text : system.Text;
            report["extraction_error"] = extracted.Success || system.Solution is not null ? null : extracted.Error;
            report["format_error"] = formatReason.Length == 0 ? null : formatReason;
            report["steps_found"] = steps.Found;
            report["steps_correct"] = steps.Correct;
            report["steps_wrong"] = steps.Wrong;
            report["steps_retracted"] = steps.Retracted;
            report["first_wrong_step"] = steps.FirstWrong?.Text;
            report["first_wrong_line"] = steps.FirstWrong?.Line;
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Reasoner.Math.Data.JsonText.Compact));
            }
            else
            {
                foreach (var (name, value) in report)
                {
                    Console.WriteLine($"{name,-18} {value switch { null => "-", double d => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), _ => value }}");
                }
            }

            bool right = new MathRewards(options).IsCorrect(completion, gold) && steps.Wrong == 0
                && (!score.Values.TryGetValue("format", out var format) || format == 1.0);
            return right ? 0 : 1;
        }));
        return command;
    }
}
