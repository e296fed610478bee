// Collects trace lines. Claims are not re-checked here: every generated example goes through the
// verifier (ExampleBuilder), which re-parses and re-checks each claim from the text, so a tracer bug
// fails loudly at generation time instead of shipping a wrong step.
using System.Numerics;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal sealed class TraceWriter
{
    private readonly List<TraceLine> _lines = [];
    private int? _readoutWidth;

    public IReadOnlyList<TraceLine> Lines => _lines;

    /// <summary>Minimum width of column work in the digit style (TraceOptions.PadWidth).</summary>
    public int PadWidth { get; init; }

    /// <summary>Column lines hold only their claim (TraceOptions.Terse).</summary>
    public bool Terse { get; init; }

    /// <summary>TraceOptions.Compact: arithmetic-only lines are written without spaces.</summary>
    public bool Compact { get; init; }

    /// <summary>TraceOptions.MultiplierCursor: each partial product starts with the multiplier digits left.</summary>
    public bool MultiplierCursor { get; init; }

    /// <summary>A note that the terse digit style leaves out (the next lines say the same in numbers).</summary>
    public void Explain(string text)
    {
        if (!Terse)
        {
            Note(text);
        }
    }

    /// <summary>A claim with words around it that the terse digit style leaves out.</summary>
    public void ClaimExplained(string left, Rational value, string suffix, string prefix = "") =>
        Claim(left, value, Terse ? string.Empty : suffix, Terse ? string.Empty : prefix);

    public void Note(string text) => _lines.Add(new TraceLine(Squeeze(text)));

    /// <summary>Writes "left = value[suffix]"; every generated example is re-checked by the verifier afterwards.</summary>
    public void Claim(string left, Rational value, string suffix = "", string prefix = "")
    {
        var shown = StepFormat.Value(value);
        if (_readoutWidth is int width && value.IsInteger)
        {
            shown = (value.Sign < 0 ? "-" : string.Empty) + SchoolbookAlgorithms.Padded(BigInteger.Abs(value.Numerator), width);
        }

        _readoutWidth = null;
        _lines.Add(new TraceLine(Squeeze($"{prefix}{left} = {shown}{suffix}"), left, value));
    }

    /// <summary>
    /// Compact layout: the next claim shows its value zero-padded to the column width (<c>474-405=069</c>, the same
    /// number), so the column digits are read back in a fixed pattern; ColumnSubtract calls this, the claim after it uses it.
    /// </summary>
    public void ReadOutNextClaimAt(int width)
    {
        if (Compact)
        {
            _readoutWidth = width;
        }
    }

    /// <summary>A line that holds several claims; the first one is the line's primary claim.</summary>
    public void Claims(params (string Left, Rational Value)[] claims)
    {
        var text = string.Join(", ", claims.Select(c => StepFormat.Claim(c.Left, c.Value)));
        _lines.Add(new TraceLine(Squeeze(text), claims[0].Left, claims[0].Value));
    }

    public void Add(TraceLine line) => _lines.Add(line);

    /// <summary>In the compact layout a line of numbers and operators loses its spaces; a line with words keeps them.</summary>
    public string Squeeze(string text) => Compact && !text.Any(char.IsAsciiLetter) ? text.Replace(" ", string.Empty, StringComparison.Ordinal) : text;
}
