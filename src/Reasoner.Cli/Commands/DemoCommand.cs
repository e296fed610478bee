// reasoner demo: answer-only vs chain-of-thought training on this machine, compared on held-out problems by operand
// width; --stages all adds pretraining, GRPO (R1) and R1-Zero. Every default comes from DemoOptions / StagesOptions.
using System.CommandLine;
using Reasoner.Model.Runtime;
using Reasoner.Training.Demo;
using Reasoner.Training.Grpo;
using Reasoner.Training.Optimization;
using Reasoner.Training.Sft;
using Spectre.Console;

namespace Reasoner.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var demo = new DemoOptions();
        var stagesDefaults = StagesOptions.Defaults(quick: false);
        var quickDefaults = DemoOptions.Quick();
        var quick = new Option<bool>("--quick") { Description = FormattableString.Invariant($"Smoke test on a narrower problem set ({quickDefaults.Presets}, padded to {quickDefaults.PadWidth} digits): {quickDefaults.TrainCount:N0} training and {quickDefaults.TestCount} held-out problems, {quickDefaults.BudgetSeconds:F0} s of training per model (about {quickDefaults.EstimatedSeconds / 60:F0} minutes in all).") };
        var budget = new Option<double?>("--budget") { Description = FormattableString.Invariant($"Training seconds per model (default {demo.BudgetSeconds:F0}, {stagesDefaults.Demo.BudgetSeconds:F0} with --stages all; both train at once, one core each).") };
        var output = new Option<string?>("--out", "-o") { Description = "Report folder (default runs/demo-TIME)." };
        var model = new Option<string>("--model") { Description = "Model size preset.", DefaultValueFactory = _ => demo.Model };
        var precision = new Option<string>("--precision") { Description = "fp32 or bf16 training.", DefaultValueFactory = _ => demo.Precision.ToString().ToLowerInvariant() };
        var padWidth = new Option<int>("--pad-width") { Description = "Zero-pad the chain of thought's column work to this many digits (0 = off).", DefaultValueFactory = _ => demo.PadWidth };
        var terse = new Option<bool>("--terse") { Description = "Terse chain of thought: column lines without the digit/carry/borrow words (about half the characters); --terse false writes them.", DefaultValueFactory = _ => demo.Terse };
        var compact = new Option<bool>("--compact") { Description = "Compact chain of thought (7+8+1=16, 8*4=32,32+2=34, 474-405=069): about 60 % of the terse tokens; --compact false writes the terse layout.", DefaultValueFactory = _ => demo.Compact };
        var presets = new Option<string>("--presets") { Description = "Comma-separated presets for the problems, each with an optional weight (name:3); see `reasoner presets`.", DefaultValueFactory = _ => demo.Presets };
        var trainCount = new Option<int?>("--train-count") { Description = FormattableString.Invariant($"Training problems (default {demo.TrainCount:N0}).") };
        var testCount = new Option<int?>("--test-count") { Description = FormattableString.Invariant($"Held-out problems (default {demo.TestCount:N0}; {stagesDefaults.Demo.TestCount} with --stages all).") };
        var stages = new Option<string>("--stages") { Description = FormattableString.Invariant($"cot: answer-only vs CoT SFT (about {demo.EstimatedSeconds / 60:F0} minutes). all: base, answer-only SFT, CoT SFT, CoT SFT + GRPO (R1) and R1-Zero (about {stagesDefaults.EstimatedSeconds / 60:F0} minutes)."), DefaultValueFactory = _ => "cot" };
        var baseBudget = new Option<double?>("--base-budget") { Description = FormattableString.Invariant($"Pretrain a shared base model for this many seconds first, then fine-tune both from it (default {demo.BaseSeconds:F0}: both from scratch; {stagesDefaults.Demo.BaseSeconds:F0} with --stages all).") };
        var family = new Option<string>("--family") { Description = "The problems: arithmetic (+, - and x of several widths), equations (linear, levels 1-2), word-problems (2-3 operations) or fractions (levels 1-2).", DefaultValueFactory = _ => "arithmetic" };
        var seed = new Option<long?>("--seed") { Description = FormattableString.Invariant($"Seed for the data, initialisation and data order (default {demo.Seed}).") };
        var rlBudget = new Option<double?>("--rl-budget") { Description = FormattableString.Invariant($"With --stages all: GRPO seconds per RL arm (default {stagesDefaults.RlSeconds:F0}).") };
        var command = new Command("demo", "Train answer-only vs chain-of-thought models for the same budget and compare them by operand width; --stages all adds pretraining, GRPO and R1-Zero.")
        {
            quick, budget, output, model, precision, padWidth, terse, compact, presets, family, trainCount, testCount, stages, baseBudget, rlBudget, seed,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            bool all = result.GetValue(stages) is "all";
            if (!all && result.GetValue(stages) is not "cot")
            {
                throw new ArgumentException($"--stages: '{result.GetValue(stages)}' is not one of cot, all");
            }

            bool isQuick = result.GetValue(quick);
            var stagesOptions = StagesOptions.Defaults(isQuick, result.GetValue(output));
            var options = all ? stagesOptions.Demo : isQuick ? DemoOptions.Quick(result.GetValue(output)) : new DemoOptions();
            options = DemoOptions.ForFamily(result.GetValue(family)!, options);
            T Given<T>(Option<T> option, T fallback) => result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : fallback; // a flag overrides only when typed
            options = options with
            {
                OutDirectory = result.GetValue(output) ?? options.OutDirectory,
                BudgetSeconds = result.GetValue(budget) ?? options.BudgetSeconds,
                Model = Given(model, options.Model),
                Precision = result.GetResult(precision) is { Implicit: false } ? CliRunner.ParseEnum<Precision>(result.GetValue(precision)!, "--precision") : options.Precision,
                PadWidth = Given(padWidth, options.PadWidth),
                Terse = Given(terse, options.Terse),
                Compact = Given(compact, options.Compact),
                Presets = Given(presets, options.Presets),
                TrainCount = result.GetValue(trainCount) ?? options.TrainCount,
                TestCount = result.GetValue(testCount) ?? options.TestCount,
                Seed = result.GetValue(seed) ?? options.Seed,
                BaseSeconds = result.GetValue(baseBudget) ?? options.BaseSeconds,
            };

            // A demo that fails before any model logged a step leaves no folder behind.
            var created = new Reasoner.Math.Data.NewPaths([options.OutDirectory]);
            try
            {
                if (all)
                {
                    var full = stagesOptions with { Demo = options, RlSeconds = result.GetValue(rlBudget) ?? stagesOptions.RlSeconds };
                    var arms = StagesRunner.Run(full, TrainingProgress.PlainLines<TrainProgress>(p => FormattableString.Invariant($"step {p.Step}  loss {p.Loss:F4}  {p.ElapsedSeconds:F0} s"), seconds: 10), TrainingProgress.PlainLines<GrpoProgress>(p => FormattableString.Invariant($"step {p.Step}  reward {p.RewardMean:F3}  acc {p.Accuracy:P0}  {p.ElapsedSeconds:F0} s"), seconds: 10), Console.WriteLine);
                    Console.WriteLine();
                    Console.WriteLine(StagesRunner.Table(arms));
                    Console.WriteLine($"report: {Path.Combine(Path.GetFullPath(full.Demo.OutDirectory), "report.md")}");
                    return 0;
                }

                Console.WriteLine(options.BaseSeconds > 0
                    ? FormattableString.Invariant($"Reasoner demo: about {options.EstimatedSeconds:F0} s on this machine (data, {options.BaseSeconds:F0} s of base pretraining, {options.BudgetSeconds:F0} s of fine-tuning, evaluation).")
                    : FormattableString.Invariant($"Reasoner demo: about {options.EstimatedSeconds:F0} s on this machine (data, {options.BudgetSeconds:F0} s of training for each model side by side, evaluation)."));
                var outcome = TrainingProgress.Run(
                    options.BaseSeconds > 0 ? ["base", "answer-only", "cot"] : ["answer-only", "cot"],
                    p => p.ElapsedSeconds,
                    options.BudgetSeconds,
                    report => DemoRunner.Run(options, report, AnsiConsole.WriteLine));
                Console.WriteLine();
                Console.WriteLine(outcome.Table);
                Console.WriteLine($"report: {Path.Combine(outcome.OutDirectory, "report.md")}");
                return 0;
            }
            catch
            {
                if (!Directory.Exists(options.OutDirectory) || !Directory.EnumerateDirectories(options.OutDirectory).Any(Reasoner.Training.Runs.RunFolder.HoldsRun))
                {
                    created.Discard();
                }

                throw;
            }
        }));
        return command;
    }
}
