// Splits expression text into tokens with 1-based line and column, for error messages.
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Expressions;

internal enum TokenKind
{
    Number,
    Operator,
    Minus,
    OpenParen,
    CloseParen,
    End,
}

internal readonly record struct Token(TokenKind Kind, int Offset, int Length, Rational Value, BinaryOperator Operator)
{
    public string Describe(string text) => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.Number => $"number {text.Substring(Offset, System.Math.Min(Length, 20))}{(Length > 20 ? "…" : string.Empty)}",
        _ => $"'{text.Substring(Offset, Length)}'",
    };
}

internal sealed class ExpressionLexer(string text, ExpressionLimits limits)
{
    private int _offset;

    public string Text => text;

    public Token Next()
    {
        while (_offset < text.Length && text[_offset] is ' ' or '\t' or '\r' or '\n')
        {
            _offset++;
        }

        if (_offset >= text.Length)
        {
            return new Token(TokenKind.End, text.Length, 0, default, default);
        }

        int start = _offset;
        char c = text[_offset];
        if (c is >= '0' and <= '9')
        {
            return ReadNumber(start);
        }

        _offset++;
        switch (c)
        {
            case '(':
                return new Token(TokenKind.OpenParen, start, 1, default, default);
            case ')':
                return new Token(TokenKind.CloseParen, start, 1, default, default);
            case '-':
                return new Token(TokenKind.Minus, start, 1, default, BinaryOperator.Subtract);
            case '+':
                return Op(start, 1, BinaryOperator.Add);
            case '%':
                return Op(start, 1, BinaryOperator.Modulo);
            case '^':
                return Op(start, 1, BinaryOperator.Power);
            case '*' when Peek('*'):
                _offset++;
                return Op(start, 2, BinaryOperator.Power); // Python's spelling of '^'
            case '*':
                return Op(start, 1, BinaryOperator.Multiply);
            case '/' when Peek('/'):
                _offset++;
                return Op(start, 2, BinaryOperator.FloorDivide);
            case '/':
                return Op(start, 1, BinaryOperator.Divide);
            case '.':
                throw Error(start, "a number must start with a digit: write 0.5, not .5");
            case '×':
                throw Error(start, "unexpected '×': use '*' for multiplication");
            case '÷':
                throw Error(start, "unexpected '÷': use '/' for division");
            case '−':
                throw Error(start, "unexpected '−' (unicode minus): use '-'");
            default:
                throw Error(start, $"unexpected character {Quote(c)}");
        }
    }

    public ParseException Error(int offset, string reason)
    {
        int line = 1, column = 1;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new ParseException(line, column, reason);
    }

    private static Token Op(int start, int length, BinaryOperator op) => new(TokenKind.Operator, start, length, default, op);

    private bool Peek(char c) => _offset < text.Length && text[_offset] == c;

    private Token ReadNumber(int start)
    {
        while (_offset < text.Length && char.IsAsciiDigit(text[_offset]))
        {
            _offset++;
        }

        int digits = _offset - start;
        if (Peek('.'))
        {
            _offset++;
            int fractionStart = _offset;
            while (_offset < text.Length && char.IsAsciiDigit(text[_offset]))
            {
                _offset++;
            }

            if (_offset == fractionStart)
            {
                throw Error(fractionStart, "expected a digit after '.'");
            }

            digits += _offset - fractionStart;
        }

        if (digits > limits.MaxNumberDigits)
        {
            throw Error(start, $"number has {digits} digits; the limit is {limits.MaxNumberDigits} (ExpressionLimits.MaxNumberDigits)");
        }

        if (_offset < text.Length && (char.IsLetter(text[_offset]) || text[_offset] == '.'))
        {
            throw Error(_offset, $"unexpected {Quote(text[_offset])} right after a number");
        }

        RationalFormatter.TryParseUnsignedDecimal(text.AsSpan(start, _offset - start), out var value);
        return new Token(TokenKind.Number, start, _offset - start, value, default);
    }

    private static string Quote(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
