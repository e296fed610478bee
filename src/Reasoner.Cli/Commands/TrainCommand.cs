// reasoner train: SFT or pretraining on a JSONL dataset into a run folder; --resume continues a killed run.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Model.Runtime;
using Reasoner.Training.Training;

namespace Reasoner.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Training JSONL (from `reasoner generate`)." };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out JSONL scored by the verifier during training." };
        var model = new Option<string>("--model") { Description = "Size preset (nano, micro, mini) or a config.json.", DefaultValueFactory = _ => "nano" };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from this checkpoint or run (fine-tuning)." };
        var mode = new Option<string>("--mode") { Description = "sft (loss on completions) or pretrain (loss on everything).", DefaultValueFactory = _ => "sft" };
        var steps = new Option<int>("--max-steps") { Description = "Optimizer steps (0: until --time-budget).", DefaultValueFactory = _ => 1_000 };
        var budget = new Option<double>("--time-budget") { Description = "Wall-clock seconds (0: none)." };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 3e-3 };
        var batch = new Option<int>("--batch-tokens") { Description = "Tokens per micro-batch.", DefaultValueFactory = _ => 8_192 };
        var accum = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed for initialisation and data order.", DefaultValueFactory = _ => 1 };
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 100 };
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 (bf16 compute, fp32 master weights and optimizer).", DefaultValueFactory = _ => "fp32" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => 1 };
        var config = new Option<string?>("--config") { Description = "A JSON file with every option (train config.json shape); flags are ignored." };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/train-TIME)." };
        var resume = new Option<string?>("--resume") { Description = "Continue this run folder from its last checkpoint, with its saved config." };
        var command = new Command("train", "Train a model (SFT or pretraining) into a run folder with metrics, plots and checkpoints.")
        {
            data, evalData, model, initFrom, mode, steps, budget, lr, batch, accum, seed, every, precision, threads, config, output, resume,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var resumeDir = result.GetValue(resume);
            TrainConfig train;
            string runDir;
            if (resumeDir is not null)
            {
                train = JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(Path.Combine(resumeDir, "config.json")))!;
                runDir = resumeDir;
            }
            else if (result.GetValue(config) is { } file)
            {
                train = JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(file)) ?? throw new ArgumentException($"{file}: empty");
                train = train with { InitFrom = train.InitFrom is { } init ? ModelPaths.Resolve(init) : null }; // a run folder means its last checkpoint, as with --init-from
                runDir = result.GetValue(output) ?? Path.Combine("runs", $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            }
            else
            {
                train = new TrainConfig
                {
                    Data = result.GetValue(data) ?? throw new ArgumentException("--data is required (or --config / --resume)"),
                    EvalData = result.GetValue(evalData),
                    Model = result.GetValue(model)!,
                    InitFrom = result.GetValue(initFrom) is { } init ? ModelPaths.Resolve(init) : null,
                    Mode = CliRunner.ParseEnum<TrainMode>(result.GetValue(mode)!, "--mode"),
                    MaxSteps = result.GetValue(steps),
                    TimeBudgetSeconds = result.GetValue(budget),
                    LearningRate = result.GetValue(lr),
                    BatchTokens = result.GetValue(batch),
                    GradAccum = result.GetValue(accum),
                    Seed = result.GetValue(seed),
                    CheckpointEvery = result.GetValue(every),
                    Threads = result.GetValue(threads),
                    Precision = CliRunner.ParseEnum<Precision>(result.GetValue(precision)!, "--precision"),
                };
                runDir = result.GetValue(output) ?? Path.Combine("runs", $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            }

            train.Validate();
            bool byTime = train.MaxSteps == 0;
            var outcome = TrainingProgress.Run(
                ["train"],
                p => byTime ? p.ElapsedSeconds : p.Step,
                byTime ? train.TimeBudgetSeconds : train.MaxSteps,
                report => Trainer.Run(train, runDir, resume: resumeDir is not null, progress: p => report("train", p)));
            Console.WriteLine(FormattableString.Invariant($"trained {outcome.Steps} steps in {outcome.ElapsedSeconds:F0} s: final loss {outcome.FinalLoss:F4}{(outcome.EvalAccuracy is { } acc ? $", held-out accuracy {acc:P1}" : string.Empty)}; run folder {outcome.RunDirectory}"));
            return 0;
        }));
        return command;
    }
}
