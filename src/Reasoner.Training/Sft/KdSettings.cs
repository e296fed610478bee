// Logit distillation for a training run, as the "kd" object of a train config (flags --teacher, --kd-alpha,
// --kd-temperature, --kd-beta, --kd-lmbda, --kd-max-new-tokens). Absent means plain SFT. With it, the loss on
// completion tokens is (1 - alpha) * cross-entropy + alpha * T^2 * D(teacher_T, student_T), both distributions
// softened by the temperature T (Hinton et al.'s T^2 keeps the gradient scale as T changes). D is chosen by beta as
// in TRL's GKDTrainer: forward KL (0, the default), reverse KL (1), or the generalized Jensen-Shannon divergence.
// With lmbda > 0 that share of micro-batches is on-policy (GKD): the student writes the completions, the teacher
// scores them, and the loss there is T^2 * D alone (cross-entropy on the student's own samples would teach nothing).
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Reasoner.Training.Sft;

public sealed record KdSettings
{
    [JsonPropertyName("teacher")]
    [Description("Teacher for logit distillation: a run, checkpoint or Hugging Face folder with the same tokenizer as the student.")]
    public string Teacher { get; init; } = string.Empty;

    [JsonPropertyName("alpha")]
    [Description("Weight of the divergence term; 1 - alpha weighs cross-entropy on the data (on-policy micro-batches take the divergence alone).")]
    public double Alpha { get; init; } = 0.5;

    [JsonPropertyName("temperature")]
    [Description("Softening temperature of both distributions in the divergence, and the sampling temperature of on-policy completions.")]
    public double Temperature { get; init; } = 1.0;

    [JsonPropertyName("beta")]
    [Description("Divergence, as GKD's beta: 0 forward KL(teacher || student), 1 reverse KL(student || teacher), between them the generalized Jensen-Shannon divergence with mixture beta * teacher + (1 - beta) * student.")]
    public double Beta { get; init; }

    [JsonPropertyName("lmbda")]
    [Description("Share of micro-batches that are on-policy, as GKD's lmbda: the student samples completions for the batch's prompts (at the KD temperature) and the teacher scores every token. 0 trains on the data's completions only.")]
    public double Lmbda { get; init; }

    [JsonPropertyName("max_new_tokens")]
    [Description("Longest on-policy completion; 0 means 1.5 times the longest data completion in the micro-batch. Always capped by max_seq_len.")]
    public int MaxNewTokens { get; init; }

    public KdSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(Teacher))
        {
            throw new ArgumentException("--teacher: logit distillation needs a teacher checkpoint (a run, checkpoint or Hugging Face folder)");
        }

        if (!InUnitRange(Alpha) || !(Temperature > 0) || !double.IsFinite(Temperature))
        {
            throw new ArgumentException($"--kd-alpha must be in [0, 1] (got {Alpha}) and --kd-temperature > 0 (got {Temperature})");
        }

        if (!InUnitRange(Beta) || !InUnitRange(Lmbda) || MaxNewTokens < 0)
        {
            throw new ArgumentException($"--kd-beta and --kd-lmbda must be in [0, 1] (got {Beta} and {Lmbda}), --kd-max-new-tokens >= 0 (got {MaxNewTokens})");
        }

        return this;
    }

    private static bool InUnitRange(double value) => value is >= 0 and <= 1; // false for NaN
}
