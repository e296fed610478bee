using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;
using Reasoner.Model.Network;

namespace Reasoner.Model.Tests;

/// <summary>Checkpoints as Hugging Face's Trainer names them, old names still read; the answer length a model was trained for travels with it.</summary>
public sealed class CheckpointNamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-naming-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_newest_checkpoint_is_found_by_step_whatever_the_name_width()
    {
        foreach (var name in new[] { "checkpoint-0000100", "checkpoint-90", "checkpoint-300.tmp-42" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, "checkpoints", name));
        }

        Assert.EndsWith("checkpoint-0000100", Reasoner.Training.Runs.RunFolder.LatestCheckpointIn(_dir));
        Directory.CreateDirectory(Path.Combine(_dir, "checkpoints", "checkpoint-200"));
        Assert.EndsWith("checkpoint-200", Reasoner.Training.Runs.RunFolder.LatestCheckpointIn(_dir));
    }

    [Fact]
    public void A_trained_checkpoint_says_how_long_its_answers_run_in_generation_config()
    {
        var data = Path.Combine(_dir, "train.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-2d", Count = 30, Seed = 4, Style = Reasoner.Math.Tracing.TraceStyle.Digit }, data);
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 512 }));
        var run = Path.Combine(_dir, "run");
        var (code, _, error) = ReasonerProcess.Run(["train", "--data", data, "--model", model, "--max-steps", "2", "--out", run]);
        Assert.True(code == 0, error);

        var checkpoint = Path.Combine(run, "checkpoints", "checkpoint-2");
        Assert.True(Directory.Exists(checkpoint));
        var tokenizer = new Reasoner.Model.Tokenization.CharTokenizer();
        int longest = DatasetReader.Read(data).Max(r => tokenizer.Chat.Completion(tokenizer, r.Completion).Count);
        Assert.Equal(Reasoner.Model.Checkpoints.GenerationConfig.FromLongestCompletion(longest), Reasoner.Model.Checkpoints.GenerationConfig.MaxNewTokens(checkpoint));
        Assert.True(Reasoner.Model.Checkpoints.GenerationConfig.FromLongestCompletion(longest) < 512 - 20);
    }
}
