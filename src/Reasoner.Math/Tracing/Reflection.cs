// Self-correction lines: a deliberately wrong claim, then "wait" and the right one. The step checker
// counts the wrong claim as retracted (not as an error) because the correction follows with the same left side.
using System.Numerics;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Tracing;

internal static class Reflection
{
    /// <summary>Words that mark a retraction; the step checker looks for the same ones.</summary>
    public const string Cue = "wait";

    public static TraceLine Mistake(string left, Rational correct, Random random)
    {
        var wrong = NearMiss(correct, random);
        var text = $"{StepFormat.Claim(left, wrong)}, {Cue}, that is wrong: {StepFormat.Claim(left, correct)}, not {StepFormat.Value(wrong)}";
        return new TraceLine(text);
    }

    /// <summary>A plausible wrong value: off by one or ten in the last place, never equal to the truth.</summary>
    internal static Rational NearMiss(Rational correct, Random random)
    {
        int places = correct.DecimalPlaces();
        Rational unit = places > 0 ? Rational.Create(BigInteger.One, BigInteger.Pow(10, places))
            : places == 0 ? Rational.One
            : Rational.Create(BigInteger.One, correct.Denominator);
        Rational delta = random.Next(4) switch
        {
            0 => unit,
            1 => -unit,
            2 => unit * 10,
            _ => unit * -10,
        };
        return correct + delta;
    }
}
