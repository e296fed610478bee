// Collects trace lines. Claims are not re-checked here: every generated example goes through the
// verifier (ExampleBuilder), which re-parses and re-checks each claim from the text, so a tracer bug
// fails loudly at generation time instead of shipping a wrong step.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal sealed class TraceWriter
{
    private readonly List<TraceLine> _lines = [];

    public IReadOnlyList<TraceLine> Lines => _lines;

    /// <summary>Minimum width of column work in the digit style (TraceOptions.PadWidth).</summary>
    public int PadWidth { get; init; }

    /// <summary>Column lines hold only their claim (TraceOptions.Terse).</summary>
    public bool Terse { get; init; }

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

    public void Note(string text) => _lines.Add(new TraceLine(text));

    /// <summary>Writes "left = value[suffix]" after checking that left evaluates to value.</summary>
    public void Claim(string left, Rational value, string suffix = "", string prefix = "")
    {
        _lines.Add(new TraceLine($"{prefix}{StepFormat.Claim(left, value)}{suffix}", left, value));
    }

    /// <summary>A line that holds several claims; the first one is the line's primary claim.</summary>
    public void Claims(params (string Left, Rational Value)[] claims)
    {
        var text = string.Join(", ", claims.Select(c => StepFormat.Claim(c.Left, c.Value)));
        _lines.Add(new TraceLine(text, claims[0].Left, claims[0].Value));
    }

    public void Add(TraceLine line) => _lines.Add(line);
}
