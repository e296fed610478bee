// Two equations in two unknowns, a x + b y = c and x + e y = f (or d x + y = f), drawn around an integer solution,
// and their chain of thought by substitution: the variable with coefficient 1 isolated from the second equation,
// substituted into the first, the one-variable equation solved, the other variable back-substituted, then both
// equations checked. Every equation line holds at the solution (the verifier's test for a system's step), and each
// arithmetic fact is its own "a op b = c" line.
namespace Reasoner.Math.Equations;

/// <summary>a x + b y = c; with <see cref="IsolateX"/>, x + e y = f, else d x + y = f (d stored in E).</summary>
public sealed record SystemProblem(long A, long B, long C, long E, long F, bool IsolateX, long X, long Y)
{
    public string First => $"{EquationProblem.Term(A)}{SignedTerm(B, 'y')} = {C}";

    public string Second => IsolateX ? $"x{SignedTerm(E, 'y')} = {F}" : $"{EquationProblem.Term(E)} + y = {F}";

    public string Text => $"{First}; {Second}";

    /// <summary>" + 3y", " - y".</summary>
    internal static string SignedTerm(long k, char variable) => k < 0 ? $" - {EquationProblem.Term(-k, variable)}" : $" + {EquationProblem.Term(k, variable)}";
}

public static class SystemTracer
{
    public static SystemProblem Draw(EquationSpec spec, Random random)
    {
        while (true)
        {
            long x = random.Next(spec.Solutions.Min, spec.Solutions.Max + 1), y = random.Next(spec.Solutions.Min, spec.Solutions.Max + 1);
            long Coefficient() => random.Next(spec.Coefficients.Min, spec.Coefficients.Max + 1) * (random.Next(3) == 0 ? -1 : 1);
            long a = Coefficient(), b = Coefficient(), e = Coefficient();
            bool isolateX = random.Next(2) == 0;
            long determinant = isolateX ? (a * e) - b : a - (b * e); // a x + b y = c with x + e y = f, or with e x + y = f
            if (determinant == 0)
            {
                continue; // dependent or inconsistent: not one solution
            }

            long c = (a * x) + (b * y), f = isolateX ? x + (e * y) : (e * x) + y;
            return new SystemProblem(a, b, c, e, f, isolateX, x, y);
        }
    }

    /// <summary>The chain of thought and the answer "x = 3, y = 2".</summary>
    public static (string Thinking, string Answer) Trace(SystemProblem p)
    {
        var lines = new List<string> { p.First, p.Second };
        // Isolate u (the variable with coefficient 1): u = f - e v; substitute into k_u u + k_v v = c.
        char u = p.IsolateX ? 'x' : 'y', v = p.IsolateX ? 'y' : 'x';
        long ku = p.IsolateX ? p.A : p.B, kv = p.IsolateX ? p.B : p.A;
        long vValue = p.IsolateX ? p.Y : p.X, uValue = p.IsolateX ? p.X : p.Y;
        lines.Add($"{u} = {p.F}{SystemProblem.SignedTerm(-p.E, v)}");
        lines.Add($"{ku}({p.F}{SystemProblem.SignedTerm(-p.E, v)}){SystemProblem.SignedTerm(kv, v)} = {p.C}");
        long constant = ku * p.F, spread = -ku * p.E;
        lines.Add($"{ku}*{EquationTracer.Operand(p.F)} = {constant}");
        lines.Add($"{ku}*{EquationTracer.Operand(-p.E)} = {spread}");
        lines.Add($"{constant}{SystemProblem.SignedTerm(spread, v)}{SystemProblem.SignedTerm(kv, v)} = {p.C}");
        long k = spread + kv;
        lines.Add($"{EquationTracer.Plus(spread, kv)} = {k}");
        lines.Add($"{constant}{SystemProblem.SignedTerm(k, v)} = {p.C}");
        long r = p.C - constant;
        lines.Add($"{EquationTracer.Minus(p.C, constant)} = {r}");
        lines.Add($"{EquationProblem.Term(k, v)} = {r}");
        if (k != 1)
        {
            lines.Add($"{r} / {EquationTracer.Operand(k)} = {vValue}");
            lines.Add($"{v} = {vValue}");
        }

        lines.Add($"{u} = {p.F} - {EquationTracer.Operand(p.E)}*{EquationTracer.Operand(vValue)}");
        lines.Add($"{EquationTracer.Operand(p.E)}*{EquationTracer.Operand(vValue)} = {p.E * vValue}");
        lines.Add($"{EquationTracer.Minus(p.F, p.E * vValue)} = {uValue}");
        lines.Add($"{u} = {uValue}");
        string X = EquationTracer.Operand(p.X), Y = EquationTracer.Operand(p.Y);
        string Times(long k, string value) => k < 0 ? $" - {-k}*{value}" : $" + {k}*{value}";
        lines.Add(p.IsolateX
            ? $"check: {p.A}*{X}{Times(p.B, Y)} = {p.C}, {X}{Times(p.E, Y)} = {p.F}"
            : $"check: {p.A}*{X}{Times(p.B, Y)} = {p.C}, {p.E}*{X} + {Y} = {p.F}");
        return (string.Join('\n', lines), $"x = {p.X}, y = {p.Y}");
    }
}
