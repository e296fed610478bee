// One linear equation, drawn from its preset's ranges around a chosen solution, and its chain of thought: a sequence
// of equivalent equations (distribute, collect, move terms, divide), each arithmetic fact it uses written as its own
// "a op b = c" line, ending with a substitution check of both sides. Numbers in the equation are whole; fractional
// solutions come from a coefficient that does not divide the constant.
using System.Text;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Equations;

/// <summary>a(x + p) + c = d x + e in general; the forms use parts of it (p = 0 and no parentheses, d = 0, ...).</summary>
public sealed record EquationProblem(string Form, long A, long P, long C, long D, long E, Rational Solution)
{
    public string Text => Form switch
    {
        "ax=b" => $"{Term(A)} = {E}",
        "ax+b=c" => $"{Term(A)}{Signed(C)} = {E}",
        "both-sides" => $"{Term(A)}{Signed(C)} = {Side(D, E)}",
        _ => $"{Factor(A)}(x{Signed(P)}){Signed(C)} = {Side(D, E)}",
    };

    /// <summary>"3x", "x", "-x", "-4x" (or in another variable).</summary>
    internal static string Term(long k, char variable = 'x') => k switch { 1 => $"{variable}", -1 => $"-{variable}", _ => $"{k}{variable}" };

    /// <summary>"d x + e", or just "e" when d is 0.</summary>
    internal static string Side(long d, long e) => d == 0 ? $"{e}" : $"{Term(d)}{Signed(e)}";

    /// <summary>" + 5", " - 5", or nothing for 0.</summary>
    internal static string Signed(long k) => k switch { 0 => string.Empty, > 0 => $" + {k}", _ => $" - {-k}" };

    private static string Factor(long k) => k switch { 1 => string.Empty, -1 => "-", _ => $"{k}" };
}

public static class EquationTracer
{
    public static EquationProblem Draw(EquationSpec spec, Random random)
    {
        if (spec.Form == "system")
        {
            throw new ArgumentException($"preset '{spec.Name}' is a system of two equations: draw it with SystemTracer");
        }

        while (true)
        {
            long q = spec.FractionalSolutions ? random.Next(2, 7) : 1;
            long p = random.Next(spec.Solutions.Min, spec.Solutions.Max + 1);
            var x = Rational.Create(p, q);
            long Coefficient() => random.Next(spec.Coefficients.Min, spec.Coefficients.Max + 1) * (random.Next(4) == 0 ? -1 : 1);
            long Constant() => random.Next(spec.Constants.Min, spec.Constants.Max + 1);
            long a = Coefficient() * q, offset = spec.Form == "parentheses" ? Constant() : 0, c = spec.Form == "ax=b" ? 0 : Constant();
            long d = spec.Form is "both-sides" or "parentheses" ? Coefficient() : 0;
            if (spec.Form is "both-sides" or "parentheses" && random.Next(3) == 0)
            {
                d = 0; // the variable on one side only, now and then
            }

            // e makes x the solution: a(x + offset) + c = d x + e.
            var e = (new Rational(a) * (x + new Rational(offset))) + new Rational(c) - (new Rational(d) * x);
            bool plainParentheses = spec.Form == "parentheses" && (offset == 0 || System.Math.Abs(a) < 2); // "-9(x)", "1(x + 1)": nothing to distribute
            if (a == d || plainParentheses || !e.IsInteger || x.IsInteger != !spec.FractionalSolutions || BigAbs(e) > 1_000_000)
            {
                continue; // one solution, whole numbers in the equation, a fraction exactly when asked for
            }

            return new EquationProblem(spec.Form, a, offset, c, d, (long)e.Numerator, x);
        }
    }

    private static long BigAbs(Rational r) => (long)System.Numerics.BigInteger.Abs(r.Numerator);

    /// <summary>The chain of thought between &lt;think&gt; tags, and the answer "x = v".</summary>
    public static (string Thinking, string Answer) Trace(EquationProblem problem)
    {
        var lines = new List<string> { problem.Text };
        var (a, p, c, d, e) = (problem.A, problem.P, problem.C, problem.D, problem.E);
        long constant = c;
        if (problem.Form == "parentheses" && p != 0)
        {
            lines.Add($"{a}*{Operand(p)} = {a * p}");
            lines.Add($"{EquationProblem.Term(a)}{EquationProblem.Signed(a * p)}{EquationProblem.Signed(c)} = {Right(d, e)}");
            if (c != 0)
            {
                lines.Add($"{Plus(a * p, c)} = {(a * p) + c}");
            }

            constant = (a * p) + c;
            lines.Add($"{EquationProblem.Term(a)}{EquationProblem.Signed(constant)} = {Right(d, e)}");
        }
        else if (problem.Form == "parentheses")
        {
            lines.Add($"{EquationProblem.Term(a)}{EquationProblem.Signed(c)} = {Right(d, e)}");
        }

        // Variables left, numbers right: (a - d) x = e - constant.
        long k = a - d, r = e - constant;
        if (d != 0 || constant != 0)
        {
            lines.Add($"{EquationProblem.Term(a)}{(d == 0 ? string.Empty : d > 0 ? $" - {EquationProblem.Term(d)}" : $" + {EquationProblem.Term(-d)}")} = {e}{(constant == 0 ? string.Empty : constant > 0 ? $" - {constant}" : $" + {-constant}")}");
            if (d != 0)
            {
                lines.Add($"{Minus(a, d)} = {k}");
            }

            if (constant != 0)
            {
                lines.Add($"{Minus(e, constant)} = {r}");
            }

            lines.Add($"{EquationProblem.Term(k)} = {r}");
        }

        var x = Rational.Create(r, k);
        if (k != 1)
        {
            lines.Add($"{r} / {Operand(k)} = {RationalFormatter.FormatFraction(x)}");
            lines.Add($"x = {RationalFormatter.FormatFraction(x)}");
        }

        lines.Add($"check: {Check(problem, x)}");
        return (string.Join('\n', lines), $"x = {RationalFormatter.FormatFraction(x)}");
    }

    private static string Right(long d, long e) => EquationProblem.Side(d, e);

    /// <summary>"a + b" or "a - b" as the sum a + b is written, a negative b subtracted.</summary>
    internal static string Plus(long a, long b) => b < 0 ? $"{a} - {-b}" : $"{a} + {b}";

    /// <summary>"a - b" or "a + b" as the difference a - b is written, a negative b added.</summary>
    internal static string Minus(long a, long b) => b < 0 ? $"{a} + {-b}" : $"{a} - {b}";

    /// <summary>A negative operand in parentheses, so "3 - (-4) = 7" reads as one subtraction.</summary>
    internal static string Operand(long v) => v < 0 ? $"({v})" : $"{v}";

    /// <summary>Both sides at x, each as a claim the verifier re-computes: "3*(8 + (-2)) + 5 = 23, 2*8 + 7 = 23".</summary>
    private static string Check(EquationProblem problem, Rational x)
    {
        var value = x.IsInteger ? (x.Numerator < 0 ? $"({x.Numerator})" : $"{x.Numerator}") : $"({RationalFormatter.FormatFraction(x)})";
        var left = problem.Form == "parentheses" ? $"{problem.A}*({value} + {Operand(problem.P)})" : $"{problem.A}*{value}";
        if (problem.C != 0)
        {
            left += problem.C < 0 ? $" - {-problem.C}" : $" + {problem.C}";
        }

        var leftValue = (new Rational(problem.A) * (x + new Rational(problem.P))) + new Rational(problem.C);
        var right = $"{problem.D}*{value}{(problem.E < 0 ? $" - {-problem.E}" : $" + {problem.E}")}";
        var text = new StringBuilder($"{left} = {RationalFormatter.FormatFraction(leftValue)}");
        if (problem.D != 0)
        {
            text.Append($", {right} = {RationalFormatter.FormatFraction(leftValue)}");
        }

        return text.ToString();
    }
}
