using Reasoner.Training.Demo;

namespace Reasoner.Model.Tests;

public sealed class DemoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Terse_demo_data_keeps_the_claims_and_drops_the_carry_words()
    {
        var data = DemoRunner.WriteData(_dir, new DemoOptions { OutDirectory = _dir, TrainCount = 60, TestCount = 6, Terse = true, Compact = false });
        var cot = File.ReadAllLines(Path.Combine(data, "train-cot.jsonl"));
        Assert.Equal(60, cot.Length);
        Assert.All(cot, line => Assert.DoesNotContain("carry", line, StringComparison.Ordinal));
        Assert.Contains(cot, line => line.Contains(" + 0 = ", StringComparison.Ordinal) || line.Contains(" - 0 = ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_demo_data_has_every_operand_width_up_to_its_maximum_and_edge_cases()
    {
        var data = DemoRunner.WriteData(_dir, new DemoOptions { OutDirectory = _dir, TestCount = 6 });
        var rows = Reasoner.Math.Data.DatasetReader.Read(Path.Combine(data, "train-cot.jsonl")).ToList();
        var widths = rows.Select(r => Reasoner.Math.Problems.WidthBucket.Of(r.Expression)).ToHashSet();
        foreach (var op in new[] { "+", "-" })
        {
            for (int longer = 1; longer <= 4; longer++)
            {
                for (int shorter = 1; shorter <= longer; shorter++)
                {
                    Assert.Contains($"{op} {longer}x{shorter}", widths); // 3+1 digits as well as 4+4
                }
            }
        }

        Assert.Superset(new HashSet<string?> { "* 1x1", "* 2x1", "* 2x2" }, widths.Where(w => w![0] == '*').ToHashSet());
        Assert.Contains(rows, r => r.Expression.StartsWith("68 - ", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(r.Expression, @"^\d{1,2} - \d{3,4}$"));
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r.Expression, @"^(\d+) - \1$")); // equal operands
        Assert.Contains(rows, r => System.Text.RegularExpressions.Regex.IsMatch(r.Expression, @"^9999 \+ |\+ 9999$")); // all nines
    }

    [Fact]
    public void An_unknown_preset_is_refused_before_any_folder_is_made()
    {
        var root = Path.Combine(_dir, "never");
        var error = Assert.Throws<ArgumentException>(() => DemoRunner.WriteData(root, new DemoOptions { OutDirectory = root, Presets = "add-4d,nope" }));
        Assert.Contains("unknown preset 'nope'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void Demo_data_is_compact_by_default_and_every_row_re_verifies()
    {
        var data = DemoRunner.WriteData(_dir, new DemoOptions { OutDirectory = _dir, TrainCount = 90, TestCount = 6 });
        var rows = Reasoner.Math.Data.DatasetReader.Read(Path.Combine(data, "train-cot.jsonl")).ToList();
        Assert.Equal(90, rows.Count);
        foreach (var row in rows)
        {
            var think = row.Completion[..row.Completion.IndexOf("</think>", StringComparison.Ordinal)];
            Assert.DoesNotContain(' ', think); // no spaces and no words in the work
            Assert.DoesNotContain("step", think, StringComparison.Ordinal);
            var steps = Reasoner.Math.Verification.StepChecker.Check(row.Completion);
            Assert.True(steps.Found > 0 && steps.Wrong == 0, row.Id);
            Assert.Equal(row.Answer, Reasoner.Math.Verification.AnswerExtractor.Extract(row.Completion, Reasoner.Math.Verification.VerifierOptions.Default).Text);
        }

        Assert.Contains(rows, r => r.Completion.Contains(",", StringComparison.Ordinal)); // a split carry: 8*4=32,32+2=34
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_tiny_demo_trains_both_models_and_writes_the_comparison_report()
    {
        var result = DemoRunner.Run(new DemoOptions { OutDirectory = _dir, BaseSeconds = 4, BudgetSeconds = 6, TrainCount = 300, TestCount = 12 });
        Assert.Equal(12, result.ChainOfThought.Overall.Count);
        Assert.Equal(12, result.AnswerOnly.Overall.Count);
        Assert.True(result.ChainOfThoughtRun.Steps > 0 && result.AnswerOnlyRun.Steps > 0);
        Assert.Contains("| **all held-out** | 12 |", result.Table);
        Assert.Contains("| own training problems |", result.Table);
        Assert.Equal(System.Math.Min(300, new DemoOptions().OwnTrainingCount), result.ChainOfThoughtOnTraining.Overall.Count);
        Assert.All(result.ChainOfThought.ByWidth.Keys, width => Assert.Contains($"| {width} |", result.Table));
        foreach (var file in new[] { "report.md", "accuracy.png", "loss.png", "base/data/pretrain.jsonl", "data/train-cot.jsonl", "data/train-answer-only.jsonl", "data/test.jsonl", "cot/eval.json", "answer-only/eval.json" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }
    }

    [Fact]
    public void The_all_stages_demo_refuses_to_run_without_a_base_and_writes_nothing()
    {
        var options = new StagesOptions { Demo = new DemoOptions { OutDirectory = Path.Combine(_dir, "stages"), BaseSeconds = 0 } };
        var error = Assert.Throws<ArgumentException>(() => StagesRunner.Run(options));
        Assert.Contains("--base-budget", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "stages")));
        Assert.Equal(180, new StagesOptions().Demo.BaseSeconds); // unlike `demo`, whose default trains from scratch
        Assert.Equal(0, new DemoOptions().BaseSeconds);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_tiny_all_stages_demo_runs_base_sft_grpo_and_r1_zero_and_writes_one_table()
    {
        var options = new StagesOptions
        {
            Demo = new DemoOptions { OutDirectory = _dir, BaseSeconds = 4, BudgetSeconds = 4, TrainCount = 200, TestCount = 6 },
            RlSeconds = 4, RlPrompts = 2, RlGenerations = 2,
        };
        var arms = StagesRunner.Run(options);
        Assert.Equal(["base", "answer-only SFT", "CoT SFT", "CoT SFT + GRPO (R1)", "GRPO from base (R1-Zero)"], arms.Select(a => a.Name));
        Assert.All(arms, a => Assert.Equal(6, a.Report.Overall.Count));
        Assert.True(arms[3].CpuSeconds > arms[2].CpuSeconds, "R1 counts its SFT and its GRPO time");
        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("| **all** |", report);
        Assert.Contains("| CPU minutes |", report);
        foreach (var file in new[] { "reward.png", "base/data/pretrain.jsonl", "r1-grpo/metrics.jsonl", "r1-zero/completions.jsonl", "cot-sft/eval.json" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }
    }
}
