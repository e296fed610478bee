// Where an SFT or pretraining run stands, saved in every checkpoint as trainer_state.json: enough to resume exactly.
using System.Text.Json.Serialization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Sft;

public sealed record SftState : IRunState
{
    [JsonPropertyName("step")]
    public int Step { get; init; }

    /// <summary>Epoch and batch index of the next batch: the data order is a function of (seed, epoch).</summary>
    [JsonPropertyName("epoch")]
    public int Epoch { get; init; }

    [JsonPropertyName("batch_in_epoch")]
    public int BatchInEpoch { get; init; }

    [JsonPropertyName("tokens_seen")]
    public long TokensSeen { get; init; }

    [JsonPropertyName("elapsed_seconds")]
    public double ElapsedSeconds { get; init; }

    [JsonPropertyName("last_loss")]
    public double LastLoss { get; init; }

    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    /// <summary>Absent in checkpoints written before the field existed, which were all SFT.</summary>
    [JsonPropertyName("trainer")]
    public string Trainer { get; init; } = SftTrainer.Kind;
}
