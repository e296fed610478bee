// reasoner grpo: reinforcement learning with verifier rewards from a base (R1-Zero) or SFT (R1) checkpoint.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Model.Runtime;
using Reasoner.Training.Grpo;

namespace Reasoner.Cli.Commands;

internal static class GrpoCommand
{
    public static Command Create()
    {
        var initFrom = new Option<string?>("--init-from") { Description = "Starting checkpoint or run folder: a base model (R1-Zero) or an SFT model (R1)." };
        var data = new Option<string?>("--data") { Description = "Prompts with gold answers (JSONL from `reasoner generate`)." };
        var levels = new Option<string?>("--curriculum") { Description = "Instead of --data: preset levels, easiest first, e.g. demo-add,demo-sub,demo-mul." };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out JSONL scored (greedy) every --eval-every steps." };
        var steps = new Option<int>("--max-steps") { Description = "GRPO steps, one rollout batch each (0: until --time-budget).", DefaultValueFactory = _ => 200 };
        var budget = new Option<double>("--time-budget") { Description = "Wall-clock seconds (0: none)." };
        var prompts = new Option<int>("--prompts") { Description = "P: prompts per step.", DefaultValueFactory = _ => 8 };
        var generations = new Option<int>("--generations", "-G") { Description = "G: completions per prompt.", DefaultValueFactory = _ => 8 };
        var rewards = new Option<string>("--rewards") { Description = "Reward functions with weights: accuracy, format, steps, length.", DefaultValueFactory = _ => "accuracy:1,format:0.1" };
        var beta = new Option<double>("--beta") { Description = "KL weight to the starting model (0: no reference model)." };
        var loss = new Option<string>("--loss-type") { Description = "grpo, bnpo, dapo or dr_grpo.", DefaultValueFactory = _ => "dapo" };
        var scale = new Option<string>("--scale-rewards") { Description = "group, batch or none.", DefaultValueFactory = _ => "group" };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 3e-5 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature for rollouts.", DefaultValueFactory = _ => 1.0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest completion; longer ones are truncated (and logged).", DefaultValueFactory = _ => 512 };
        var iterations = new Option<int>("--num-iterations") { Description = "mu: optimisation passes per rollout batch.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed for prompts and sampling.", DefaultValueFactory = _ => 1 };
        var config = new Option<string?>("--config") { Description = "A JSON file with every option (the run's config.json shape); flags are ignored." };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/grpo-TIME)." };
        var resume = new Option<string?>("--resume") { Description = "Continue this run folder from its last checkpoint, with its saved config." };
        var command = new Command("grpo", "Reinforcement learning with verifier rewards (GRPO), from a base or SFT checkpoint.")
        {
            initFrom, data, levels, evalData, steps, budget, prompts, generations, rewards, beta, loss, scale, lr, temperature, maxNew, iterations, seed, config, output, resume,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var resumeDir = result.GetValue(resume);
            GrpoConfig grpo;
            string runDir = resumeDir ?? result.GetValue(output) ?? Path.Combine("runs", $"grpo-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            if (resumeDir is not null || result.GetValue(config) is not null)
            {
                var file = resumeDir is not null ? Path.Combine(resumeDir, "config.json") : result.GetValue(config)!;
                grpo = JsonSerializer.Deserialize<GrpoConfig>(File.ReadAllText(file)) ?? throw new ArgumentException($"{file}: empty");
            }
            else
            {
                grpo = new GrpoConfig
                {
                    InitFrom = result.GetValue(initFrom) is { } init ? ModelPaths.Resolve(init) : throw new ArgumentException("--init-from is required (or --config / --resume)"),
                    Data = result.GetValue(data),
                    Curriculum = result.GetValue(levels) is { } list ? new CurriculumConfig { Levels = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) } : null,
                    EvalData = result.GetValue(evalData),
                    MaxSteps = result.GetValue(steps),
                    TimeBudgetSeconds = result.GetValue(budget),
                    PromptsPerStep = result.GetValue(prompts),
                    NumGenerations = result.GetValue(generations),
                    MicroBatchRows = result.GetValue(prompts) * result.GetValue(generations),
                    Rewards = result.GetValue(rewards)!,
                    Beta = result.GetValue(beta),
                    LossType = CliRunner.ParseEnum<LossAggregation>(result.GetValue(loss)!, "--loss-type"),
                    ScaleRewards = CliRunner.ParseEnum<RewardScaling>(result.GetValue(scale)!, "--scale-rewards"),
                    LearningRate = result.GetValue(lr),
                    Temperature = result.GetValue(temperature),
                    MaxNewTokens = result.GetValue(maxNew),
                    NumIterations = result.GetValue(iterations),
                    Seed = result.GetValue(seed),
                };
            }

            grpo.Validate();
            bool byTime = grpo.MaxSteps == 0;
            var outcome = TrainingProgress.Run<GrpoProgress, GrpoResult>(
                ["grpo"],
                p => byTime ? p.ElapsedSeconds : p.Step,
                byTime ? grpo.TimeBudgetSeconds : grpo.MaxSteps,
                Describe,
                report => GrpoTrainer.Run(grpo, runDir, resume: resumeDir is not null, progress: p => report("grpo", p)));
            Console.WriteLine(FormattableString.Invariant($"GRPO {outcome.Steps} steps in {outcome.ElapsedSeconds:F0} s: last reward {outcome.LastRewardMean:F3}{(outcome.EvalAccuracy is { } acc ? $", held-out accuracy {acc:P1}" : string.Empty)}; run folder {outcome.RunDirectory}"));
            return 0;
        }));
        return command;
    }

    private static string Describe(GrpoProgress p) => FormattableString.Invariant(
        $"step {p.Step,4}{(p.MaxSteps > 0 ? $"/{p.MaxSteps}" : string.Empty)}  reward {p.RewardMean:F3}  acc {p.Accuracy:P0}  {p.Level}  gen {p.GenerationSeconds:F1} s  train {p.TrainingSeconds:F1} s  {p.ElapsedSeconds,4:F0} s{(p.EvalAccuracy is { } a ? $"  held-out acc {a:P0}" : string.Empty)}");
}
