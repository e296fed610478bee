// reasoner train: SFT or pretraining on a JSONL dataset into a run folder; --resume continues a killed run.
// Every TrainConfig field is a flag (ConfigFlags); --config FILE supplies a whole config and flags beside it override it.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<TrainConfig>(new Dictionary<string, string[]>
        {
            ["learning_rate"] = ["--lr"], ["time_budget_seconds"] = ["--time-budget"], ["lora.target_modules"] = ["--lora-targets"], ["kd.teacher"] = ["--teacher"],
        });
        var run = new RunOptions("train");
        var command = new Command("train", "Train a model (SFT or pretraining) into a run folder with metrics, plots and checkpoints.");
        run.AddTo(command, flags.Options);
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var (config, runDir, resume) = run.Resolve(result, flags);
            config = config.Resolved().Validate();
            bool byTime = config.MaxSteps == 0;
            var outcome = TrainingProgress.Run(
                ["train"],
                p => byTime ? p.ElapsedSeconds : p.Step,
                byTime ? config.TimeBudgetSeconds : config.MaxSteps,
                report => SftTrainer.Run(config, runDir, resume, progress: p => report("train", p)));
            if (outcome.DroppedTooLong > 0)
            {
                Console.Error.WriteLine(FormattableString.Invariant($"warning: {outcome.DroppedTooLong} of {outcome.DroppedTooLong + outcome.Rows} training rows were longer than max_seq_len {config.MaxSeqLen} tokens and were left out; the model never saw them, so it will not finish problems that long. Raise --max-seq-len (and the model's max_position_embeddings) to keep them."));
            }

            Console.WriteLine(FormattableString.Invariant($"trained {outcome.Steps} steps in {outcome.ElapsedSeconds:F0} s: final loss {outcome.FinalLoss:F4}{(outcome.EvalAccuracy is { } acc ? $", held-out accuracy {acc:P1}" : string.Empty)}; run folder {outcome.RunDirectory}"));
            return 0;
        }));
        return command;
    }
}
