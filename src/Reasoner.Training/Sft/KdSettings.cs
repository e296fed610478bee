// Logit distillation for a training run, as the "kd" object of a train config (flags --teacher, --kd-alpha,
// --kd-temperature). Absent means plain SFT. With it, the loss on completion tokens is
// (1 - alpha) * cross-entropy + alpha * T^2 * KL(teacher_T || student_T), the teacher's and the student's
// distributions both softened by the temperature T (Hinton et al.'s T^2 keeps the gradient scale as T changes).
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Reasoner.Training.Sft;

public sealed record KdSettings
{
    [JsonPropertyName("teacher")]
    [Description("Teacher for logit distillation: a run, checkpoint or Hugging Face folder with the same tokenizer as the student.")]
    public string Teacher { get; init; } = string.Empty;

    [JsonPropertyName("alpha")]
    [Description("Weight of the KL term; 1 - alpha weighs cross-entropy on the data.")]
    public double Alpha { get; init; } = 0.5;

    [JsonPropertyName("temperature")]
    [Description("Softening temperature of both distributions in the KL term.")]
    public double Temperature { get; init; } = 1.0;

    public KdSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(Teacher))
        {
            throw new ArgumentException("--teacher: logit distillation needs a teacher checkpoint (a run, checkpoint or Hugging Face folder)");
        }

        if (Alpha is < 0 or > 1 || Temperature <= 0 || !double.IsFinite(Temperature))
        {
            throw new ArgumentException($"--kd-alpha must be in [0, 1] (got {Alpha}) and --kd-temperature > 0 (got {Temperature})");
        }

        return this;
    }
}
