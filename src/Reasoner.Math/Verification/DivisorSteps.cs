// The divisor steps of a completion: "gcd(38, 12) = 2" and "lcm(4, 6) = 12", the claims behind a common denominator and
// a simplification. Each is re-computed exactly; the arithmetic claim reader skips them (their left side is no expression).
using System.Numerics;
using System.Text.RegularExpressions;

namespace Reasoner.Math.Verification;

public static partial class DivisorSteps
{
    public static IEnumerable<StepClaim> Claims(string text)
    {
        if (!text.Contains("cd(", StringComparison.OrdinalIgnoreCase) && !text.Contains("cm(", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        int line = 1, countedTo = 0;
        foreach (Match m in Claim().Matches(text))
        {
            for (; countedTo < m.Index; countedTo++)
            {
                line += text[countedTo] == '\n' ? 1 : 0;
            }

            var a = BigInteger.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var b = BigInteger.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var stated = BigInteger.Parse(m.Groups["c"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var gcd = BigInteger.GreatestCommonDivisor(a, b);
            var actual = m.Groups["f"].Value.Equals("gcd", StringComparison.OrdinalIgnoreCase) ? gcd : gcd.IsZero ? BigInteger.Zero : BigInteger.Abs(a * b) / gcd;
            yield return new StepClaim($"{m.Groups["f"].Value.ToLowerInvariant()}({a}, {b})", m.Groups["c"].Value, actual == stated, line, m.Index);
        }
    }

    [GeneratedRegex(@"\b(?<f>gcd|lcm)\(\s*(?<a>-?\d{1,60})\s*,\s*(?<b>-?\d{1,60})\s*\)\s*=\s*(?<c>-?\d{1,120})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Claim();
}
