// Schoolbook algorithms on non-negative integers, one digit per line, for the digit style.
// Format choices follow what small transformers learn well (see ARCHITECTURE.md, "Digit style"):
// least significant digit first for +, - and x, every line copies the digits it uses, carries and
// borrows are written out, and each line holds a claim the verifier re-checks exactly.
using System.Globalization;
using System.Numerics;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal static class SchoolbookAlgorithms
{
    /// <summary>Column addition, ones first: <c>7 + 8 + 0 = 15, digit 5 carry 1</c>.</summary>
    public static BigInteger ColumnAdd(TraceWriter w, BigInteger a, BigInteger b)
    {
        var da = Digits(a);
        var db = Digits(b);
        int width = Widest(w, da.Length, db.Length);
        Restate(w, a, "+", b, width);
        var result = new char[width + 1];
        int carry = 0;
        for (int i = 0; i < width; i++)
        {
            int x = DigitAt(da, i), y = DigitAt(db, i);
            int sum = x + y + carry;
            int next = sum / 10;
            w.ClaimExplained(Inv($"{x} + {y} + {carry}"), sum, Inv($", digit {sum % 10} carry {next}"));
            result[width - i] = (char)('0' + (sum % 10));
            carry = next;
        }

        result[0] = (char)('0' + carry);
        if (carry > 0)
        {
            w.Explain(Inv($"carry {carry} is the leading digit"));
        }

        // Compact: the sum is read out at the working width (7+1=0008, 9999+1=10000), as differences are, so reading
        // it back is one fixed reversal of the column digits, whatever the operands' widths.
        w.ReadOutNextClaimAt(width + carry);
        return BigInteger.Parse(result, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>Column subtraction of b from a (a ≥ b), ones first, with explicit borrows.</summary>
    public static BigInteger ColumnSubtract(TraceWriter w, BigInteger a, BigInteger b)
    {
        var da = Digits(a);
        var db = Digits(b);
        int width = Widest(w, da.Length, db.Length);
        Restate(w, a, "-", b, width);
        var result = new char[width];
        int borrow = 0;
        for (int i = 0; i < width; i++)
        {
            int x = DigitAt(da, i), y = DigitAt(db, i);
            int difference = x - y - borrow;
            if (difference < 0)
            {
                if (w.Compact)
                {
                    // The raw column difference first, then the borrow as its own claim (7-7-1=-1,-1+10=9): the first
                    // tokens only copy digits, and whether to borrow is read off the sign just written. Deciding first
                    // (17-7-1=9) made equal digits with a borrow coming in the commonest error on 4-digit subtraction.
                    w.Claims((Inv($"{x} - {y} - {borrow}"), difference), (Inv($"{difference} + 10"), difference + 10));
                }
                else
                {
                    w.ClaimExplained(Inv($"{x + 10} - {y} - {borrow}"), difference + 10, ", digit " + (difference + 10) + " borrow 1", Inv($"{x} - {y} - {borrow} is negative, borrow: "));
                }

                difference += 10;
                borrow = 1;
            }
            else
            {
                w.ClaimExplained(Inv($"{x} - {y} - {borrow}"), difference, Inv($", digit {difference} borrow 0"));
                borrow = 0;
            }

            result[width - 1 - i] = (char)('0' + difference);
        }

        w.ReadOutNextClaimAt(width);

        return BigInteger.Parse(result, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Compact layout, before a subtraction whose sign is not known yet: the operands compared column by column from
    /// the left at the working width, each as a claim, until two digits differ (<c>7-7=0,4-4=0,3-8=-5</c>). The sign of
    /// the last claim decides which number is subtracted from which, so the decision is read off the line just written;
    /// without it, close numbers (743 - 748) were a tiny model's commonest error.
    /// </summary>
    public static void CompareColumns(TraceWriter w, BigInteger a, BigInteger b)
    {
        var da = Digits(a);
        var db = Digits(b);
        var claims = new List<(string, Rational)>();
        for (int i = Widest(w, da.Length, db.Length) - 1; i >= 0; i--)
        {
            int x = DigitAt(da, i), y = DigitAt(db, i);
            claims.Add((Inv($"{x} - {y}"), x - y));
            if (x != y)
            {
                break;
            }
        }

        w.Claims([.. claims]);
    }

    /// <summary>
    /// Long multiplication: one partial product per digit of the multiplier (ones first), each built
    /// digit by digit with carries, shifted, and added to a running sum by column addition.
    /// </summary>
    public static BigInteger LongMultiply(TraceWriter w, BigInteger a, BigInteger b)
    {
        // With padding on, the multiplier is padded to the multiplicand's width (at most PadWidth), so
        // 68 * 7 and 68 * 47 share one layout without the zero partial products a full pad would add.
        var db = Digits(b);
        int columns = System.Math.Max(db.Length, System.Math.Min(w.PadWidth, Digits(a).Length));
        if (columns == 1)
        {
            return MultiplyByDigit(w, a, db[0], claimProduct: false); // the caller states a * b itself
        }

        if (!w.MultiplierCursor)
        {
            Restate(w, a, "*", b, columns); // with the cursor on, each header already copies the multiplier from the problem
        }

        var shownB = Padded(b, columns);
        BigInteger sum = BigInteger.Zero;
        BigInteger shift = BigInteger.One;
        for (int i = 0; i < columns; i++, shift *= 10)
        {
            if (!w.Compact)
            {
                w.Note(Inv($"digit {DigitAt(db, i)} of {shownB}, times {shift}:"));
            }

            if (w.MultiplierCursor)
            {
                w.Claim(Inv($"{shownB[..(columns - i)]} % 10"), DigitAt(db, i)); // the digits left, the one in use last
            }

            var partial = MultiplyByDigit(w, a, DigitAt(db, i));
            if (i > 0)
            {
                var shifted = partial * shift;
                w.Claim(Inv($"{partial} * {shift}"), shifted);
                partial = shifted;
            }

            if (i == 0)
            {
                sum = partial;
                continue;
            }

            if (w.MultiplierCursor && partial.IsZero)
            {
                continue; // adding zero changes nothing; the running sum stays the last one written
            }

            w.Explain(Inv($"running sum {sum} + {partial}:"));
            var next = ColumnAdd(w, sum, partial);
            w.Claim(Inv($"{sum} + {partial}"), next);
            sum = next;
        }

        return sum;
    }

    /// <summary>a times a single digit, ones first: <c>7 * 8 + 0 = 56, digit 6 carry 5</c>.</summary>
    public static BigInteger MultiplyByDigit(TraceWriter w, BigInteger a, int digit, bool claimProduct = true)
    {
        if (digit == 0 || a.IsZero)
        {
            if (claimProduct)
            {
                w.Claim(Inv($"{a} * {digit}"), BigInteger.Zero);
            }

            return BigInteger.Zero;
        }

        var da = Digits(a);
        int width = da.Length;
        int carry = 0;
        var product = new char[width + 1];
        for (int i = 0; i < width; i++)
        {
            int value = (da[i] * digit) + carry;
            int next = value / 10;
            if (w.Compact)
            {
                // The table fact, then the carry: two facts a small model already knows instead of one of 900.
                int fact = da[i] * digit;
                if (carry == 0)
                {
                    w.Claim(Inv($"{da[i]} * {digit}"), fact);
                }
                else
                {
                    w.Claims((Inv($"{da[i]} * {digit}"), fact), (Inv($"{fact} + {carry}"), value));
                }
            }
            else
            {
                w.ClaimExplained(Inv($"{da[i]} * {digit} + {carry}"), value, Inv($", digit {value % 10} carry {next}"));
            }

            product[width - i] = (char)('0' + (value % 10));
            carry = next;
        }

        product[0] = (char)('0' + carry);
        if (carry > 0)
        {
            w.Explain(Inv($"carry {carry} is the leading digit"));
        }

        var result = BigInteger.Parse(product, NumberStyles.None, CultureInfo.InvariantCulture);
        if (claimProduct)
        {
            w.Claim(Inv($"{a} * {digit}"), result);
        }

        return result;
    }

    /// <summary>
    /// Long division, most significant digit first (the only order that works for division):
    /// <c>45 // 6 = 7, 7 * 6 = 42, 45 - 42 = 3</c>. Returns the integer quotient and the remainder.
    /// </summary>
    public static (BigInteger Quotient, BigInteger Remainder) LongDivide(TraceWriter w, BigInteger a, BigInteger b)
    {
        var text = a.ToString(CultureInfo.InvariantCulture);
        BigInteger remainder = BigInteger.Zero, quotient = BigInteger.Zero;
        foreach (char c in text)
        {
            var current = (remainder * 10) + (c - '0');
            (quotient, remainder) = DivideStep(w, current, b, quotient);
        }

        w.Note(Inv($"quotient {quotient} remainder {remainder}"));
        return (quotient, remainder);
    }

    /// <summary>Continues a long division past the point: appends a zero to the remainder each line.</summary>
    public static BigInteger DecimalDigits(TraceWriter w, BigInteger remainder, BigInteger b, int places)
    {
        BigInteger digits = BigInteger.Zero;
        w.Note(Inv($"remainder {remainder}, continue after the point for {places} digit{(places == 1 ? string.Empty : "s")}"));
        for (int i = 0; i < places; i++)
        {
            (digits, remainder) = DivideStep(w, remainder * 10, b, digits);
        }

        return digits;
    }

    private static (BigInteger Quotient, BigInteger Remainder) DivideStep(TraceWriter w, BigInteger current, BigInteger b, BigInteger quotient)
    {
        var digit = current / b;
        var product = digit * b;
        var left = current - product;
        w.Claims((Inv($"{current} // {b}"), digit), (Inv($"{digit} * {b}"), product), (Inv($"{current} - {product}"), left));
        return ((quotient * 10) + digit, left);
    }

    /// <summary>Digits, least significant first.</summary>
    internal static int[] Digits(BigInteger value)
    {
        var text = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture);
        var digits = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            digits[i] = text[text.Length - 1 - i] - '0';
        }

        return digits;
    }

    /// <summary>Columns to work: the longest operand, or the trace's pad width when that is wider.</summary>
    private static int Widest(TraceWriter w, params int[] lengths) => System.Math.Max(lengths.Max(), w.PadWidth);

    /// <summary>With padding on, first restate the operands at the working width: <c>347 + 068</c>.</summary>
    private static void Restate(TraceWriter w, BigInteger a, string op, BigInteger b, int width)
    {
        if (w.PadWidth > 0)
        {
            w.Note(Inv($"{Padded(a, width)} {op} {Padded(b, width)}"));
        }
    }

    /// <summary>A non-negative integer zero-padded to <paramref name="width"/> digits: <c>068</c>.</summary>
    internal static string Padded(BigInteger value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static int DigitAt(int[] digits, int index) => index < digits.Length ? digits[index] : 0;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
