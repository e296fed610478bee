// What a model was trained on, read from the dataset cards of its training data: the presets, and from them the
// operators, the operand widths per operator and the most operations per problem. `solve` and `eval` use it to say,
// in one line, when a problem lies outside that (a model trained on 2-digit x will not multiply 4-digit numbers),
// and still answer.
using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Data;

public sealed class TrainingCoverage
{
    private readonly Dictionary<BinaryOperator, int> _widest = [];
    private readonly HashSet<string> _presets = new(StringComparer.Ordinal);
    private readonly int _operations;
    private readonly bool _decimals;

    public TrainingCoverage(IEnumerable<DifficultySpec> presets)
    {
        foreach (var spec in presets)
        {
            _presets.Add(spec.Name);
            _operations = System.Math.Max(_operations, spec.Operations.Max);
            _decimals |= spec.DecimalRate > 0;
            // A one-operation drill with both widths fixed never draws from digits.
            int widest = spec is { Operations.Max: 1, LeftDigits: { } left, RightDigits: { } right }
                ? System.Math.Max(left, right)
                : new[] { spec.Digits.Max, spec.LeftDigits ?? 0, spec.RightDigits ?? 0 }.Max();
            foreach (var op in spec.ParsedOperators)
            {
                _widest[op] = System.Math.Max(_widest.GetValueOrDefault(op), widest);
            }
        }
    }

    /// <summary>The presets trained on, comma separated, for messages.</summary>
    public string Presets => string.Join(", ", _presets.Order(StringComparer.Ordinal));

    /// <summary>Why <paramref name="expression"/> lies outside the training data, or null when it does not.</summary>
    public string? Outside(string expression)
    {
        if (!ExpressionParser.TryParse(expression, ExpressionLimits.Default, out var expr, out _) || expr is null)
        {
            return "it is not an arithmetic expression";
        }

        int operations = 0;
        string? reason = null;
        void Walk(Expr e)
        {
            switch (e)
            {
                case BinaryExpression b:
                    operations++;
                    if (!_widest.TryGetValue(b.Operator, out var widest))
                    {
                        reason ??= $"the operator '{b.Operator.Symbol()}' never appears in its training data";
                    }
                    else if (new[] { b.Left, b.Right }.OfType<NumberLiteral>().Where(n => n.Value.IsInteger).Select(WidthBucket.Digits).DefaultIfEmpty(0).Max() is var digits && digits > widest)
                    {
                        reason ??= $"it has a {digits}-digit operand of '{b.Operator.Symbol()}', and its training data has at most {widest} digits there";
                    }

                    Walk(b.Left);
                    Walk(b.Right);
                    break;
                case Negation n:
                    Walk(n.Operand);
                    break;
                case NumberLiteral { Value.IsInteger: false } when !_decimals:
                    reason ??= "it has a decimal, and its training data has none";
                    break;
            }
        }

        Walk(expr);
        return reason ?? (operations > _operations ? $"it has {operations} operations, and its training data at most {_operations}" : null);
    }

    /// <summary>Why a dataset row lies outside the training data (its preset, then its expression), or null.</summary>
    public string? Outside(DatasetRecord record)
    {
        if (!string.IsNullOrEmpty(record.Expression) && Outside(record.Expression) is { } reason)
        {
            return reason;
        }

        return record.Difficulty is { Length: > 0 } preset && preset != "unknown" && !_presets.Contains(preset) ? $"preset '{preset}' is not in its training data" : null;
    }
}
