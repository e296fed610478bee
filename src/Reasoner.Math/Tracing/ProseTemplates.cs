// Natural-language phrasings for the prose style. Each template embeds the exact claim "{claim}",
// so wording varies with the seed while every number stays machine-checkable.
using Reasoner.Math.Expressions;

namespace Reasoner.Math.Tracing;

internal static class ProseTemplates
{
    private static readonly string[] First = ["First, ", "To start, ", "We begin: ", "Start with the innermost part: "];
    private static readonly string[] Middle = ["Next, ", "Then ", "Now ", "After that, "];
    private static readonly string[] Last = ["Finally, ", "Last, ", "To finish, "];

    private static readonly Dictionary<BinaryOperator, string[]> Phrases = new()
    {
        [BinaryOperator.Add] = ["add {a} and {b}: {claim}.", "adding {a} and {b} gives {claim}.", "we compute the sum {claim}."],
        [BinaryOperator.Subtract] = ["subtract {b} from {a}: {claim}.", "taking {b} away from {a} gives {claim}.", "we compute the difference {claim}."],
        [BinaryOperator.Multiply] = ["multiply {a} by {b}: {claim}.", "{a} times {b} gives {claim}.", "we compute the product {claim}."],
        [BinaryOperator.Divide] = ["divide {a} by {b}: {claim}.", "{a} divided by {b} gives {claim}.", "we compute the quotient {claim}."],
        [BinaryOperator.FloorDivide] = ["floor-divide {a} by {b}: {claim}.", "the whole-number quotient of {a} by {b} is {claim}."],
        [BinaryOperator.Modulo] = ["take the remainder of {a} by {b}: {claim}.", "the remainder when {a} is divided by {b} is {claim}."],
        [BinaryOperator.Power] = ["raise {a} to the power {b}: {claim}.", "{a} to the power {b} gives {claim}."],
    };

    public static string Sentence(BinaryOperator op, string a, string b, string claim, int index, int count, Random random)
    {
        var opener = count == 1 ? string.Empty : index == 0 ? Pick(First, random) : index == count - 1 ? Pick(Last, random) : Pick(Middle, random);
        var body = Pick(Phrases[op], random).Replace("{a}", a, StringComparison.Ordinal)
            .Replace("{b}", b, StringComparison.Ordinal)
            .Replace("{claim}", claim, StringComparison.Ordinal);
        var sentence = opener + body;
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    private static string Pick(string[] options, Random random) => options[random.Next(options.Length)];
}
