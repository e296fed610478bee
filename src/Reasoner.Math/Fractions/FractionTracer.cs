// One fraction or percentage problem and its chain of thought. Every number the trace states is a checked claim:
// "lcm(4, 6) = 12" and "gcd(38, 12) = 2" as divisor steps, "3/4 = 9/12" and "12 / 4 = 3" as arithmetic claims. No
// claim is followed by '(' or another '=' (the step checker would read those as a longer expression).
using System.Numerics;
using System.Text;
using Reasoner.Math.Families;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Fractions;

public static class FractionTracer
{
    public static DrawnProblem? Draw(FractionSpec spec, Random random)
    {
        var kind = spec.KindList[random.Next(spec.KindList.Count)];
        return kind switch
        {
            "percent-of" => PercentOf(spec, random),
            "percent-change" => PercentChange(spec, random),
            "reverse-percent" => ReversePercent(spec, random),
            _ => Operation(spec, kind, random),
        };
    }

    private static DrawnProblem? Operation(FractionSpec spec, string kind, Random random)
    {
        var (a, aText) = Operand(spec, random);
        var (b, bText) = Operand(spec, random);
        if (kind == "subtract" && a < b)
        {
            (a, aText, b, bText) = (b, bText, a, aText); // keep the difference positive
        }

        if (a == b && kind is "subtract" or "divide")
        {
            return null; // 0 and 1 teach nothing
        }

        var symbol = kind switch { "add" => "+", "subtract" => "-", "multiply" => "*", _ => "/" };
        var shown = kind switch { "multiply" => "\u00D7", "divide" => "\u00F7", _ => symbol };
        var result = kind switch { "add" => a + b, "subtract" => a - b, "multiply" => a * b, _ => a / b };
        var divisor = b;
        var thinking = new StringBuilder();
        var left = AsFraction(a, aText, thinking);
        var right = AsFraction(b, bText, thinking);
        if (kind is "add" or "subtract")
        {
            AddOrSubtract(a, b, symbol, thinking);
        }
        else
        {
            if (kind == "divide")
            {
                var reciprocal = Fraction(b.Denominator, b.Numerator);
                thinking.AppendLine($"Dividing by {right} is multiplying by its reciprocal, {reciprocal}: ({left}) / ({right}) = {left} * {reciprocal}.");
                b = Rational.Create(b.Denominator, b.Numerator);
                right = reciprocal;
            }

            thinking.AppendLine($"Multiply the numerators and the denominators: {a.Numerator} * {b.Numerator} = {a.Numerator * b.Numerator} and {a.Denominator} * {b.Denominator} = {a.Denominator * b.Denominator}, so {left} * {right} = {Fraction(a.Numerator * b.Numerator, a.Denominator * b.Denominator)}.");
            Simplify(a.Numerator * b.Numerator, a.Denominator * b.Denominator, thinking);
        }

        bool mixed = spec.MixedWhole is not null;
        var answer = mixed ? Mixed(result, thinking) : RationalFormatter.FormatFraction(result);
        var prompt = $"Compute {aText} {shown} {bText}.{(mixed ? " Give the answer as a mixed number." : " Give the answer in lowest terms.")}";
        var expression = $"{Grouped(a, aText, kind)} {symbol} {Grouped(divisor, bText, kind)}";
        return new DrawnProblem($"{aText} {symbol} {bText}", prompt, thinking.ToString().TrimEnd(), answer, Expression: expression);
    }

    /// <summary>A proper fraction n/d in lowest terms, or a mixed number w n/d.</summary>
    private static (Rational Value, string Text) Operand(FractionSpec spec, Random random)
    {
        long d = random.Next(spec.Denominators.Min, spec.Denominators.Max + 1);
        long n = random.Next(1, (int)d);
        long g = (long)BigInteger.GreatestCommonDivisor(n, d);
        (n, d) = (n / g, d / g);
        if (spec.MixedWhole is { } whole)
        {
            long w = whole.Sample(random);
            return (Rational.Create((w * d) + n, d), $"{w} {n}/{d}");
        }

        return (Rational.Create(n, d), $"{n}/{d}");
    }

    /// <summary>The operand as it goes into the expression: a mixed number w n/d is (w + n/d); a divisor is parenthesised.</summary>
    private static string Grouped(Rational value, string text, string kind) =>
        text.Contains(' ', StringComparison.Ordinal) ? $"({text.Replace(" ", " + ", StringComparison.Ordinal)})"
        : kind is "divide" or "multiply" ? $"({Fraction(value.Numerator, value.Denominator)})" : text;

    /// <summary>Writes a mixed number's conversion to an improper fraction; returns the fraction's text.</summary>
    private static string AsFraction(Rational value, string text, StringBuilder thinking)
    {
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return text;
        }

        var whole = text[..space];
        var part = text[(space + 1)..];
        var d = value.Denominator;
        var n = value.Numerator - (BigInteger.Parse(whole, System.Globalization.CultureInfo.InvariantCulture) * d);
        thinking.AppendLine($"As a fraction, {text} is {whole} + {part} = {Fraction(value.Numerator, d)}, because {whole} * {d} + {n} = {value.Numerator}.");
        return Fraction(value.Numerator, d);
    }

    private static void AddOrSubtract(Rational a, Rational b, string symbol, StringBuilder thinking)
    {
        var (da, db) = (a.Denominator, b.Denominator);
        var common = da == db ? da : da / BigInteger.GreatestCommonDivisor(da, db) * db;
        if (da == db)
        {
            thinking.AppendLine($"Both fractions have the denominator {da}.");
        }
        else
        {
            thinking.AppendLine($"The denominators are {da} and {db}. lcm({da}, {db}) = {common}, so the common denominator is {common}.");
        }

        var na = Rescale(a, common, thinking);
        var nb = Rescale(b, common, thinking);
        var sum = symbol == "+" ? na + nb : na - nb;
        thinking.AppendLine($"{Fraction(na, common)} {symbol} {Fraction(nb, common)} = {Fraction(sum, common)}, because {na} {symbol} {nb} = {sum}.");
        Simplify(sum, common, thinking);
    }

    /// <summary>n/d written over the common denominator; returns the new numerator.</summary>
    private static BigInteger Rescale(Rational value, BigInteger common, StringBuilder thinking)
    {
        var factor = common / value.Denominator;
        if (factor.IsOne)
        {
            return value.Numerator;
        }

        var numerator = value.Numerator * factor;
        thinking.AppendLine($"{Fraction(value.Numerator, value.Denominator)} = {Fraction(numerator, common)}, because {common} / {value.Denominator} = {factor} and {value.Numerator} * {factor} = {numerator}.");
        return numerator;
    }

    private static void Simplify(BigInteger numerator, BigInteger denominator, StringBuilder thinking)
    {
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (g.IsOne)
        {
            thinking.AppendLine($"gcd({BigInteger.Abs(numerator)}, {denominator}) = 1, so {Fraction(numerator, denominator)} is in lowest terms.");
            return;
        }

        var lowest = Rational.Create(numerator, denominator);
        thinking.AppendLine($"gcd({BigInteger.Abs(numerator)}, {denominator}) = {g}, so {Fraction(numerator, denominator)} = {RationalFormatter.FormatFraction(lowest)}, because {numerator} / {g} = {numerator / g} and {denominator} / {g} = {denominator / g}.");
    }

    /// <summary>Writes an improper result as a mixed number; returns the answer text ("4 5/12", "3", or "5/12").</summary>
    private static string Mixed(Rational value, StringBuilder thinking)
    {
        if (value.IsInteger || BigInteger.Abs(value.Numerator) < value.Denominator)
        {
            return RationalFormatter.FormatFraction(value);
        }

        var whole = BigInteger.Divide(value.Numerator, value.Denominator);
        var rest = value.Numerator - (whole * value.Denominator);
        thinking.AppendLine($"As a mixed number: {RationalFormatter.FormatFraction(value)} = {whole} + {Fraction(rest, value.Denominator)}, because {whole} * {value.Denominator} + {rest} = {value.Numerator}.");
        return $"{whole} {Fraction(rest, value.Denominator)}";
    }

    private static string Fraction(BigInteger numerator, BigInteger denominator) => $"{numerator}/{denominator}";

    private static int Percent(FractionSpec spec, Random random)
    {
        int steps = (spec.Percents.Max / spec.PercentStep) - ((spec.Percents.Min + spec.PercentStep - 1) / spec.PercentStep) + 1;
        return (((spec.Percents.Min + spec.PercentStep - 1) / spec.PercentStep) + random.Next(steps)) * spec.PercentStep;
    }

    /// <summary>A base near a draw from bases that makes p % of it whole.</summary>
    private static long Base(FractionSpec spec, int percent, Random random)
    {
        long unit = 100 / (long)BigInteger.GreatestCommonDivisor(percent, 100);
        long drawn = spec.Bases.Sample(random);
        return System.Math.Max(unit, drawn / unit * unit);
    }

    private static DrawnProblem PercentOf(FractionSpec spec, Random random)
    {
        int p = Percent(spec, random);
        long whole = Base(spec, p, random);
        long product = p * whole, result = product / 100;
        var prompt = random.Next(3) switch { 0 => $"What is {p}% of {whole}?", 1 => $"Find {p}% of {whole}.", _ => $"Compute {p} percent of {whole}." };
        var thinking = $"{p}% of {whole} means {p}/100 of {whole}.\nFirst {p} * {whole} = {product}, then {product} / 100 = {result}.";
        return new DrawnProblem($"{p}% of {whole}", prompt, thinking, $"{result}", Expression: $"{p} / 100 * {whole}");
    }

    private static DrawnProblem PercentChange(FractionSpec spec, Random random)
    {
        int p = Percent(spec, random);
        bool up = random.Next(2) == 0;
        long start = Base(spec, p, random);
        long end = up ? start * (100 + p) / 100 : start * (100 - p) / 100;
        var (what, verb) = random.Next(3) switch { 0 => ("A price", "price"), 1 => ("The number of members of a club", "number"), _ => ("A town's population", "population") };
        var money = verb == "price" ? "$" : string.Empty;
        var prompt = $"{what} goes from {money}{start} to {money}{end}. By what percent did it {(up ? "increase" : "decrease")}?";
        long change = up ? end - start : start - end;
        var share = Rational.Create(change, start);
        var thinking = $"The change is {(up ? $"{end} - {start}" : $"{start} - {end}")} = {change}.\n"
            + $"As a share of the starting value: {change} / {start} = {RationalFormatter.FormatFraction(share)}.\n"
            + $"As a percent: {RationalFormatter.FormatFraction(share)} * 100 = {p}, so it {(up ? "increased" : "decreased")} by {p}%.";
        var expression = up ? $"({end} - {start}) / {start} * 100" : $"({start} - {end}) / {start} * 100";
        return new DrawnProblem($"{start} to {end}", prompt, thinking, $"{p}", Expression: expression);
    }

    private static DrawnProblem ReversePercent(FractionSpec spec, Random random)
    {
        int p = Percent(spec, random);
        bool up = random.Next(2) == 0;
        int kept = up ? 100 + p : 100 - p;
        long unit = 100 / (long)BigInteger.GreatestCommonDivisor(kept, 100);
        long original = System.Math.Max(unit, spec.Bases.Sample(random) / unit * unit);
        long now = original * kept / 100;
        var prompt = up
            ? $"After a {p}% increase, a club has {now} members. How many members did it have before the increase?"
            : $"After a {p}% discount, a coat costs ${now}. What was its price before the discount?";
        var thinking = $"After the {(up ? "increase" : "discount")} it is {(up ? $"100 + {p}" : $"100 - {p}")} = {kept} percent of the original, that is {kept}/100 of it.\n"
            + $"So the original is {now} / ({kept}/100) = {now} * 100 / {kept}.\n"
            + $"First {now} * 100 = {now * 100}, then {now * 100} / {kept} = {original}.";
        var expression = $"{now} / (({(up ? $"100 + {p}" : $"100 - {p}")}) / 100)";
        return new DrawnProblem($"{(up ? "up" : "down")} {p}% to {now}", prompt, thinking, $"{original}", Expression: expression);
    }
}
