// The digit style on any exact operands: signs are settled first, decimals are scaled to integers,
// fractions go through a common denominator and gcd, and the integer work is done by SchoolbookAlgorithms.
// Every branch ends with the node's own claim "a op b = c", checked by TraceWriter.
using System.Globalization;
using System.Numerics;
using Reasoner.Math.Expressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal sealed class DigitArithmetic(TraceWriter w)
{
    public Rational Apply(BinaryOperator op, Rational a, Rational b, Rational expected)
    {
        var result = op switch
        {
            BinaryOperator.Add => Add(a, b),
            BinaryOperator.Subtract => Add(a, -b, subtracting: true),
            BinaryOperator.Multiply => Multiply(a, b),
            BinaryOperator.Divide => Divide(a, b),
            BinaryOperator.FloorDivide => FloorDivide(a, b),
            BinaryOperator.Modulo => Modulo(a, b),
            BinaryOperator.Power => Power(a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        if (result != expected)
        {
            throw new InvalidOperationException($"tracer bug: {StepFormat.Left(op, a, b)} traced to {result}, evaluator says {expected}");
        }

        w.Claim(StepFormat.Left(op, a, b), result);
        return result;
    }

    /// <summary>a + b, or a - b' written as a + (-b') when <paramref name="subtracting"/>.</summary>
    private Rational Add(Rational a, Rational b, bool subtracting = false)
    {
        var op = subtracting ? "-" : "+";
        var shownB = subtracting ? -b : b;
        if (a.IsInteger && b.IsInteger)
        {
            return AddIntegers(a.Numerator, b.Numerator, Inv($"{StepFormat.Operand(a, false)} {op} {StepFormat.Operand(shownB, true)}"));
        }

        if (a.IsTerminatingDecimal && b.IsTerminatingDecimal)
        {
            int places = System.Math.Max(a.DecimalPlaces(), b.DecimalPlaces());
            var scale = BigInteger.Pow(10, places);
            var sa = (a * scale).Numerator;
            var sb = (b * scale).Numerator;
            w.Note(Inv($"scale by {scale} to work in whole numbers"));
            var shownScaled = Inv($"{sa} {op} {Paren(subtracting ? -sb : sb)}");
            var scaled = AddIntegers(sa, sb, shownScaled);
            w.Claim(shownScaled, scaled);
            var value = scaled / new Rational(scale);
            w.Claim(Inv($"{Paren(scaled.Numerator)} / {scale}"), value);
            return value;
        }

        var common = Lcm(a.Denominator, b.Denominator);
        w.Note(Inv($"common denominator of {a.Denominator} and {b.Denominator} is {common}"));
        var na = ScaleNumerator(a, common);
        var nb = ScaleNumerator(b, common);
        StateNumerator(a, common, na);
        StateNumerator(b, common, nb);
        var numerator = na + nb;
        w.Claim(Inv($"{na} {op} {Paren(subtracting ? -nb : nb)}"), numerator);
        return Reduce(numerator, common);
    }

    private Rational AddIntegers(BigInteger a, BigInteger b, string shown)
    {
        if (a.Sign >= 0 && b.Sign >= 0)
        {
            return SchoolbookAlgorithms.ColumnAdd(w, a, b);
        }

        if (a.Sign < 0 && b.Sign < 0)
        {
            w.Note(Inv($"{shown}: both negative, so add {-a} and {-b} and make it negative"));
            return -SchoolbookAlgorithms.ColumnAdd(w, -a, -b);
        }

        var positive = a.Sign >= 0 ? a : b;
        var negative = a.Sign >= 0 ? -b : -a;
        if (w.Compact)
        {
            SchoolbookAlgorithms.CompareColumns(w, positive, negative);
        }

        if (positive >= negative)
        {
            if (shown != Inv($"{positive} - {negative}"))
            {
                w.Note(Inv($"{shown}: subtract {negative} from {positive}"));
            }

            return SchoolbookAlgorithms.ColumnSubtract(w, positive, negative);
        }

        w.Note(w.Terse
            ? Inv($"{shown} = -({negative} - {positive})")
            : Inv($"{shown}: {negative} is larger than {positive}, so subtract {positive} from {negative} and make it negative"));
        return -SchoolbookAlgorithms.ColumnSubtract(w, negative, positive);
    }

    private Rational Multiply(Rational a, Rational b)
    {
        bool negative = a.Sign * b.Sign < 0;
        if (a.Sign < 0 || b.Sign < 0)
        {
            w.Note(negative ? "signs differ, so the product is negative" : "both negative, so the product is positive");
        }

        if (a.IsTerminatingDecimal && b.IsTerminatingDecimal)
        {
            int pa = a.DecimalPlaces(), pb = b.DecimalPlaces();
            var ia = BigInteger.Abs((a.Abs() * BigInteger.Pow(10, pa)).Numerator);
            var ib = BigInteger.Abs((b.Abs() * BigInteger.Pow(10, pb)).Numerator);
            if (pa + pb > 0)
            {
                w.Note(Inv($"multiply {ia} * {ib}, then place the point {pa} + {pb} = {pa + pb} digits from the right"));
            }

            var product = MultiplyIntegers(ia, ib);
            var value = Rational.Create(product, BigInteger.Pow(10, pa + pb));
            if (pa + pb > 0 || a.Sign < 0 || b.Sign < 0)
            {
                w.Claim(Inv($"{ia} * {ib}"), product); // the unsigned whole-number product, before sign and point
            }

            if (pa + pb > 0)
            {
                w.Claim(Inv($"{product} / {BigInteger.Pow(10, pa + pb)}"), value);
            }

            return negative ? -value : value;
        }

        w.Note("multiply numerators and denominators");
        var numerator = BigInteger.Abs(a.Numerator) * BigInteger.Abs(b.Numerator);
        var denominator = a.Denominator * b.Denominator;
        w.Claim(Inv($"{BigInteger.Abs(a.Numerator)} * {BigInteger.Abs(b.Numerator)}"), numerator);
        w.Claim(Inv($"{a.Denominator} * {b.Denominator}"), denominator);
        var reduced = Reduce(numerator, denominator);
        return negative ? -reduced : reduced;
    }

    private BigInteger MultiplyIntegers(BigInteger a, BigInteger b)
    {
        // The shorter number is the multiplier: fewer partial products. The compact layout swaps only for that,
        // so 47 * 86 keeps its order and the first line copies the problem as written (one decision fewer).
        bool swap = w.Compact ? SchoolbookAlgorithms.Digits(a).Length < SchoolbookAlgorithms.Digits(b).Length : a < b;
        return swap ? SchoolbookAlgorithms.LongMultiply(w, b, a) : SchoolbookAlgorithms.LongMultiply(w, a, b);
    }

    private Rational Divide(Rational a, Rational b)
    {
        bool negative = a.Sign * b.Sign < 0;
        if (a.Sign < 0 || b.Sign < 0)
        {
            w.Note(negative ? "signs differ, so the quotient is negative" : "both negative, so the quotient is positive");
        }

        a = a.Abs();
        b = b.Abs();
        Rational value;
        if (a.IsTerminatingDecimal && b.IsTerminatingDecimal)
        {
            int places = System.Math.Max(a.DecimalPlaces(), b.DecimalPlaces());
            var scale = BigInteger.Pow(10, places);
            var ia = (a * scale).Numerator;
            var ib = (b * scale).Numerator;
            if (places > 0)
            {
                w.Note(Inv($"scale both by {scale}: {ia} / {ib}"));
            }

            value = DivideIntegers(ia, ib);
            if (places > 0)
            {
                w.Claim(StepFormat.Left(BinaryOperator.Divide, ia, ib), value);
            }
        }
        else
        {
            w.Note(Inv($"dividing by {RationalFormatter.Format(b)} is multiplying by {RationalFormatter.FormatFraction(Rational.One / b)}"));
            var numerator = a.Numerator * b.Denominator;
            var denominator = a.Denominator * b.Numerator;
            w.Claim(Inv($"{a.Numerator} * {b.Denominator}"), numerator);
            w.Claim(Inv($"{a.Denominator} * {b.Numerator}"), denominator);
            value = Reduce(numerator, denominator);
        }

        return negative ? -value : value;
    }

    /// <summary>Long division of integers; continues past the point when the quotient terminates, else leaves a fraction.</summary>
    private Rational DivideIntegers(BigInteger a, BigInteger b)
    {
        var (quotient, remainder) = SchoolbookAlgorithms.LongDivide(w, a, b);
        if (remainder.IsZero)
        {
            return quotient;
        }

        var exact = Rational.Create(a, b);
        int places = exact.DecimalPlaces();
        if (places < 0)
        {
            w.Note("the division does not end, so the answer is a fraction");
            return Reduce(a, b);
        }

        var fraction = SchoolbookAlgorithms.DecimalDigits(w, remainder, b, places);
        var value = Rational.Create((quotient * BigInteger.Pow(10, places)) + fraction, BigInteger.Pow(10, places));
        w.Note(Inv($"whole part {quotient}, digits after the point {fraction.ToString(CultureInfo.InvariantCulture).PadLeft(places, '0')}"));
        return value;
    }

    private Rational FloorDivide(Rational a, Rational b)
    {
        var q = Rational.FloorDivide(a, b);
        if (a.IsInteger && b.IsInteger)
        {
            var (quotient, remainder) = SchoolbookAlgorithms.LongDivide(w, BigInteger.Abs(a.Numerator), BigInteger.Abs(b.Numerator));
            if (a.Sign * b.Sign < 0)
            {
                w.Note(remainder.IsZero
                    ? "signs differ and nothing remains, so the quotient is just negative"
                    : "signs differ and something remains, so round down: one less than the negative quotient");
                if (!remainder.IsZero)
                {
                    w.Claim(Inv($"{-quotient} - 1"), -quotient - 1);
                }
            }

            return q;
        }

        var exact = a / b;
        w.Claim(StepFormat.Left(BinaryOperator.Divide, a, b), exact);
        w.Note(Inv($"round {StepFormat.Value(exact)} down to the integer {StepFormat.Value(q)}"));
        return q;
    }

    private Rational Modulo(Rational a, Rational b)
    {
        var q = FloorDivide(a, b);
        w.Claim(StepFormat.Left(BinaryOperator.FloorDivide, a, b), q);
        var product = b * q;
        w.Claim(StepFormat.Left(BinaryOperator.Multiply, b, q), product);
        var remainder = a - product;
        w.Claim(StepFormat.Left(BinaryOperator.Subtract, a, product), remainder);
        return remainder;
    }

    private Rational Power(Rational a, Rational b)
    {
        int n = (int)b.Numerator;
        if (n == 0)
        {
            w.Note("any number to the power 0 is 1");
            return Rational.One;
        }

        var running = a;
        for (int i = 2; i <= System.Math.Abs(n); i++)
        {
            var next = running * a;
            w.Note(Inv($"power {i}:"));
            Apply(BinaryOperator.Multiply, running, a, next);
            running = next;
        }

        if (n < 0)
        {
            w.Note("a negative exponent means one divided by the positive power");
            var inverse = Rational.One / running;
            Apply(BinaryOperator.Divide, Rational.One, running, inverse);
            running = inverse;
        }

        return running;
    }

    /// <summary>Writes how an operand becomes (scaled numerator)/common: "0.75 is 3/4", "3 * 3 = 9".</summary>
    private void StateNumerator(Rational value, BigInteger common, BigInteger scaled)
    {
        if (!value.IsInteger && value.IsTerminatingDecimal)
        {
            w.Note(Inv($"{RationalFormatter.Format(value)} is {RationalFormatter.FormatFraction(value)}"));
        }

        var factor = common / value.Denominator;
        if (!factor.IsOne)
        {
            w.Claim(Inv($"{Paren(value.Numerator)} * {factor}"), scaled);
        }
    }

    private static BigInteger ScaleNumerator(Rational value, BigInteger common) => value.Numerator * (common / value.Denominator);

    /// <summary>Writes the gcd reduction of numerator/denominator and returns the reduced value.</summary>
    private Rational Reduce(BigInteger numerator, BigInteger denominator)
    {
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (gcd > 1)
        {
            w.Note(Inv($"gcd of {numerator} and {denominator} is {gcd}"));
            w.Claim(Inv($"{numerator} / {gcd}"), numerator / gcd);
            w.Claim(Inv($"{denominator} / {gcd}"), denominator / gcd);
        }

        return Rational.Create(numerator, denominator);
    }

    private static BigInteger Lcm(BigInteger a, BigInteger b) => a / BigInteger.GreatestCommonDivisor(a, b) * b;

    private static string Paren(BigInteger value) => value.Sign < 0 ? Inv($"({value})") : Inv($"{value}");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
