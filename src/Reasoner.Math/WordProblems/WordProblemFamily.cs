// The word-problems family: GSM8K-like stories built from a chain of operations on quantities with units; the trace
// narrates each operation in a sentence with its checked claim, and the row keeps the expression whose value is the answer.
using Reasoner.Math.Families;

namespace Reasoner.Math.WordProblems;

public static class WordProblemFamily
{
    public static IProblemFamily Instance { get; } = new DrawnFamily<WordProblemSpec>(
        WordProblemSpec.Family, "multi-step stories (GSM8K-like); answers are numbers, \"$96\" and \"96 apples\" accepted", "word", WordProblemSpec.Presets, WordProblemWriter.Draw);
}
