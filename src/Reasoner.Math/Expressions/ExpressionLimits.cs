// Guards against abusive input: huge numbers, deep nesting, exponents that would exhaust memory.
namespace Reasoner.Math.Expressions;

public sealed record ExpressionLimits
{
    public static ExpressionLimits Default { get; } = new();

    /// <summary>Longest accepted input text, in characters.</summary>
    public int MaxInputLength { get; init; } = 100_000;

    /// <summary>Most digits in one literal (integer and fraction digits together).</summary>
    public int MaxNumberDigits { get; init; } = 1_000;

    /// <summary>Deepest nesting of parentheses and operators; keeps recursion far from the stack limit.</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Largest absolute integer exponent for '^'.</summary>
    public int MaxExponent { get; init; } = 10_000;

    /// <summary>Most decimal digits in the numerator or denominator of any intermediate or final result.</summary>
    public int MaxResultDigits { get; init; } = 100_000;

    public ExpressionLimits Validate()
    {
        Require(MaxInputLength, nameof(MaxInputLength));
        Require(MaxNumberDigits, nameof(MaxNumberDigits));
        Require(MaxDepth, nameof(MaxDepth));
        Require(MaxExponent, nameof(MaxExponent));
        Require(MaxResultDigits, nameof(MaxResultDigits));
        if (MaxDepth > 2_000)
        {
            throw new ArgumentException($"{nameof(MaxDepth)} = {MaxDepth} risks a stack overflow; use at most 2000");
        }

        return this;
    }

    private static void Require(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive, got {value}");
        }
    }
}
