// LoRA for a training run, as the "lora" object of a train or GRPO config (flags --lora-r, --lora-alpha,
// --lora-dropout, --lora-target-modules). Absent means full fine-tuning. With it, the model from init_from stays frozen
// (held in bf16 when precision is bf16), only the adapters train, and checkpoints hold the adapters in PEFT's layout.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Model.Network;

namespace Reasoner.Training.Runs;

public sealed record LoraSettings
{
    [JsonPropertyName("r")]
    [Description("LoRA rank: the adapters' inner width.")]
    public int R { get; init; } = 8;

    [JsonPropertyName("alpha")]
    [Description("LoRA alpha: updates are scaled by alpha / r.")]
    public double Alpha { get; init; } = 16;

    [JsonPropertyName("dropout")]
    [Description("Dropout on the adapters' input (masks are seeded per step, so resume stays exact).")]
    public double Dropout { get; init; }

    [JsonPropertyName("target_modules")]
    [Description("Projections that get adapters: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.")]
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    public LoraConfig ToConfig(string baseModel) =>
        new LoraConfig { R = R, LoraAlpha = Alpha, LoraDropout = Dropout, TargetModules = TargetModules, BaseModelNameOrPath = baseModel }.Validate();
}
