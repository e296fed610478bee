// The fractions family: add, subtract, multiply and divide fractions and mixed numbers, and percentages (percent of,
// percent change, reverse percentage), each traced with its common denominator and simplification as checked steps.
using Reasoner.Math.Families;

namespace Reasoner.Math.Fractions;

public static class FractionFamily
{
    public static IProblemFamily Instance { get; } = new DrawnFamily<FractionSpec>(
        FractionSpec.Family, "fractions, mixed numbers and percentages; answers in lowest terms (19/12, 1 7/12, 36)", "fraction", FractionSpec.Presets, FractionTracer.Draw);
}
