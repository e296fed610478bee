// Precedence-climbing parser driven by OperatorTable. Errors carry line:column and say what was expected.
namespace Reasoner.Math.Expressions;

public static class ExpressionParser
{
    public static Expr Parse(string text) => Parse(text, ExpressionLimits.Default);

    public static Expr Parse(string text, ExpressionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        if (text.Length > limits.MaxInputLength)
        {
            throw new ParseException(1, 1, $"input has {text.Length} characters; the limit is {limits.MaxInputLength} (ExpressionLimits.MaxInputLength)");
        }

        var state = new State(new ExpressionLexer(text, limits), limits.MaxDepth);
        if (state.Current.Kind == TokenKind.End)
        {
            throw state.Lexer.Error(0, "empty expression: expected a number or '('");
        }

        var expr = state.ParseBinary(1, 0);
        if (state.Current.Kind != TokenKind.End)
        {
            var token = state.Current;
            var hint = token.Kind == TokenKind.CloseParen ? ": no '(' is open" : ": expected an operator";
            throw state.Lexer.Error(token.Offset, $"unexpected {token.Describe(text)}{hint}");
        }

        return expr;
    }

    public static bool TryParse(string text, ExpressionLimits limits, out Expr? expr, out string? error)
    {
        try
        {
            expr = Parse(text, limits);
            error = null;
            return true;
        }
        catch (ParseException e)
        {
            expr = null;
            error = e.Message;
            return false;
        }
    }

    private sealed class State
    {
        private readonly int _maxDepth;

        public State(ExpressionLexer lexer, int maxDepth)
        {
            Lexer = lexer;
            _maxDepth = maxDepth;
            Current = lexer.Next();
        }

        public ExpressionLexer Lexer { get; }

        public Token Current { get; private set; }

        public Expr ParseBinary(int minPrecedence, int depth)
        {
            var left = ParsePrefix(depth);
            while (true)
            {
                if (!TryBinaryOperator(out var op))
                {
                    return left;
                }

                var info = OperatorTable.Get(op);
                if (info.Precedence < minPrecedence)
                {
                    return left;
                }

                Advance();
                int next = info.Associativity == Associativity.Left ? info.Precedence + 1 : info.Precedence;
                var right = ParseBinary(next, depth + 1);
                left = new BinaryExpression(op, left, right);
            }
        }

        private bool TryBinaryOperator(out BinaryOperator op)
        {
            op = Current.Operator;
            return Current.Kind is TokenKind.Operator or TokenKind.Minus;
        }

        private Expr ParsePrefix(int depth)
        {
            if (depth > _maxDepth)
            {
                throw Lexer.Error(Current.Offset, $"expression nests deeper than {_maxDepth} levels (ExpressionLimits.MaxDepth)");
            }

            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Number:
                    Advance();
                    return new NumberLiteral(token.Value);
                case TokenKind.Minus:
                    Advance();
                    return new Negation(ParseBinary(OperatorTable.NegationPrecedence, depth + 1));
                case TokenKind.OpenParen:
                    Advance();
                    var inner = ParseBinary(1, depth + 1);
                    if (Current.Kind != TokenKind.CloseParen)
                    {
                        throw Lexer.Error(Current.Offset, $"expected ')' to close '(' at {Position(token.Offset)} but found {Current.Describe(Lexer.Text)}");
                    }

                    Advance();
                    return inner;
                case TokenKind.End:
                    throw Lexer.Error(token.Offset, "unexpected end of input: expected a number or '('");
                default:
                    throw Lexer.Error(token.Offset, $"unexpected {token.Describe(Lexer.Text)}: expected a number or '('");
            }
        }

        private string Position(int offset)
        {
            var e = Lexer.Error(offset, string.Empty);
            return $"{e.Line}:{e.Column}";
        }

        private void Advance() => Current = Lexer.Next();
    }
}
