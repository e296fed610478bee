// reasoner demo: answer-only vs chain-of-thought training on this machine, compared on held-out problems.
using System.CommandLine;
using Reasoner.Training.Optimization;
using Reasoner.Model.Runtime;
using Reasoner.Training.Demo;
using Reasoner.Training.Grpo;
using Reasoner.Training.Sft;
using Spectre.Console;

namespace Reasoner.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new StagesOptions(); // help texts quote the real defaults
        var demoDefaults = new DemoOptions();
        var quickDefaults = DemoOptions.Quick(null);
        var quick = new Option<bool>("--quick") { Description = $"Smoke test: {quickDefaults.TrainCount:N0} training and {quickDefaults.TestCount} held-out problems, {quickDefaults.BudgetSeconds:F0} s of training per model (about 2 minutes in all)." };
        var budget = new Option<double?>("--budget") { Description = $"Training seconds per model (default {demoDefaults.BudgetSeconds:F0}, {defaults.Demo.BudgetSeconds:F0} with --stages all; both train at once, one core each)." };
        var output = new Option<string?>("--out", "-o") { Description = "Report folder (default runs/demo-TIME)." };
        var model = new Option<string>("--model") { Description = "Model size preset.", DefaultValueFactory = _ => "nano" };
        var precision = new Option<string>("--precision") { Description = "fp32 or bf16 training.", DefaultValueFactory = _ => "fp32" };
        var padWidth = new Option<int>("--pad-width") { Description = "Zero-pad the chain of thought's column work to this many digits (0 = off).", DefaultValueFactory = _ => demoDefaults.PadWidth };
        var terse = new Option<bool>("--terse") { Description = "Terse chain of thought: column lines without the digit/carry/borrow words (about half the characters); --terse false writes them.", DefaultValueFactory = _ => true };
        var compact = new Option<bool>("--compact") { Description = "Compact chain of thought (7+8+1=16, 8*4=32,32+2=34, 474-405=069): about 60 % of the terse tokens; --compact false writes the terse layout.", DefaultValueFactory = _ => true };
        var presets = new Option<string>("--presets") { Description = "Comma-separated presets for the problems (see `reasoner presets`).", DefaultValueFactory = _ => DemoOptions.DefaultPresets };
        var trainCount = new Option<int?>("--train-count") { Description = $"Training problems (default {demoDefaults.TrainCount:N0})." };
        var stages = new Option<string>("--stages") { Description = "cot: answer-only vs CoT SFT (about 10 minutes). all: base, answer-only SFT, CoT SFT, CoT SFT + GRPO (R1) and R1-Zero (about 20 minutes).", DefaultValueFactory = _ => "cot" };
        var baseBudget = new Option<double?>("--base-budget") { Description = $"Pretrain a shared base model for this many seconds first, then fine-tune both from it (default {demoDefaults.BaseSeconds:F0}: both from scratch; {defaults.Demo.BaseSeconds:F0} with --stages all)." };
        var seed = new Option<long?>("--seed") { Description = $"Seed for the data, initialisation and data order (default {demoDefaults.Seed})." };
        var rlBudget = new Option<double?>("--rl-budget") { Description = $"With --stages all: GRPO seconds per RL arm (default {defaults.RlSeconds:F0})." };
        var command = new Command("demo", "Train answer-only vs chain-of-thought models for the same budget and compare them; --stages all adds pretraining, GRPO and R1-Zero.")
        {
            quick, budget, output, model, precision, padWidth, terse, compact, presets, trainCount, stages, baseBudget, rlBudget, seed,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            bool all = result.GetValue(stages) is "all";
            var options = all ? StagesOptions.DefaultDemo(result.GetValue(quick)) : result.GetValue(quick) ? DemoOptions.Quick(result.GetValue(output)) : new DemoOptions();
            if (result.GetValue(output) is { } dir)
            {
                options = options with { OutDirectory = dir };
            }

            if (result.GetValue(budget) is { } seconds)
            {
                options = options with { BudgetSeconds = seconds };
            }

            options = options with { Model = result.GetValue(model)!, Precision = CliRunner.ParseEnum<Precision>(result.GetValue(precision)!, "--precision"), PadWidth = result.GetValue(padWidth), Terse = result.GetValue(terse), Compact = result.GetValue(compact), Presets = result.GetValue(presets)! };
            if (result.GetValue(trainCount) is { } n)
            {
                options = options with { TrainCount = n };
            }

            if (result.GetValue(seed) is { } seedValue)
            {
                options = options with { Seed = seedValue };
            }

            if (result.GetValue(baseBudget) is { } baseSeconds)
            {
                options = options with { BaseSeconds = baseSeconds };
            }

            if (all)
            {
                var full = new StagesOptions { Demo = options };
                full = full with
                {
                    RlSeconds = result.GetValue(rlBudget) ?? (result.GetValue(quick) ? 30 : full.RlSeconds),
                };
                var arms = StagesRunner.Run(full, TrainingProgress.PlainLines<TrainProgress>(p => FormattableString.Invariant($"step {p.Step}  loss {p.Loss:F4}  {p.ElapsedSeconds:F0} s"), seconds: 10), TrainingProgress.PlainLines<GrpoProgress>(p => FormattableString.Invariant($"step {p.Step}  reward {p.RewardMean:F3}  acc {p.Accuracy:P0}  {p.ElapsedSeconds:F0} s"), seconds: 10), Console.WriteLine);
                Console.WriteLine();
                Console.WriteLine(StagesRunner.Table(arms));
                Console.WriteLine($"report: {Path.Combine(Path.GetFullPath(full.Demo.OutDirectory), "report.md")}");
                return 0;
            }

            if (result.GetValue(stages) is not "cot")
            {
                throw new ArgumentException($"--stages: '{result.GetValue(stages)}' is not one of cot, all");
            }

            Console.WriteLine(options.BaseSeconds > 0
                ? $"Reasoner demo: about {options.BaseSeconds + options.BudgetSeconds + 30 + (options.TestCount / 10.0):F0} s on this machine (data, {options.BaseSeconds:F0} s of base pretraining, {options.BudgetSeconds:F0} s of fine-tuning, evaluation)."
                : $"Reasoner demo: about {options.BudgetSeconds + 30 + (options.TestCount / 10.0):F0} s on this machine (data, {options.BudgetSeconds:F0} s of training for each model side by side, evaluation).");
            var demo = TrainingProgress.Run(
                options.BaseSeconds > 0 ? ["base", "answer-only", "cot"] : ["answer-only", "cot"],
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
