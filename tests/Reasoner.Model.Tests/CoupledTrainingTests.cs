using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Sft;

namespace Reasoner.Model.Tests;

/// <summary>A position-coupled model trains on the positions decoding will give it, and keeps its coupling through a checkpoint.</summary>
public sealed class CoupledTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-coupled-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data(int count)
    {
        var data = Path.Combine(_dir, "add.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-upto-4d", Count = count, Seed = 3, Style = Reasoner.Math.Tracing.TraceStyle.Digit, Compact = true }, data);
        return data;
    }

    private string ModelFile()
    {
        var config = ModelConfig.Preset("nano", new CharTokenizer().VocabSize) with
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 2048,
            PositionCoupling = PositionCoupling.ColumnAddition, PositionCouplingMaxOffset = 500,
        };
        var path = Path.Combine(_dir, "coupled.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config, ModelConfig.Json));
        return path;
    }

    [Fact]
    public void Training_batches_carry_each_rows_coupled_positions_shifted_within_the_offset()
    {
        var tokenizer = new CharTokenizer();
        var coupling = PositionCoupling.For(ModelConfig.Load(ModelFile()), tokenizer)!;
        var data = SftData.Load(Data(8), tokenizer, 1024);
        int[] rows = [0, 3, 5];
        using var batch = data.Tensors(rows, TrainMode.Sft, tokenizer.PadId, coupling, offsetSeed: 42);
        var positions = batch.Positions!.data<long>().ToArray();
        long width = batch.Inputs.shape[1];
        var offsets = new HashSet<long>();
        for (int r = 0; r < rows.Length; r++)
        {
            var row = data.Rows[rows[r]];
            var unshifted = coupling.Sequence(row.Tokens, row.PromptLength);
            long offset = positions[(r * width) + row.PromptLength] - unshifted[row.PromptLength]; // the first completion token's shift
            Assert.InRange(offset, 0, coupling.MaxOffset);
            offsets.Add(offset);
            Assert.Equal(coupling.Sequence(row.Tokens, row.PromptLength, offset).Take((int)width), positions.Skip((int)(r * width)).Take(System.Math.Min((int)width, row.Tokens.Length)));
        }

        Assert.True(offsets.Count > 1, "rows should draw their own shifts");
    }

    [Fact]
    public void A_coupled_model_trains_saves_loads_and_evaluates_with_its_coupling()
    {
        var data = Data(40);
        var config = new TrainConfig { Data = data, Model = ModelFile(), MaxSteps = 12, BatchTokens = 1024, WarmupSteps = 2, CheckpointEvery = 12, EvalEvery = 1_000, LogEvery = 6, Seed = 5 };
        var result = SftTrainer.Run(config, Path.Combine(_dir, "run"));
        Assert.True(double.IsFinite(result.FinalLoss));
        var (model, tokenizer) = Checkpoint.Load(result.FinalCheckpoint);
        Assert.Equal(PositionCoupling.ColumnAddition, model.Config.PositionCoupling);
        Assert.Equal(500, model.Config.PositionCouplingMaxOffset);
        Assert.NotNull(model.Coupling);
        var report = new Evaluator(model, tokenizer).Run(DatasetReader.Read(data).Take(4).ToList(), new EvalOptions { MaxNewTokens = 80 });
        Assert.Equal(4, report.Overall.Count);
    }
}
