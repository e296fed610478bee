using Reasoner.Training.Demo;

namespace Reasoner.Model.Tests;

public sealed class DemoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public void A_tiny_demo_trains_both_models_and_writes_the_comparison_report()
    {
        var result = DemoRunner.Run(new DemoOptions { OutDirectory = _dir, BudgetSeconds = 6, TrainCount = 300, TestCount = 12 });
        Assert.Equal(12, result.ChainOfThought.Overall.Count);
        Assert.Equal(12, result.AnswerOnly.Overall.Count);
        Assert.True(result.ChainOfThoughtRun.Steps > 0 && result.AnswerOnlyRun.Steps > 0);
        Assert.Contains("| **all** | 12 |", result.Table);
        foreach (var file in new[] { "report.md", "accuracy.png", "loss.png", "data/train-cot.jsonl", "data/train-answer-only.jsonl", "data/test.jsonl", "cot/eval.json", "answer-only/eval.json" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }
    }
}
