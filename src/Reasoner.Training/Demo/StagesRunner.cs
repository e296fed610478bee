// `reasoner demo --stages all`: the R1 story on one machine. A base model is pretrained on a corpus that is not
// the target CoT; from it, four arms run two at a time (one core each): answer-only SFT, CoT SFT, CoT SFT + GRPO
// (R1: cold start, then RL) and GRPO straight from the base (R1-Zero). All are scored on the same held-out set.
using System.Globalization;
using System.Text;
using Reasoner.Training.Optimization;
using Reasoner.Math.Data;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Grpo;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Training.Demo;

public sealed record StagesOptions
{
    /// <summary>The problems and SFT settings; unlike `demo`, a base model is pretrained first (R1-Zero starts from it).</summary>
    public DemoOptions Demo { get; init; } = DefaultDemo(quick: false);

    /// <summary>Seconds of GRPO per RL arm (R1's GRPO stage and R1-Zero).</summary>
    public double RlSeconds { get; init; } = 420;

    public int RlPrompts { get; init; } = 4;

    public int RlGenerations { get; init; } = 8;

    /// <summary>Wall-clock estimate: base, two SFT arms side by side, two GRPO arms side by side, evaluation of five models.</summary>
    public double EstimatedSeconds => Demo.BaseSeconds + Demo.BudgetSeconds + RlSeconds + 90 + (Demo.TestCount * 0.6);

    /// <summary>The stages' own defaults: a 180 s base, 360 s per SFT arm, 420 s per GRPO arm, 300 held-out problems (quick: 20, 40, 30 s).</summary>
    public static StagesOptions Defaults(bool quick, string? outDirectory = null) => new() { Demo = DefaultDemo(quick, outDirectory), RlSeconds = quick ? 30 : 420 };

    private static DemoOptions DefaultDemo(bool quick, string? outDirectory = null) => quick
        ? DemoOptions.Quick(outDirectory ?? Path.Combine("runs", $"stages-quick-{DateTime.UtcNow:yyyyMMdd-HHmmss}")) with { BaseSeconds = 20, BudgetSeconds = 40 }
        : new DemoOptions { OutDirectory = outDirectory ?? Path.Combine("runs", $"stages-{DateTime.UtcNow:yyyyMMdd-HHmmss}"), BaseSeconds = 180, BudgetSeconds = 360, TestCount = 300 };
}

public sealed record StageArm(string Name, string Checkpoint, double CpuSeconds, EvalReport Report);

public static class StagesRunner
{
    public static IReadOnlyList<StageArm> Run(StagesOptions options, Action<string, TrainProgress>? sftProgress = null, Action<string, GrpoProgress>? rlProgress = null, Action<string>? say = null)
    {
        var demo = options.Demo;
        if (demo.BaseSeconds <= 0)
        {
            throw new ArgumentException("--stages all pretrains a base model first (R1-Zero starts from it): --base-budget must be more than 0 seconds");
        }

        var root = Path.GetFullPath(demo.OutDirectory);
        say?.Invoke(string.Create(CultureInfo.InvariantCulture, $"full comparison: about {options.EstimatedSeconds / 60:F0} minutes (base {demo.BaseSeconds:F0} s, two SFT arms {demo.BudgetSeconds:F0} s side by side, two GRPO arms {options.RlSeconds:F0} s side by side, then evaluation)"));
        var data = DemoRunner.WriteData(root, demo);
        var cotData = Path.Combine(data, "train-cot.jsonl");

        say?.Invoke($"pretraining the base model for {demo.BaseSeconds:F0} s");
        var baseRun = DemoRunner.PretrainBase(root, demo, p => sftProgress?.Invoke("base", p));

        say?.Invoke($"SFT from the base: answer-only and CoT side by side for {demo.BudgetSeconds:F0} s each");
        var sft = DemoRunner.SftConfig(demo, data) with { InitFrom = baseRun.FinalCheckpoint };
        var answerOnly = Task.Run(() => SftTrainer.Run(sft with { Data = Path.Combine(data, "train-answer-only.jsonl") }, Path.Combine(root, "answer-only-sft"), progress: p => sftProgress?.Invoke("answer-only", p)));
        var cot = Task.Run(() => SftTrainer.Run(sft with { Data = cotData }, Path.Combine(root, "cot-sft"), progress: p => sftProgress?.Invoke("cot", p)));
        Task.WaitAll(answerOnly, cot);

        say?.Invoke($"GRPO side by side for {options.RlSeconds:F0} s each: from the CoT SFT model (R1) and from the base (R1-Zero)");
        var grpo = new GrpoConfig
        {
            Data = cotData, EvalData = Path.Combine(data, "test.jsonl"), EvalItems = System.Math.Min(30, demo.TestCount), EvalEvery = 10, MaxSteps = 0,
            TimeBudgetSeconds = options.RlSeconds, PromptsPerStep = options.RlPrompts, NumGenerations = options.RlGenerations,
            MicroBatchRows = options.RlPrompts * options.RlGenerations / 2, MaxNewTokens = DemoRunner.MaxNewTokens, LearningRate = 3e-5,
            Rewards = "accuracy:1,format:0.1", Seed = demo.Seed, CheckpointEvery = 20, LogCompletionsEvery = 5,
        };
        var r1 = Task.Run(() => GrpoTrainer.Run(grpo with { InitFrom = cot.Result.FinalCheckpoint }, Path.Combine(root, "r1-grpo"), progress: p => rlProgress?.Invoke("R1 (GRPO)", p)));
        var zero = Task.Run(() => GrpoTrainer.Run(grpo with { InitFrom = baseRun.FinalCheckpoint }, Path.Combine(root, "r1-zero"), progress: p => rlProgress?.Invoke("R1-Zero", p)));
        Task.WaitAll(r1, zero);

        say?.Invoke($"evaluating five models on {demo.TestCount} held-out problems");
        var test = DatasetReader.Read(Path.Combine(data, "test.jsonl")).ToList();
        double baseCpu = baseRun.ElapsedSeconds * 2; // two threads
        var arms = new (string Name, string Checkpoint, string Directory, double Cpu)[]
        {
            ("base", baseRun.FinalCheckpoint, baseRun.RunDirectory, baseCpu),
            ("answer-only SFT", answerOnly.Result.FinalCheckpoint, answerOnly.Result.RunDirectory, baseCpu + answerOnly.Result.ElapsedSeconds),
            ("CoT SFT", cot.Result.FinalCheckpoint, cot.Result.RunDirectory, baseCpu + cot.Result.ElapsedSeconds),
            ("CoT SFT + GRPO (R1)", r1.Result.FinalCheckpoint, r1.Result.RunDirectory, baseCpu + cot.Result.ElapsedSeconds + r1.Result.ElapsedSeconds),
            ("GRPO from base (R1-Zero)", zero.Result.FinalCheckpoint, zero.Result.RunDirectory, baseCpu + zero.Result.ElapsedSeconds),
        };
        var results = arms.AsParallel().AsOrdered().WithDegreeOfParallelism(2)
            .Select(a => new StageArm(a.Name, a.Checkpoint, a.Cpu, DemoRunner.Evaluate(a.Checkpoint, test, Path.Combine(a.Directory, "eval.json")))).ToList();

        var table = Table(results);
        Plots.Lines(Path.Combine(root, "reward.png"), "GRPO reward (rollout batch mean)", "reward",
            [("R1 (CoT SFT + GRPO)", RunFolder.Series(r1.Result.RunDirectory, "train", "reward_mean")), ("R1-Zero (GRPO from base)", RunFolder.Series(zero.Result.RunDirectory, "train", "reward_mean"))]);
        var report = new StringBuilder();
        report.AppendLine("# Reasoner demo, all stages: base -> answer-only SFT, CoT SFT, CoT SFT + GRPO (R1), GRPO from base (R1-Zero)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`{demo.Model}` models, seed {demo.Seed}, {demo.TrainCount} training problems from `{demo.Presets}`, {demo.TestCount} held-out. Base: {demo.BaseSeconds:F0} s pretraining on facts, worked examples and string tasks. SFT: {demo.BudgetSeconds:F0} s per arm. GRPO: {options.RlSeconds:F0} s per arm, {options.RlPrompts} prompts x {options.RlGenerations} completions, rewards accuracy:1, format:0.1. Greedy decoding, scored by the verifier. CPU minutes count every stage an arm went through.");
        report.AppendLine();
        report.AppendLine(table);
        report.AppendLine("![reward](reward.png)");
        AtomicFile.WriteAllText(Path.Combine(root, "report.md"), report.ToString());
        return results;
    }

    public static string Table(IReadOnlyList<StageArm> arms)
    {
        var text = new StringBuilder();
        text.AppendLine("| | " + string.Join(" | ", arms.Select(a => a.Name)) + " |");
        text.AppendLine("| --- |" + string.Concat(arms.Select(_ => " ---: |")));
        foreach (var difficulty in arms.SelectMany(a => a.Report.ByDifficulty.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            text.AppendLine($"| {difficulty} | " + string.Join(" | ", arms.Select(a => Percent(a.Report.ByDifficulty.GetValueOrDefault(difficulty)?.Accuracy))) + " |");
        }

        text.AppendLine("| **all** | " + string.Join(" | ", arms.Select(a => $"**{Percent(a.Report.Overall.Accuracy)}**")) + " |");
        text.AppendLine("| mean completion tokens | " + string.Join(" | ", arms.Select(a => a.Report.Overall.MeanCompletionTokens.ToString("F0", CultureInfo.InvariantCulture))) + " |");
        text.AppendLine("| format errors | " + string.Join(" | ", arms.Select(a => Percent(a.Report.Overall.FormatErrorRate))) + " |");
        text.AppendLine("| CPU minutes | " + string.Join(" | ", arms.Select(a => (a.CpuSeconds / 60).ToString("F1", CultureInfo.InvariantCulture))) + " |");
        return text.ToString();
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-";
}
