using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Sft;

namespace Reasoner.Model.Tests;

/// <summary>The general-skills suite (eval --suite general) and replay mixing (train --mix FILE:SHARE).</summary>
public sealed class GeneralSkillsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-general-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_suite_is_fixed_held_out_and_scored_exactly()
    {
        var items = GeneralSuite.Items(50);
        Assert.Equal(150, items.Count);
        Assert.Equal(items, GeneralSuite.Items(50));
        Assert.All(items, i => Assert.InRange(i.Prompt.Length - i.Task.Length - 1, 5, 8));
        var reverse = items.First(i => i.Task == "reverse");
        Assert.Equal(new string(reverse.Prompt["reverse ".Length..].Reverse().ToArray()), reverse.Expected);

        Assert.Equal("cba", GeneralSuite.AnswerOf("<think>\n</think>\n<answer>cba</answer>"));
        Assert.Equal("abc", GeneralSuite.AnswerOf("<think>\n<answer>x</answer>\n</think>\n<answer>abc</answer>")); // only after the thinking
        Assert.Null(GeneralSuite.AnswerOf("<think>\n</think>\n<answer>abc"));
    }

    [Fact]
    public void A_model_is_scored_on_every_task()
    {
        var tokenizer = new CharTokenizer();
        TorchSharp.torch.manual_seed(1);
        using var model = new CausalLM(new ModelConfig { VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 });
        var report = GeneralSuite.Run(model, tokenizer, perTask: 3, maxNewTokens: 8);
        Assert.Equal(9, report.Items);
        Assert.Equal(GeneralSuite.Tasks, report.ByTask.Keys);
        Assert.Equal(0.0, report.Accuracy); // random weights answer nothing
    }

    [Fact]
    public void Replay_mixing_adds_the_asked_share_of_rows_drawn_with_the_seed()
    {
        var main = Path.Combine(_dir, "math.jsonl");
        var replay = Path.Combine(_dir, "general.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 80, Seed = 1 }, main);
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-2", Count = 30, Seed = 2 }, replay);

        var rows = ReplayMix.Draw($"{replay}:0.2", 80, seed: 5);
        Assert.Equal(20, rows.Count); // 20 of 100 rows
        Assert.Equal(20, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rows.Select(r => r.Id), ReplayMix.Draw($"{replay}:0.2", 80, seed: 5).Select(r => r.Id));
        Assert.Equal(45, ReplayMix.Draw($"{replay}:0.36", 80, seed: 5).Count); // more than the file holds: it is used again
        var data = SftData.Load(main, new CharTokenizer(), 512, [$"{replay}:0.2"], seed: 5);
        Assert.Equal(100, data.Rows.Count);
        Assert.Equal(20, data.Rows.Count(r => r.Difficulty == "level-2"));

        Assert.Contains("FILE:SHARE", Assert.Throws<ArgumentException>(() => ReplayMix.Parse($"{replay}:1.5")).Message, StringComparison.Ordinal);
        Assert.Contains("FILE:SHARE", Assert.Throws<ArgumentException>(() => new TrainConfig { Data = main, Mix = [replay] }.Validate()).Message, StringComparison.Ordinal);
        _ = JsonSerializer.Serialize(new TrainConfig { Data = main, Mix = [$"{replay}:0.2"] }.Resolved());
    }
}
