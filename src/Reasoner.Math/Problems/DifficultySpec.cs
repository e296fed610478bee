// Difficulty as data: one record per preset, loaded from configs/presets/*.json. Validate() says what to change.
using System.Text.Json.Serialization;
using Reasoner.Math.Expressions;

namespace Reasoner.Math.Problems;

public sealed record IntRange([property: JsonPropertyName("min")] int Min, [property: JsonPropertyName("max")] int Max)
{
    public int Sample(Random random) => random.Next(Min, Max + 1);

    public void Validate(string name, int lowest)
    {
        if (Min < lowest || Max < Min)
        {
            throw new ArgumentException($"{name} must satisfy {lowest} <= min <= max, got min={Min}, max={Max}");
        }
    }
}

public sealed record DifficultySpec : Families.IFamilyPreset
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "custom";

    /// <summary>Always "arithmetic" (the field may be left out: presets written before families existed have none).</summary>
    [JsonPropertyName("family")]
    public string FamilyName { get; init; } = PresetCatalog.Family;

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;

    /// <summary>Operator symbols to draw from: + - * / // % ^.</summary>
    [JsonPropertyName("operators")]
    public IReadOnlyList<string> Operators { get; init; } = ["+", "-"];

    /// <summary>Number of binary operators per problem.</summary>
    [JsonPropertyName("operations")]
    public IntRange Operations { get; init; } = new(1, 1);

    /// <summary>Digits in the integer part of each operand.</summary>
    [JsonPropertyName("digits")]
    public IntRange Digits { get; init; } = new(1, 2);

    /// <summary>
    /// Relative chance of each operand width from digits.min to digits.max (default: equal). Wider numbers are both
    /// far more numerous and harder, so a mix of widths may weight them up: [1, 2, 3, 4] over 1-4 digits draws a
    /// 4-digit operand 40 % of the time and a 1-digit one 10 %.
    /// </summary>
    [JsonPropertyName("digit_weights")]
    public IReadOnlyList<double>? DigitWeights { get; init; }

    /// <summary>
    /// One-operation problems only: chance that the operands are an edge case the schoolbook method must get right and
    /// random draws rarely hit: equal operands (5 - 5), a zero (0 + 7), all nines (9999 + 1), a power of ten (1000 - 1).
    /// </summary>
    [JsonPropertyName("edge_case_rate")]
    public double EdgeCaseRate { get; init; }

    /// <summary>Drills only (one operation): digits of the left and right operand, e.g. 3 and 2 for mul-3x2.</summary>
    [JsonPropertyName("left_digits")]
    public int? LeftDigits { get; init; }

    [JsonPropertyName("right_digits")]
    public int? RightDigits { get; init; }

    /// <summary>Deepest operator nesting allowed; 1 means a single operator.</summary>
    [JsonPropertyName("max_depth")]
    public int MaxDepth { get; init; } = 3;

    /// <summary>When false, problems read left to right with no parentheses.</summary>
    [JsonPropertyName("parentheses")]
    public bool Parentheses { get; init; } = true;

    /// <summary>Chance that an operand is negative (written with a unary minus).</summary>
    [JsonPropertyName("negative_rate")]
    public double NegativeRate { get; init; }

    /// <summary>Chance that an operand is a decimal, with <see cref="DecimalPlaces"/> digits after the point.</summary>
    [JsonPropertyName("decimal_rate")]
    public double DecimalRate { get; init; }

    [JsonPropertyName("decimal_places")]
    public IntRange DecimalPlaces { get; init; } = new(1, 2);

    /// <summary>Chance that an operand is a small fraction a/b (a division of two 1-2 digit integers).</summary>
    [JsonPropertyName("fraction_rate")]
    public double FractionRate { get; init; }

    /// <summary>Exponents for '^'.</summary>
    [JsonPropertyName("exponent")]
    public IntRange Exponent { get; init; } = new(2, 3);

    /// <summary>Only keep problems where every '/' divides evenly.</summary>
    [JsonPropertyName("exact_division")]
    public bool ExactDivision { get; init; }

    /// <summary>Reject problems where the answer or any intermediate result (numerator or denominator) has more digits than this.</summary>
    [JsonPropertyName("max_result_digits")]
    public int MaxResultDigits { get; init; } = 12;

    [JsonIgnore]
    public IReadOnlyList<BinaryOperator> ParsedOperators => Operators.Select(ParseOperator).ToList();

    /// <summary>One operand width: uniform over digits, or drawn by digit_weights when set.</summary>
    public int SampleDigits(Random random)
    {
        if (DigitWeights is not { } weights)
        {
            return Digits.Sample(random);
        }

        double draw = random.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Count; i++)
        {
            draw -= weights[i];
            if (draw < 0)
            {
                return Digits.Min + i;
            }
        }

        return Digits.Max;
    }

    public DifficultySpec Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("a difficulty needs a name");
        }

        if (Operators.Count == 0)
        {
            throw new ArgumentException($"{Name}: operators is empty; list at least one of + - * / // % ^");
        }

        _ = ParsedOperators;
        Operations.Validate($"{Name}: operations", 1);
        Digits.Validate($"{Name}: digits", 1);
        DecimalPlaces.Validate($"{Name}: decimal_places", 1);
        Exponent.Validate($"{Name}: exponent", 0);
        if (DigitWeights is { } weights
            && (weights.Count != Digits.Max - Digits.Min + 1 || weights.Any(w => w < 0 || !double.IsFinite(w)) || weights.Sum() <= 0))
        {
            throw new ArgumentException($"{Name}: digit_weights needs one weight >= 0 per width from {Digits.Min} to {Digits.Max} ({Digits.Max - Digits.Min + 1} in all), not all zero");
        }

        if ((LeftDigits ?? 1) < 1 || (RightDigits ?? 1) < 1)
        {
            throw new ArgumentException($"{Name}: left_digits and right_digits must be at least 1");
        }

        if (MaxDepth < 1)
        {
            throw new ArgumentException($"{Name}: max_depth must be at least 1");
        }

        if (Operations.Min > (1 << System.Math.Min(MaxDepth, 20)) - 1)
        {
            throw new ArgumentException($"{Name}: {Operations.Min} operations cannot fit in depth {MaxDepth}; raise max_depth");
        }

        foreach (var (rate, name) in new[] { (NegativeRate, "negative_rate"), (DecimalRate, "decimal_rate"), (FractionRate, "fraction_rate"), (EdgeCaseRate, "edge_case_rate") })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                throw new ArgumentException($"{Name}: {name} must be between 0 and 1, got {rate}");
            }
        }

        if (MaxResultDigits < 1)
        {
            throw new ArgumentException($"{Name}: max_result_digits must be at least 1");
        }

        return this;
    }

    private BinaryOperator ParseOperator(string symbol) =>
        OperatorTable.TryFromSymbol(symbol, out var op)
            ? op
            : throw new ArgumentException($"{Name}: unknown operator '{symbol}'; use + - * / // % ^");
}
