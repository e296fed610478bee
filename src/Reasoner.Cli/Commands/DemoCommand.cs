// reasoner demo: answer-only vs chain-of-thought training on this machine, compared on held-out problems.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Demo;
using Spectre.Console;

namespace Reasoner.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Smoke test: small data, 35 s of training per model (about 2 minutes in all)." };
        var budget = new Option<double?>("--budget") { Description = "Training seconds per model (default 420; both train at once, one core each)." };
        var output = new Option<string?>("--out", "-o") { Description = "Report folder (default runs/demo-TIME)." };
        var model = new Option<string>("--model") { Description = "Model size preset.", DefaultValueFactory = _ => "nano" };
        var precision = new Option<string>("--precision") { Description = "fp32 or bf16 training.", DefaultValueFactory = _ => "fp32" };
        var padWidth = new Option<int>("--pad-width") { Description = "Zero-pad the chain of thought's column work to this many digits (0 = off).", DefaultValueFactory = _ => 3 };
        var trainCount = new Option<int?>("--train-count") { Description = "Training problems (default 20,000)." };
        var command = new Command("demo", "Train answer-only vs chain-of-thought models for the same budget and compare them.") { quick, budget, output, model, precision, padWidth, trainCount };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var options = result.GetValue(quick) ? DemoOptions.Quick(result.GetValue(output)) : new DemoOptions();
            if (result.GetValue(output) is { } dir)
            {
                options = options with { OutDirectory = dir };
            }

            if (result.GetValue(budget) is { } seconds)
            {
                options = options with { BudgetSeconds = seconds };
            }

            options = options with { Model = result.GetValue(model)!, Precision = CliRunner.ParseEnum<Reasoner.Training.Training.Precision>(result.GetValue(precision)!, "--precision"), PadWidth = result.GetValue(padWidth) };
            if (result.GetValue(trainCount) is { } n)
            {
                options = options with { TrainCount = n };
            }
            Console.WriteLine($"Reasoner demo: about {options.BudgetSeconds + 30 + (options.TestCount / 3.0):F0} s on this machine (data, {options.BudgetSeconds:F0} s of training, evaluation).");
            var demo = TrainingProgress.Run(
                ["answer-only", "cot"],
                p => p.ElapsedSeconds,
                options.BudgetSeconds,
                report => DemoRunner.Run(options, report, AnsiConsole.WriteLine));
            Console.WriteLine();
            Console.WriteLine(demo.Table);
            Console.WriteLine($"report: {Path.Combine(demo.OutDirectory, "report.md")}");
            return 0;
        }));
        return command;
    }
}
