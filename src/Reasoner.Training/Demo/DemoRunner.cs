// `reasoner demo`: the whole story on one machine. Generates data, trains two fresh models of the same size for the
// same wall-clock budget side by side (one on answers only, one on the compiler's digit-level chain of thought),
// evaluates both on held-out problems with the verifier, and writes a report folder with plots. With BaseSeconds > 0
// it first pretrains one small base model on a corpus that is not the target task and fine-tunes two copies of it.
using System.Globalization;
using System.Text;
using Reasoner.Training.Optimization;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Model.Checkpoints;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Pretraining;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;

namespace Reasoner.Training.Demo;

public sealed record DemoOptions
{
    /// <summary>
    /// + and - of 1- to 4-digit numbers and x of 1- and 2-digit numbers, each operand's width drawn on its own (so 3+1
    /// digits, 4+2, 68 - 457 all occur), wider ones more often, plus 5 % edge cases (5 - 5, 0 + 7, 9999 + 1): the
    /// model must solve what a person types, not one width (see docs/2026-12-02-demo-mixed-widths.md); and one problem
    /// in eleven a short subtraction (1 or 2 digits, half with a negative result), since 3 - 7 was otherwise about 1 in 700.
    /// Weights 2:4:4:1: subtraction and × 2x2 take longest to learn, addition least (docs/2026-12-05-demo-every-width.md);
    /// × 2x2's test split holds about 980 problems, so × cannot take much more than 4 of 11 of the 2,700 held-out ones.
    /// </summary>
    public const string DefaultPresets = "add-upto-4d:2,sub-upto-4d:4,mul-upto-2x2:4,sub-upto-2d:1";

    /// <summary>Comma-separated presets the problems are drawn from (training and held-out alike).</summary>
    public string Presets { get; init; } = DefaultPresets;

    public string OutDirectory { get; init; } = Path.Combine("runs", $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}");

    /// <summary>Seconds of pretraining for a shared base model (two threads) before the two fine-tuning runs; 0 trains both from scratch.</summary>
    public double BaseSeconds { get; init; }

    /// <summary>Training seconds per model; both train at once, one core each.</summary>
    public double BudgetSeconds { get; init; } = 540;

    /// <summary>Training problems, split evenly over the presets.</summary>
    public int TrainCount { get; init; } = 20_000;

    /// <summary>Held-out problems, from the same presets; the table reports them by operand width.</summary>
    public int TestCount { get; init; } = 2_700;

    /// <summary>Training problems each model is also scored on, to tell generalizing from memorizing.</summary>
    public int OwnTrainingCount { get; init; } = 300;

    public string Model { get; init; } = "nano";

    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Zero-pad the digit-style column work to this width (4 = the widest operand), so columns sit at fixed places.</summary>
    public int PadWidth { get; init; } = 4;

    /// <summary>Terse digit style: column lines hold only their claim (TraceOptions.Terse).</summary>
    public bool Terse { get; init; } = true;

    /// <summary>Compact digit style (TraceOptions.Compact): no spaces, the carry split from the table fact, differences read out at full width.</summary>
    public bool Compact { get; init; } = true;

    public long Seed { get; init; } = 1;

    /// <summary>Tokens per micro-batch: many small steps suit a tiny model on a short budget.</summary>
    public int BatchTokens { get; init; } = 1_024;

    /// <summary>Peak learning rate (cosine to a tenth of it).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Tokens each model may write when evaluated; null for the arithmetic demo's 512 (word problems narrate more).</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>What the table's title says the run shows (the quick demo names its narrower problem set).</summary>
    public string Title { get; init; } = "Held-out exact match by operand width";

    /// <summary>Wall clock on this 2-core machine: data, the optional base, both models side by side, evaluation.</summary>
    public double EstimatedSeconds => 15 + BaseSeconds + BudgetSeconds + (TestCount / 75.0);

    /// <summary>The demo on another problem family (equations, word problems, fractions), its first two levels, the table by level.</summary>
    public static DemoOptions ForFamily(string family, DemoOptions start) => family switch
    {
        "arithmetic" => start,
        "equations" => start with
        {
            Presets = "eq-1,eq-2", TrainCount = System.Math.Min(start.TrainCount, 10_000), TestCount = System.Math.Min(start.TestCount, 600),
            Title = $"Equations, levels 1-2 (eq-1: a x = b, eq-2: a x + b = c), {start.BudgetSeconds:F0} s per model: held-out exact match",
        },
        "word-problems" => start with
        {
            Presets = "wp-1,wp-2", MaxNewTokens = 768, TrainCount = System.Math.Min(start.TrainCount, 10_000), TestCount = System.Math.Min(start.TestCount, 600),
            Title = $"Word problems, levels 1-2 (wp-1: 2 operations, wp-2: 3 with halves, thirds and percents), {start.BudgetSeconds:F0} s per model: held-out exact match",
        },
        "fractions" => start with
        {
            Presets = "fr-1,fr-2", TrainCount = System.Math.Min(start.TrainCount, 10_000), TestCount = System.Math.Min(start.TestCount, 600),
            Title = $"Fractions, levels 1-2 (fr-1: + and -, fr-2: x and /), {start.BudgetSeconds:F0} s per model: held-out exact match",
        },
        _ => throw new ArgumentException($"--family: '{family}' is not one of arithmetic, equations, word-problems, fractions"),
    };

    /// <summary>
    /// The 2-minute smoke test: 2-digit addition only, padded to 2 digits, in 512-token batches at lr 2e-3, where 75 s
    /// of training per model is enough for the chain of thought on every seed tried (98-100 %). Answers alone learn it
    /// too at this size, and 3-digit addition, where they do not, was not reliable in 75 s (chain of thought 14-94 % by
    /// seed), so the title says what the quick run cannot show (docs/2026-12-04-newcomer-round-two.md).
    /// </summary>
    public static DemoOptions Quick(string? outDirectory = null) => new()
    {
        OutDirectory = outDirectory ?? Path.Combine("runs", $"demo-quick-{DateTime.UtcNow:yyyyMMdd-HHmmss}"),
        Presets = "add-2d",
        PadWidth = 2,
        TrainCount = 4_000,
        BudgetSeconds = 75,
        TestCount = 300,
        OwnTrainingCount = 100,
        BatchTokens = 512,
        LearningRate = 2e-3,
        Title = "Quick demo, 2-digit + 2-digit addition only, 75 s per model: it shows the whole pipeline and a chain of thought learned and verified step by step; it cannot show the gap between the two models, since at this size answers alone learn it too. `reasoner demo` (about 10 minutes, 1-4 digit +, - and 2x2 x) shows the gap. Held-out exact match:",
    };
}

/// <summary>Both arms: held-out reports, reports on their own training problems, and the runs.</summary>
public sealed record DemoResult(string OutDirectory, EvalReport AnswerOnly, EvalReport ChainOfThought, EvalReport AnswerOnlyOnTraining, EvalReport ChainOfThoughtOnTraining, TrainResult AnswerOnlyRun, TrainResult ChainOfThoughtRun, string Table);

public static class DemoRunner
{
    /// <summary>The longest arithmetic demo trace (2-digit multiplication, digit style) is about 400 tokens.</summary>
    public const int MaxNewTokens = 512;

    /// <summary>Tokens a demo model may write: the arithmetic demo's 512, or more for a family whose traces are longer.</summary>
    public static int NewTokensFor(DemoOptions options) => options.MaxNewTokens ?? MaxNewTokens;

    public static DemoResult Run(DemoOptions options, Action<string, TrainProgress>? progress = null, Action<string>? say = null)
    {
        var root = Path.GetFullPath(options.OutDirectory);
        say?.Invoke($"generating {options.TrainCount} training problems ({options.Presets}) and {options.TestCount} held-out ones");
        var data = WriteData(root, options);
        var baseConfig = SftConfig(options, data);
        if (options.BaseSeconds > 0)
        {
            say?.Invoke($"pretraining a {options.Model} base model for {options.BaseSeconds:F0} s (facts, worked examples, string tasks; not the demo's problems)");
            var baseRun = PretrainBase(root, options, p => progress?.Invoke("base", p));
            baseConfig = baseConfig with { InitFrom = baseRun.FinalCheckpoint };
        }

        say?.Invoke(options.BaseSeconds > 0
            ? $"fine-tuning two copies side by side for {options.BudgetSeconds:F0} s each (one core each): answers only, and chain of thought"
            : $"training two fresh {options.Model} models side by side for {options.BudgetSeconds:F0} s each (one core each): answers only, and chain of thought");
        var answerOnly = Task.Run(() => SftTrainer.Run(baseConfig with { Data = Path.Combine(data, "train-answer-only.jsonl") }, Path.Combine(root, "answer-only"), progress: p => progress?.Invoke("answer-only", p)));
        var cot = Task.Run(() => SftTrainer.Run(baseConfig with { Data = Path.Combine(data, "train-cot.jsonl") }, Path.Combine(root, "cot"), progress: p => progress?.Invoke("cot", p)));
        Task.WaitAll(answerOnly, cot);

        say?.Invoke($"evaluating both on {options.TestCount} held-out problems and on {options.OwnTrainingCount} of their own training problems");
        var test = DatasetReader.Read(Path.Combine(data, "test.jsonl")).ToList();
        var runs = new[] { (Run: answerOnly.Result, Data: "train-answer-only.jsonl"), (Run: cot.Result, Data: "train-cot.jsonl") };
        var reports = runs.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(arm => (
            HeldOut: Evaluate(arm.Run.FinalCheckpoint, test, Path.Combine(arm.Run.RunDirectory, "eval.json"), NewTokensFor(options)),
            Training: Evaluate(arm.Run.FinalCheckpoint, DatasetReader.Read(Path.Combine(data, arm.Data)).Take(options.OwnTrainingCount).ToList(), Path.Combine(arm.Run.RunDirectory, "eval-training.json"), NewTokensFor(options)))).ToArray();

        var table = Table(options.Title, reports[0].HeldOut, reports[1].HeldOut, reports[0].Training, reports[1].Training, answerOnly.Result, cot.Result);
        WriteReport(root, options, table, answerOnly.Result, cot.Result);
        return new DemoResult(root, reports[0].HeldOut, reports[1].HeldOut, reports[0].Training, reports[1].Training, answerOnly.Result, cot.Result, table);
    }

    /// <summary>Greedy, verifier-scored evaluation of one checkpoint; the report is saved at <paramref name="reportPath"/> (and its samples beside it).</summary>
    public static EvalReport Evaluate(string checkpoint, IReadOnlyList<DatasetRecord> test, string reportPath, int maxNewTokens = MaxNewTokens)
    {
        var (model, tokenizer) = Checkpoint.Load(checkpoint);
        var report = new Evaluator(model, tokenizer).Run(test, new EvalOptions { MaxNewTokens = maxNewTokens });
        report.Save(reportPath);
        return report;
    }

    /// <summary>The shared base model in ROOT/base: the pretraining recipe with the demo's seed and precision, two threads.</summary>
    public static TrainResult PretrainBase(string root, DemoOptions options, Action<TrainProgress>? progress = null)
    {
        var directory = Path.Combine(root, "base");
        var recipe = Pretrainer.Config(directory, new PretrainOptions { Model = options.Model, Seed = options.Seed, MaxSteps = 0, TimeBudgetSeconds = options.BaseSeconds });
        return Pretrainer.Run(recipe with { Train = recipe.Train with { Threads = 2, Precision = options.Precision } }, directory, progress);
    }

    /// <summary>Demo data in ROOT/data: digit-CoT and answer-only versions of the same training problems, and held-out problems.</summary>
    public static string WriteData(string root, DemoOptions options)
    {
        var data = Path.Combine(root, "data");
        var train = new GenerateConfig { Preset = options.Presets, Count = options.TrainCount, Seed = options.Seed, Style = TraceStyle.Digit, PadWidth = options.PadWidth, Terse = options.Terse, Compact = options.Compact }
            .Validate(); // an unknown preset or a bad count fails here, before any folder is made
        Directory.CreateDirectory(data);
        DatasetGenerator.Run(train, Path.Combine(data, "train-cot.jsonl"));
        DatasetGenerator.Run(train with { AnswerOnly = true }, Path.Combine(data, "train-answer-only.jsonl"));
        DatasetGenerator.Run(train with { Count = options.TestCount, Split = Split.Test, Seed = options.Seed + 1 }, Path.Combine(data, "test.jsonl"));
        return data;
    }

    /// <summary>The demo's SFT settings (data left empty: the caller picks answer-only or CoT).</summary>
    public static TrainConfig SftConfig(DemoOptions options, string data) => new()
    {
        Model = options.Model, Seed = options.Seed, MaxSteps = 0, TimeBudgetSeconds = options.BudgetSeconds,
        EvalData = Path.Combine(data, "test.jsonl"), EvalItems = System.Math.Min(30, options.TestCount), EvalMaxNewTokens = NewTokensFor(options),
        EvalEvery = options.BudgetSeconds < 60 ? 100 : 500, CheckpointEvery = 500, LogEvery = 10, Threads = 1, WarmupSteps = 50,
        // Many small steps: 1,024-token batches at lr 1e-3, cosine to 1e-4; from the base this reached 54.7 % held-out
        // on the demo's problems with 1,000 terse CoT examples in 300 s (scripts/grpo-recipes.sh).
        BatchTokens = options.BatchTokens, LearningRate = options.LearningRate, MinLrRatio = 0.1, Precision = options.Precision,
    };

    /// <summary>Both arms by operand width ("+ 4x2": 4-digit + 2-digit, either order), then overall and on their own training problems.</summary>
    private static string Table(string title, EvalReport answerOnly, EvalReport cot, EvalReport answerOnlyOnTraining, EvalReport cotOnTraining, TrainResult answerRun, TrainResult cotRun)
    {
        var text = new StringBuilder();
        text.AppendLine(title);
        text.AppendLine();
        text.AppendLine(cot.ByWidth.Count > 0 ? "| operand digits | n | answer-only | chain of thought |" : "| level | n | answer-only | chain of thought |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        var rows = cot.ByWidth.Count > 0 ? cot.ByWidth : cot.ByDifficulty;
        foreach (var (name, group) in rows)
        {
            var baseline = (answerOnly.ByWidth.Count > 0 ? answerOnly.ByWidth : answerOnly.ByDifficulty).GetValueOrDefault(name);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {group.Count} | {baseline?.Accuracy ?? 0:P1} | {group.Accuracy:P1} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| **all held-out** | {cot.Overall.Count} | **{answerOnly.Overall.Accuracy:P1}** | **{cot.Overall.Accuracy:P1}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| own training problems | {cotOnTraining.Overall.Count} | {answerOnlyOnTraining.Overall.Accuracy:P1} | {cotOnTraining.Overall.Accuracy:P1} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| format errors | | {answerOnly.Overall.FormatErrorRate:P1} | {cot.Overall.FormatErrorRate:P1} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| step validity | | - | {(cot.Overall.StepValidity is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mean completion tokens | | {answerOnly.Overall.MeanCompletionTokens:F0} | {cot.Overall.MeanCompletionTokens:F0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| training steps / seconds | | {answerRun.Steps} / {answerRun.ElapsedSeconds:F0} | {cotRun.Steps} / {cotRun.ElapsedSeconds:F0} |");
        return text.ToString();
    }

    private static void WriteReport(string root, DemoOptions options, string table, TrainResult answerRun, TrainResult cotRun)
    {
        Plots.Lines(Path.Combine(root, "accuracy.png"), "held-out exact match during training", "accuracy",
            [("answer-only", RunFolder.Series(answerRun.RunDirectory, "eval", "accuracy")), ("chain of thought", RunFolder.Series(cotRun.RunDirectory, "eval", "accuracy"))]);
        Plots.Lines(Path.Combine(root, "loss.png"), "training loss", "loss",
            [("answer-only", RunFolder.Series(answerRun.RunDirectory, "train", "loss")), ("chain of thought", RunFolder.Series(cotRun.RunDirectory, "train", "loss"))]);
        var text = new StringBuilder();
        text.AppendLine("# Reasoner demo: answers only vs. compiler-written chain of thought");
        text.AppendLine();
        var models = options.BaseSeconds > 0
            ? $"One `{options.Model}` base model ({options.BaseSeconds:F0} s of pretraining on one-digit facts, small worked examples and string tasks), then two copies fine-tuned"
            : $"Two fresh `{options.Model}` models (no pretraining) trained";
        text.AppendLine(CultureInfo.InvariantCulture, $"{models} for {options.BudgetSeconds:F0} s each (side by side, one core each) on the same {options.TrainCount} problems from `{options.Presets}`: answers only vs. digit-style chain of thought ({(options.Compact ? "compact, " : options.Terse ? "terse, " : string.Empty)}{(options.PadWidth > 0 ? $"zero-padded to {options.PadWidth} digits" : "unpadded")}). {options.TestCount} held-out problems, which never overlap training (the split is by a hash of the problem's text), reported by operand width for arithmetic (`+ 4x2` is a 4-digit and a 2-digit number in either order) and by level for other families. Greedy decoding, scored by the verifier.");
        text.AppendLine();
        text.AppendLine(table);
        text.AppendLine("![accuracy](accuracy.png)");
        text.AppendLine();
        text.AppendLine("Runs: `answer-only/`, `cot/` (each with config, metrics.jsonl, TensorBoard events, checkpoints, eval.json). Data: `data/`.");
        AtomicFile.WriteAllText(Path.Combine(root, "report.md"), text.ToString());
    }
}
