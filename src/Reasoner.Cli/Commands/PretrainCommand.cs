// reasoner pretrain: a base model from a corpus that is not the target task's chain of thought
// (one-digit facts, small worked examples, copy/reverse/sort), trained with loss on every token.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Pretraining;
using Reasoner.Training.Training;

namespace Reasoner.Cli.Commands;

internal static class PretrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Size preset (nano, micro, mini) or a config.json.", DefaultValueFactory = _ => "nano" };
        var count = new Option<int>("--count") { Description = "Corpus rows.", DefaultValueFactory = _ => 20_000 };
        var steps = new Option<int>("--max-steps") { Description = "Optimizer steps (0: until --time-budget).", DefaultValueFactory = _ => 0 };
        var budget = new Option<double>("--time-budget") { Description = "Wall-clock seconds.", DefaultValueFactory = _ => 300 };
        var seed = new Option<long>("--seed") { Description = "Seed for the corpus, initialisation and data order.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/pretrain-TIME); the corpus goes to RUN/data/." };
        var command = new Command("pretrain", "Build a base model: write the pretraining corpus, then train on every token.") { model, count, steps, budget, seed, output };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var runDir = result.GetValue(output) ?? Path.Combine("runs", $"pretrain-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            var config = Pretrainer.Config(runDir, result.GetValue(model)!, result.GetValue(count), result.GetValue(seed), result.GetValue(steps), result.GetValue(budget));
            bool byTime = config.Train.MaxSteps == 0;
            var outcome = TrainingProgress.Run(
                ["pretrain"],
                p => byTime ? p.ElapsedSeconds : p.Step,
                byTime ? config.Train.TimeBudgetSeconds : config.Train.MaxSteps,
                report => Pretrainer.Run(config, runDir, p => report("pretrain", p)));
            Console.WriteLine(FormattableString.Invariant($"pretrained {outcome.Steps} steps in {outcome.ElapsedSeconds:F0} s: final loss {outcome.FinalLoss:F4}; base checkpoint {outcome.FinalCheckpoint}"));
            return 0;
        }));
        return command;
    }
}
