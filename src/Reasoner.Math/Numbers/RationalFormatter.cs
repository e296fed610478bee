// Renders and parses exact rationals as text: integers, terminating decimals, reduced fractions and
// mixed numbers. A repeating decimal is never rounded: it is written as a fraction instead.
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Reasoner.Math.Numbers;

public enum FractionStyle
{
    /// <summary>Improper fraction, e.g. <c>19/12</c>.</summary>
    Improper,

    /// <summary>Mixed number, e.g. <c>1 7/12</c>.</summary>
    Mixed,
}

public static class RationalFormatter
{
    /// <summary>Integer if whole, else a terminating decimal, else a reduced fraction.</summary>
    public static string Format(Rational value, FractionStyle fractions = FractionStyle.Improper)
    {
        if (value.IsInteger)
        {
            return value.Numerator.ToString(CultureInfo.InvariantCulture);
        }

        int places = value.DecimalPlaces();
        return places >= 0 ? FormatDecimal(value, places) : FormatFraction(value, fractions);
    }

    /// <summary>Always a fraction (or an integer when whole), never a decimal.</summary>
    public static string FormatFraction(Rational value, FractionStyle style = FractionStyle.Improper)
    {
        if (value.IsInteger)
        {
            return value.Numerator.ToString(CultureInfo.InvariantCulture);
        }

        if (style == FractionStyle.Mixed && BigInteger.Abs(value.Numerator) > value.Denominator)
        {
            var whole = BigInteger.DivRem(BigInteger.Abs(value.Numerator), value.Denominator, out var rest);
            var sign = value.Sign < 0 ? "-" : string.Empty;
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{whole} {rest}/{value.Denominator}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value.Numerator}/{value.Denominator}");
    }

    /// <summary>Exact decimal text with exactly <paramref name="places"/> digits after the point.</summary>
    /// <exception cref="ArgumentException">The value does not terminate within that many places.</exception>
    public static string FormatDecimal(Rational value, int places)
    {
        var scale = BigInteger.Pow(10, places);
        var scaled = value * new Rational(scale);
        if (!scaled.IsInteger)
        {
            throw new ArgumentException($"{FormatFraction(value)} has no exact decimal with {places} places", nameof(places));
        }

        var digits = BigInteger.Abs(scaled.Numerator).ToString(CultureInfo.InvariantCulture);
        if (places == 0)
        {
            return (value.Sign < 0 ? "-" : string.Empty) + digits;
        }

        digits = digits.PadLeft(places + 1, '0');
        var builder = new StringBuilder(digits.Length + 2);
        if (value.Sign < 0)
        {
            builder.Append('-');
        }

        builder.Append(digits, 0, digits.Length - places).Append('.').Append(digits, digits.Length - places, places);
        return builder.ToString();
    }

    /// <summary>
    /// Parses plain ASCII numeric text: <c>-12</c>, <c>12.375</c>, <c>-19/12</c>, <c>1 7/12</c> (mixed).
    /// No thousands separators, no exponent notation, never through double.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Rational value)
    {
        value = Rational.Zero;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        bool negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            text = text[1..].TrimStart();
        }

        int space = text.IndexOf(' ');
        if (space > 0)
        {
            // Mixed number: whole part, one space, then a proper fraction.
            if (!TryParseUnsignedDecimal(text[..space], out var whole) || !whole.IsInteger
                || !TryParseUnsignedFraction(text[(space + 1)..], out var part) || part.IsInteger || part >= Rational.One)
            {
                return false;
            }

            value = whole + part;
        }
        else if (!TryParseUnsignedFraction(text, out value))
        {
            return false;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool TryParseUnsignedFraction(ReadOnlySpan<char> text, out Rational value)
    {
        value = Rational.Zero;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            return TryParseUnsignedDecimal(text, out value);
        }

        if (!TryParseUnsignedDecimal(text[..slash], out var numerator)
            || !TryParseUnsignedDecimal(text[(slash + 1)..], out var denominator)
            || denominator.IsZero)
        {
            return false;
        }

        value = numerator / denominator;
        return true;
    }

    /// <summary>Digits with an optional point and fraction digits: <c>12</c>, <c>12.5</c>, <c>0.125</c>.</summary>
    public static bool TryParseUnsignedDecimal(ReadOnlySpan<char> text, out Rational value)
    {
        value = Rational.Zero;
        int point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.IsEmpty || !IsAsciiDigits(whole) || (point >= 0 && (fraction.IsEmpty || !IsAsciiDigits(fraction))))
        {
            return false;
        }

        var integer = BigInteger.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        if (fraction.IsEmpty)
        {
            value = new Rational(integer);
            return true;
        }

        var scale = BigInteger.Pow(10, fraction.Length);
        var numerator = (integer * scale) + BigInteger.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        value = Rational.Create(numerator, scale);
        return true;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
