// The output of the tracer: the lines of thinking, the exact value and the rendered answer.
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

/// <summary>One line of thinking; <see cref="ClaimLeft"/> is its first checkable claim "left = value", if any.</summary>
public sealed record TraceLine(string Text, string? ClaimLeft = null, Rational ClaimValue = default)
{
    public bool HasClaim => ClaimLeft is not null;
}

public sealed record Trace(Expr Expression, Rational Value, string Answer, IReadOnlyList<TraceLine> Lines, int Reflections)
{
    public string Thinking => string.Join('\n', Lines.Select(l => l.Text));
}
