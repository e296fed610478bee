// Collects trace lines. Every claim is checked against exact arithmetic as it is written, so a
// tracer bug fails loudly at generation time instead of shipping a wrong step.
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal sealed class TraceWriter
{
    private readonly List<TraceLine> _lines = [];

    public IReadOnlyList<TraceLine> Lines => _lines;

    public void Note(string text) => _lines.Add(new TraceLine(text));

    /// <summary>Writes "left = value[suffix]" after checking that left evaluates to value.</summary>
    public void Claim(string left, Rational value, string suffix = "", string prefix = "")
    {
        CheckClaim(left, value);
        _lines.Add(new TraceLine($"{prefix}{StepFormat.Claim(left, value)}{suffix}", left, value));
    }

    /// <summary>A line that holds several claims; the first one is the line's primary claim.</summary>
    public void Claims(params (string Left, Rational Value)[] claims)
    {
        foreach (var (left, value) in claims)
        {
            CheckClaim(left, value);
        }

        var text = string.Join(", ", claims.Select(c => StepFormat.Claim(c.Left, c.Value)));
        _lines.Add(new TraceLine(text, claims[0].Left, claims[0].Value));
    }

    public void Add(TraceLine line) => _lines.Add(line);

    private static void CheckClaim(string left, Rational value)
    {
        var actual = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(left));
        if (actual != value)
        {
            throw new InvalidOperationException($"tracer bug: wrote '{left} = {StepFormat.Value(value)}' but it is {StepFormat.Value(actual)}");
        }
    }
}
