// Everything that decides a generated dataset. It is saved whole in the dataset card, so the card
// alone regenerates the same file.
using System.Text.Json.Serialization;
using Reasoner.Math.Problems;
using Reasoner.Math.Numbers;
using Reasoner.Math.Tracing;

namespace Reasoner.Math.Data;

public sealed record GenerateConfig
{
    /// <summary>Preset names joined by commas, "ladder", "all", or paths to preset JSON files.</summary>
    [JsonPropertyName("preset")]
    public string Preset { get; init; } = "level-1";

    [JsonPropertyName("count")]
    public int Count { get; init; } = 1_000;

    [JsonPropertyName("seed")]
    public long Seed { get; init; } = 1;

    [JsonPropertyName("split")]
    [JsonConverter(typeof(JsonStringEnumConverter<Split>))]
    public Split Split { get; init; } = Split.Train;

    /// <summary>Share of all possible expressions that belong to the test split (decided by hash, see SplitAssigner).</summary>
    [JsonPropertyName("test_fraction")]
    public double TestFraction { get; init; } = 0.1;

    [JsonPropertyName("style")]
    [JsonConverter(typeof(JsonStringEnumConverter<TraceStyle>))]
    public TraceStyle Style { get; init; } = TraceStyle.Node;

    [JsonPropertyName("questions")]
    [JsonConverter(typeof(JsonStringEnumConverter<QuestionStyle>))]
    public QuestionStyle Questions { get; init; } = QuestionStyle.Bare;

    [JsonPropertyName("shape")]
    [JsonConverter(typeof(JsonStringEnumConverter<DatasetShape>))]
    public DatasetShape Shape { get; init; } = DatasetShape.Messages;

    [JsonPropertyName("reflection_rate")]
    public double ReflectionRate { get; init; }

    [JsonPropertyName("final_check")]
    public bool FinalCheck { get; init; }

    [JsonPropertyName("boxed")]
    public bool Boxed { get; init; }

    [JsonPropertyName("hashes")]
    public bool Hashes { get; init; }

    /// <summary>Baseline data: an empty think block and the answer, no steps (same problems, same answers).</summary>
    [JsonPropertyName("answer_only")]
    public bool AnswerOnly { get; init; }

    /// <summary>Digit style: zero-pad column work to at least this many digits (TraceOptions.PadWidth); 0 = off.</summary>
    [JsonPropertyName("pad_width")]
    public int PadWidth { get; init; }

    /// <summary>Digit style: column lines hold only their claim (TraceOptions.Terse).</summary>
    [JsonPropertyName("terse")]
    public bool Terse { get; init; }

    /// <summary>Digit style: the compact layout (TraceOptions.Compact; implies terse).</summary>
    [JsonPropertyName("compact")]
    public bool Compact { get; init; }

    [JsonPropertyName("answer_fractions")]
    [JsonConverter(typeof(JsonStringEnumConverter<FractionStyle>))]
    public FractionStyle AnswerFractions { get; init; } = FractionStyle.Improper;

    /// <summary>Optional system message; "r1" selects DeepSeek-R1's template text.</summary>
    [JsonPropertyName("system_prompt")]
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
    }.Validate();

    public GenerateConfig Validate()
    {
        if (Count <= 0)
        {
            throw new ArgumentException($"count must be positive, got {Count}");
        }

        _ = new SplitAssigner(TestFraction).Validate();
        _ = TraceOptions;
        _ = PresetCatalog.Resolve(Preset);
        return this;
    }
}
