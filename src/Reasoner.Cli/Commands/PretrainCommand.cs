// reasoner pretrain: a base model from a corpus that is not the target task's chain of thought
// (one-digit facts, small worked examples, copy/reverse/sort), trained with loss on every token.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Pretraining;
using Reasoner.Training.Runs;

namespace Reasoner.Cli.Commands;

internal static class PretrainCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<PretrainOptions>(new Dictionary<string, string[]> { ["time_budget_seconds"] = ["--time-budget"] });
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/pretrain-TIME); the corpus goes to RUN/data/." };
        var command = new Command("pretrain", "Build a base model: write the pretraining corpus, then train on every token.") { output };
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var runDir = result.GetValue(output) ?? RunFolder.NewName("pretrain");
            var config = Pretrainer.Config(runDir, flags.Apply(result, new PretrainOptions()));
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
