// Everything that decides a generated dataset. It is saved whole in the dataset card, so the card
// alone regenerates the same file (`reasoner generate --config FILE.card.json`). Each [Description] is also the
// `reasoner generate` flag's help text, and each default the flag's default.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Math.Problems;
using Reasoner.Math.Numbers;
using Reasoner.Math.Tracing;

namespace Reasoner.Math.Data;

public sealed record GenerateConfig
{
    [JsonPropertyName("preset")]
    [Description("Preset name(s), comma separated, each with an optional whole-number weight (add-upto-4d:3,sub-upto-2d:1: drawn 3 to 1); 'ladder' for every level, 'all', or a preset .json file. See `reasoner presets`.")]
    public string Preset { get; init; } = "level-1";

    [JsonPropertyName("count")]
    [Description("Number of examples.")]
    public int Count { get; init; } = 1_000;

    [JsonPropertyName("seed")]
    [Description("Seed for the whole file; every item also records its own seed.")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("split")]
    [Description("train or test. An expression belongs to exactly one split.")]
    [JsonConverter(typeof(JsonStringEnumConverter<Split>))]
    public Split Split { get; init; } = Split.Train;

    [JsonPropertyName("test_fraction")]
    [Description("Share of all possible expressions that belong to the test split (decided by a hash of the expression).")]
    public double TestFraction { get; init; } = 0.1;

    [JsonPropertyName("style")]
    [Description("Chain-of-thought style: node, digit or prose.")]
    [JsonConverter(typeof(JsonStringEnumConverter<TraceStyle>))]
    public TraceStyle Style { get; init; } = TraceStyle.Node;

    [JsonPropertyName("questions")]
    [Description("Question wording: bare, natural or mixed.")]
    [JsonConverter(typeof(JsonStringEnumConverter<QuestionStyle>))]
    public QuestionStyle Questions { get; init; } = QuestionStyle.Bare;

    [JsonPropertyName("shape")]
    [Description("Row shape: messages or prompt_completion (TRL's), or gsm8k ({\"question\", \"answer\": \"...\\n#### 96\"}, as lm-evaluation-harness reads GSM8K).")]
    [JsonConverter(typeof(JsonStringEnumConverter<DatasetShape>))]
    public DatasetShape Shape { get; init; } = DatasetShape.Messages;

    [JsonPropertyName("reflection_rate")]
    [Description("Chance per step of a deliberate mistake followed by its correction.")]
    public double ReflectionRate { get; init; }

    [JsonPropertyName("final_check")]
    [Description("End the thinking with a check of the last operation.")]
    public bool FinalCheck { get; init; }

    [JsonPropertyName("boxed")]
    [Description("Write the answer as <answer>\\boxed{N}</answer>.")]
    public bool Boxed { get; init; }

    [JsonPropertyName("hashes")]
    [Description("Add a '#### N' line before the answer tag.")]
    public bool Hashes { get; init; }

    [JsonPropertyName("answer_only")]
    [Description("Baseline rows: an empty think block and the answer, no steps (same problems, same answers).")]
    public bool AnswerOnly { get; init; }

    [JsonPropertyName("pad_width")]
    [Description("Digit style: zero-pad column work to at least this many digits (347 + 068); 0 = off.")]
    public int PadWidth { get; init; }

    [JsonPropertyName("terse")]
    [Description("Digit style: each column line is its claim alone (7 + 8 + 1 = 16), without the digit/carry/borrow words.")]
    public bool Terse { get; init; }

    [JsonPropertyName("compact")]
    [Description("Digit style: the compact layout a tiny model learns fastest (7+8+1=16, 8*4=32,32+2=34, 474-405=069; implies terse).")]
    public bool Compact { get; init; }

    [JsonPropertyName("multiplier_cursor")]
    [Description("Digit style: each partial product of a long multiplication starts with the multiplier digits left and the one in use (21486%10=6); zero partial products are not added.")]
    public bool MultiplierCursor { get; init; }

    [JsonPropertyName("answer_fractions")]
    [Description("How a non-terminating answer is written: improper (19/12) or mixed (1 7/12).")]
    [JsonConverter(typeof(JsonStringEnumConverter<FractionStyle>))]
    public FractionStyle AnswerFractions { get; init; } = FractionStyle.Improper;

    [JsonPropertyName("system_prompt")]
    [Description("System message for every row; 'r1' uses DeepSeek-R1's template text.")]
    public string? SystemPrompt { get; init; }

    public const string R1SystemPrompt =
        "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. "
        + "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. "
        + "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, "
        + "i.e., <think> reasoning process here </think> <answer> answer here </answer>.";

    [JsonIgnore]
    public string? ResolvedSystemPrompt => SystemPrompt == "r1" ? R1SystemPrompt : SystemPrompt;

    [JsonIgnore]
    public TraceOptions TraceOptions => new TraceOptions
    {
        Style = Style,
        ReflectionRate = ReflectionRate,
        FinalCheck = FinalCheck,
        Boxed = Boxed,
        Hashes = Hashes,
        AnswerFractions = AnswerFractions,
        PadWidth = PadWidth,
        Terse = Terse,
        Compact = Compact,
        MultiplierCursor = MultiplierCursor,
    }.Validate();

    public GenerateConfig Validate()
    {
        if (Count <= 0)
        {
            throw new ArgumentException($"count must be positive, got {Count}");
        }

        _ = new SplitAssigner(TestFraction).Validate();
        _ = TraceOptions;
        _ = Families.ProblemFamilies.For(Preset).Resolve(Preset); // an unknown preset, or a mix of families, fails here
        return this;
    }
}
