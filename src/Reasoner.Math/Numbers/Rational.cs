// An exact rational number over BigInteger, always reduced, denominator always positive.
// Every value in data and verification goes through this type; nothing goes through double.
using System.Numerics;

namespace Reasoner.Math.Numbers;

public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    private readonly BigInteger _denominator; // stored as (den - 1) so default(Rational) is 0/1

    public BigInteger Numerator { get; }

    public BigInteger Denominator => _denominator + 1;

    public static Rational Zero => default;

    public static Rational One => new(BigInteger.One);

    public Rational(BigInteger integer)
    {
        Numerator = integer;
        _denominator = BigInteger.Zero;
    }

    private Rational(BigInteger reducedNumerator, BigInteger positiveReducedDenominator, bool _)
    {
        Numerator = reducedNumerator;
        _denominator = positiveReducedDenominator - 1;
    }

    /// <summary>Builds numerator/denominator, reduced. Throws <see cref="DivideByZeroException"/> for a zero denominator.</summary>
    public static Rational Create(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("denominator is zero");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        if (denominator.IsOne)
        {
            return new Rational(numerator);
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return gcd.IsOne
            ? new Rational(numerator, denominator, true)
            : new Rational(numerator / gcd, denominator / gcd, true);
    }

    public bool IsInteger => _denominator.IsZero;

    public bool IsZero => Numerator.IsZero;

    public int Sign => Numerator.Sign;

    public Rational Abs() => Numerator.Sign < 0 ? -this : this;

    /// <summary>True when the value has a finite decimal expansion (denominator is 2^a * 5^b).</summary>
    public bool IsTerminatingDecimal => DecimalPlaces() >= 0;

    /// <summary>Number of digits after the point in the shortest exact decimal, or -1 when it repeats.</summary>
    public int DecimalPlaces()
    {
        var d = Denominator;
        int twos = 0, fives = 0;
        while (d.IsEven)
        {
            d >>= 1;
            twos++;
        }

        while ((d % 5).IsZero)
        {
            d /= 5;
            fives++;
        }

        return d.IsOne ? System.Math.Max(twos, fives) : -1;
    }

    /// <summary>Approximate count of decimal digits in the larger of numerator and denominator (cheap, upper bound).</summary>
    public long ApproximateDigits()
    {
        long bits = System.Math.Max(BigInteger.Abs(Numerator).GetBitLength(), Denominator.GetBitLength());
        return (long)(bits * 0.30103) + 1;
    }

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator, true);

    public static Rational operator +(Rational a, Rational b) =>
        a.IsInteger && b.IsInteger
            ? new Rational(a.Numerator + b.Numerator)
            : Create((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + (-b);

    public static Rational operator *(Rational a, Rational b) =>
        a.IsInteger && b.IsInteger
            ? new Rational(a.Numerator * b.Numerator)
            : Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero)
        {
            throw new DivideByZeroException("division by zero");
        }

        return Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    }

    /// <summary>Floor division, as Python's <c>//</c>: the largest integer not above a / b.</summary>
    public static Rational FloorDivide(Rational a, Rational b)
    {
        var q = a / b;
        return new Rational(FloorOf(q));
    }

    /// <summary>Remainder with the divisor's sign, as Python's <c>%</c>: a - b * floor(a / b).</summary>
    public static Rational Modulo(Rational a, Rational b) => a - (b * FloorDivide(a, b));

    public static BigInteger FloorOf(Rational q)
    {
        var quotient = BigInteger.DivRem(q.Numerator, q.Denominator, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>a ^ n for an integer n; 0 ^ negative throws <see cref="DivideByZeroException"/>; 0 ^ 0 = 1.</summary>
    public static Rational Pow(Rational a, int exponent)
    {
        if (exponent == 0)
        {
            return One;
        }

        if (exponent < 0)
        {
            if (a.IsZero)
            {
                throw new DivideByZeroException("zero to a negative power");
            }

            return Create(BigInteger.Pow(a.Denominator, -exponent), BigInteger.Pow(a.Numerator, -exponent));
        }

        return Create(BigInteger.Pow(a.Numerator, exponent), BigInteger.Pow(a.Denominator, exponent));
    }

    public static implicit operator Rational(int value) => new(value);

    public static implicit operator Rational(long value) => new(value);

    public static implicit operator Rational(BigInteger value) => new(value);

    public bool Equals(Rational other) => Numerator == other.Numerator && _denominator == other._denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, _denominator);

    public int CompareTo(Rational other) =>
        (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);

    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;

    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;

    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>Integer, terminating decimal, or reduced fraction: see <see cref="RationalFormatter"/>.</summary>
    public override string ToString() => RationalFormatter.Format(this);
}
