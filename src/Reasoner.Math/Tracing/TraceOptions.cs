// How a trace is written: style, reflection rate, final check, answer markers.
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

public enum TraceStyle
{
    /// <summary>One line per operator: <c>37 + 48 = 85</c>.</summary>
    Node,

    /// <summary>Every operator expanded into the schoolbook algorithm, one digit per line, least significant first.</summary>
    Digit,

    /// <summary>The node steps in natural language from seeded templates; every number is still exact.</summary>
    Prose,
}

public sealed record TraceOptions
{
    public TraceStyle Style { get; init; } = TraceStyle.Node;

    /// <summary>Probability per checkable line of first writing a wrong claim and then correcting it ("wait, ...").</summary>
    public double ReflectionRate { get; init; }

    /// <summary>End the thinking with a check line: the inverse of the last operation.</summary>
    public bool FinalCheck { get; init; }

    /// <summary>How a non-terminating answer is written; steps always use improper fractions.</summary>
    public FractionStyle AnswerFractions { get; init; } = FractionStyle.Improper;

    /// <summary>Write the answer as <c>&lt;answer&gt;\boxed{N}&lt;/answer&gt;</c> for evaluators that look for \boxed.</summary>
    public bool Boxed { get; init; }

    /// <summary>Add a <c>#### N</c> line between the thinking and the answer, as GSM8K-style evaluators expect.</summary>
    public bool Hashes { get; init; }

    /// <summary>
    /// Digit style only: column work pads both operands with zeros to at least this many digits and first
    /// restates them at that width (<c>347 + 068</c>), so every column sits at a fixed place; 0 = no padding.
    /// </summary>
    public int PadWidth { get; init; }

    public const int MaxPadWidth = 64;

    /// <summary>
    /// Digit style only: each column line is its claim alone (<c>7 + 8 + 1 = 16</c>, <c>13 - 5 - 1 = 7</c>), without
    /// the restated digit, carry and borrow words, which the next line's operands already show. About half the
    /// characters, so a tiny model sees twice the column work per second of training.
    /// </summary>
    public bool Terse { get; init; }

    /// <summary>
    /// Digit style only, implies <see cref="Terse"/>: the layout a tiny model learns fastest per second of training.
    /// Work lines without spaces (<c>7+8+1=16</c>), no <c>step 1:</c> header when the problem has one operator, each
    /// multiply-by-digit fact split into the table fact and the carry (<c>8*4=32,32+2=34</c>), no "digit k of b"
    /// notes, and a column subtraction's result read out at the working width (<c>474-405=069</c>), so the digits
    /// are copied back in a fixed pattern. Measured on the demo's problems: about 60 % of the terse tokens.
    /// </summary>
    public bool Compact { get; init; }

    /// <summary>
    /// Digit style only: long multiplication starts each partial product with the multiplier's digits not used yet and
    /// the one it uses now (<c>21486%10=6</c>, then <c>2148%10=8</c>, ...), and a zero digit's partial product is not
    /// added to the running sum. The digit in use is then copied from the line above, not found by position in the
    /// problem; without it, losing count of the multiplier's digits around a zero was 33 of 35 failures of a nano
    /// model on 5x5 multiplication (docs/2026-12-02-multiply.md).
    /// </summary>
    public bool MultiplierCursor { get; init; }

    /// <summary>Terse column lines, as asked or implied by <see cref="Compact"/>.</summary>
    public bool IsTerse => Terse || Compact;

    public ExpressionLimits Limits { get; init; } = ExpressionLimits.Default;

    public TraceOptions Validate()
    {
        if (ReflectionRate is < 0 or > 1 || double.IsNaN(ReflectionRate))
        {
            throw new ArgumentException($"ReflectionRate must be between 0 and 1, got {ReflectionRate}");
        }

        if (PadWidth is < 0 or > MaxPadWidth)
        {
            throw new ArgumentException($"pad width must be between 0 and {MaxPadWidth}, got {PadWidth}");
        }

        if (MultiplierCursor && Style != TraceStyle.Digit)
        {
            throw new ArgumentException($"the multiplier cursor is part of the digit style's long multiplication; use it with style digit, not {Style.ToString().ToLowerInvariant()}");
        }

        Limits.Validate();
        return this;
    }
}
