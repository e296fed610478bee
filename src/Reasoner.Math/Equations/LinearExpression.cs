// Linear expressions in one variable, a*x + b with exact Rational coefficients, or in x and y (a*x + c*y + b, for
// systems), read from text the way people write them: implicit multiplication ("3x", "3(x - 2)", "(1/2)x"), signs,
// parentheses, '*' and '/', decimals. A product of two terms in a variable or a division by an expression in one is
// not linear and does not parse. The equations family and the verifier's equation steps both read through here; the
// generator builds its problems without it.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Equations;

/// <summary>Coefficient * variable + constant (+ Second * y, read only by <see cref="LinearExpression.TryParseInXY"/>).</summary>
public readonly record struct Linear(Rational Coefficient, Rational Constant, Rational Second = default)
{
    public bool IsConstant => Coefficient.IsZero && Second.IsZero;

    public static Linear operator +(Linear a, Linear b) => new(a.Coefficient + b.Coefficient, a.Constant + b.Constant, a.Second + b.Second);

    public static Linear operator -(Linear a, Linear b) => new(a.Coefficient - b.Coefficient, a.Constant - b.Constant, a.Second - b.Second);

    public static Linear operator -(Linear a) => new(-a.Coefficient, -a.Constant, -a.Second);

    public Linear Times(Rational k) => new(Coefficient * k, Constant * k, Second * k);

    public Rational At(Rational x) => (Coefficient * x) + Constant;
}

public static class LinearExpression
{
    /// <summary>Parses the whole text as a linear expression; the variable it uses (a letter) or null when it has none.</summary>
    public static bool TryParse(string text, out Linear value, out char? variable)
    {
        var reader = new Reader(text);
        value = default;
        variable = null;
        try
        {
            value = reader.Sum();
            reader.SkipSpaces();
            variable = reader.Variable;
            return reader.AtEnd && reader.Consumed > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Parses the whole text as a linear expression in x and y: x's coefficient, y's in <see cref="Linear.Second"/>.</summary>
    public static bool TryParseInXY(string text, out Linear value)
    {
        var reader = new Reader(text, twoVariables: true);
        value = default;
        try
        {
            value = reader.Sum();
            reader.SkipSpaces();
            return reader.AtEnd && reader.Consumed > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class Reader(string text, bool twoVariables = false)
    {
        private int _at;

        public char? Variable { get; private set; }

        public bool AtEnd => _at >= text.Length;

        public int Consumed { get; private set; }

        public void SkipSpaces()
        {
            while (_at < text.Length && text[_at] is ' ' or '\t')
            {
                _at++;
            }
        }

        private char? Peek()
        {
            SkipSpaces();
            return _at < text.Length ? text[_at] : null;
        }

        public Linear Sum()
        {
            var value = Product();
            while (Peek() is '+' or '-')
            {
                char op = text[_at++];
                var next = Product();
                value = op == '+' ? value + next : value - next;
            }

            return value;
        }

        private Linear Product()
        {
            var value = Signed();
            while (true)
            {
                var next = Peek();
                if (next is '*' or '/')
                {
                    _at++;
                    var right = Signed();
                    value = next == '*' ? Multiply(value, right) : Divide(value, right);
                }
                else if (next is '(' || (next is { } c && char.IsAsciiLetter(c)) || (next is { } d && char.IsAsciiDigit(d) && _at > 0 && text[_at - 1] == ')'))
                {
                    value = Multiply(value, Atom()); // implicit: 3x, 3(x - 2), (1/2)x
                }
                else
                {
                    return value;
                }
            }
        }

        private Linear Signed()
        {
            if (Peek() is '-')
            {
                _at++;
                return -Signed();
            }

            if (Peek() is '+')
            {
                _at++;
                return Signed();
            }

            return Atom();
        }

        private Linear Atom()
        {
            var next = Peek() ?? throw new FormatException("end of text");
            if (next == '(')
            {
                _at++;
                var inner = Sum();
                if (Peek() != ')')
                {
                    throw new FormatException("')' expected");
                }

                _at++;
                Consumed++;
                return inner;
            }

            if (char.IsAsciiLetter(next))
            {
                if (_at + 1 < text.Length && char.IsAsciiLetter(text[_at + 1]))
                {
                    throw new FormatException("a word, not a variable");
                }

                if (twoVariables)
                {
                    _at++;
                    Consumed++;
                    return next switch
                    {
                        'x' => new Linear(Rational.One, Rational.Zero),
                        'y' => new Linear(Rational.Zero, Rational.Zero, Rational.One),
                        _ => throw new FormatException("a variable other than x and y"),
                    };
                }

                if (Variable is { } seen && seen != next)
                {
                    throw new FormatException("a second variable");
                }

                Variable = next;
                _at++;
                Consumed++;
                return new Linear(Rational.One, Rational.Zero);
            }

            int start = _at;
            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] == '.'))
            {
                _at++;
            }

            if (_at == start || !RationalFormatter.TryParse(text.Substring(start, _at - start), out var number))
            {
                throw new FormatException("a number expected");
            }

            Consumed++;
            return new Linear(Rational.Zero, number);
        }

        private static Linear Multiply(Linear a, Linear b) =>
            a.IsConstant ? b.Times(a.Constant) : b.IsConstant ? a.Times(b.Constant) : throw new FormatException("not linear");

        private static Linear Divide(Linear a, Linear b) =>
            b.IsConstant && !b.Constant.IsZero ? a.Times(Rational.One / b.Constant) : throw new FormatException("division by an expression in the variable, or by zero");
    }
}
