// Where a GRPO run stands, saved in every checkpoint as trainer_state.json. Prompts and sampling are pure
// functions of (seed, step), so this plus the weights and optimizer state is enough to resume exactly.
using System.Text.Json.Serialization;
using Reasoner.Training.Runs;

namespace Reasoner.Training.Grpo;

public sealed record GrpoState : IRunState
{
    [JsonPropertyName("step")]
    public int Step { get; init; }

    [JsonPropertyName("elapsed_seconds")]
    public double ElapsedSeconds { get; init; }

    [JsonPropertyName("tokens_generated")]
    public long TokensGenerated { get; init; }

    [JsonPropertyName("last_reward_mean")]
    public double LastRewardMean { get; init; }

    [JsonPropertyName("curriculum")]
    public CurriculumState? Curriculum { get; init; }

    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    [JsonPropertyName("trainer")]
    public string Trainer { get; init; } = GrpoTrainer.Kind;
}
