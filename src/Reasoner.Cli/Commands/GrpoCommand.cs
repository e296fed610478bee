// reasoner grpo: reinforcement learning with verifier rewards from a base (R1-Zero) or SFT (R1) checkpoint.
// Every GrpoConfig field is a flag (ConfigFlags); --config FILE supplies a whole config and flags beside it override it.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Grpo;

namespace Reasoner.Cli.Commands;

internal static class GrpoCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<GrpoConfig>(new Dictionary<string, string[]>
        {
            ["prompts_per_step"] = ["--prompts"], ["num_generations"] = ["--generations", "-G"], ["learning_rate"] = ["--lr"],
            ["time_budget_seconds"] = ["--time-budget"], ["curriculum.levels"] = ["--curriculum"], ["lora.target_modules"] = ["--lora-targets"],
        });
        var run = new RunOptions("grpo");
        var command = new Command("grpo", "Reinforcement learning with verifier rewards (GRPO), from a base or SFT checkpoint.");
        run.AddTo(command, flags.Options);
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var (config, runDir, resume) = run.Resolve(result, flags);
            config = config.Resolved().Validate();
            bool byTime = config.MaxSteps == 0;
            var outcome = TrainingProgress.Run<GrpoProgress, GrpoResult>(
                ["grpo"],
                p => byTime ? p.ElapsedSeconds : p.Step,
                byTime ? config.TimeBudgetSeconds : config.MaxSteps,
                Describe,
                report => GrpoTrainer.Run(config, runDir, resume, progress: p => report("grpo", p)));
            Console.WriteLine(FormattableString.Invariant($"GRPO {outcome.Steps} steps in {outcome.ElapsedSeconds:F0} s: last reward {outcome.LastRewardMean:F3}{(outcome.EvalAccuracy is { } acc ? $", held-out accuracy {acc:P1}" : string.Empty)}; run folder {outcome.RunDirectory}"));
            return 0;
        }));
        return command;
    }

    private static string Describe(GrpoProgress p) => FormattableString.Invariant(
        $"step {p.Step,4}{(p.MaxSteps > 0 ? $"/{p.MaxSteps}" : string.Empty)}  reward {p.RewardMean:F3}  acc {p.Accuracy:P0}  {p.Level}  gen {p.GenerationSeconds:F1} s  train {p.TrainingSeconds:F1} s  {p.ElapsedSeconds,4:F0} s{(p.EvalAccuracy is { } a ? $"  held-out acc {a:P0}" : string.Empty)}");
}
