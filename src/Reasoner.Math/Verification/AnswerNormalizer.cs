// Turns answer text into an exact rational: spaces, thousands separators (also LaTeX's 14{,}916 and 11,\! 111),
// trailing ".0", a leading dot (.4), unicode minus, LaTeX fractions (\frac{1}{3}, \frac13, \cfrac, \left( \right)),
// mixed numbers, a one-variable equation's answer written as "x = 8", and a word problem's "$96", "96 apples" or "15%"
// (up to three unit words after the number). Anything else (number words, look-alike digits, two numbers, unevaluated
// sums, decimal commas) is refused.
using System.Text;
using System.Text.RegularExpressions;
using Reasoner.Math.Numbers;

namespace Reasoner.Math.Verification;

public static partial class AnswerNormalizer
{
    public static bool TryNormalize(string text, int maxChars, out Rational value, out string error)
    {
        value = Rational.Zero;
        if (text.Length > maxChars)
        {
            error = $"answer is {text.Length} characters long; the limit is {maxChars}";
            return false;
        }

        if (IsPlainNumber(text) && RationalFormatter.TryParse(text, out value))
        {
            error = string.Empty;
            return true; // fast path for the common case: "1015", "-3/4", "12.875"
        }

        var s = Unwrap(LatexSeparators(text.Trim()));
        s = s.Replace('\u2212', '-'); // unicode minus sign
        if (s.Length > 2 && char.IsAsciiLetter(s[0]) && s.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 && s[1..eq].Trim().Length == 0)
        {
            s = s[(eq + 1)..].Trim(); // an equation's answer: "x = 8", "x=8/3" (one variable)
        }
        s = CollapseSpaces(s);
        s = Money().Replace(s, "${sign}"); // "$96", "-$4.50": a word problem's answer in dollars
        if (TrailingUnit().Match(s) is { Success: true } unit)
        {
            s = s[..unit.Index]; // "96 apples", "12 km", "15%", "45 square meters": the number is the answer
        }

        if (s.EndsWith('.') && s.Length > 1 && char.IsAsciiDigit(s[^2]))
        {
            s = s[..^1]; // a sentence's full stop
        }

        foreach (var c in s)
        {
            if (c > 127)
            {
                error = $"answer contains the non-ASCII character U+{(int)c:X4}";
                return false;
            }
        }

        if (CommaGroups().IsMatch(s) || SpaceGroups().IsMatch(s))
        {
            s = s.Replace(",", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        s = SpacesAroundSlash().Replace(s, "/");
        if (s.StartsWith("- ", StringComparison.Ordinal) || s.StartsWith("+ ", StringComparison.Ordinal))
        {
            s = s[0] + s[2..];
        }

        s = LeadingPoint().Replace(s, "${sign}0."); // .4 and -.5 are numbers

        if (!RationalFormatter.TryParse(s, out value))
        {
            error = $"'{Shorten(text)}' is not a number";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// A system's answer: two or more "v = number" parts, one per variable, separated by ',', ';' or "and"
    /// ("x = 3, y = 2", "x=-1/2; y=4"). Each number is read as <see cref="TryNormalize"/> reads one.
    /// </summary>
    public static bool TryNormalizeSolution(string text, int maxChars, out IReadOnlyDictionary<char, Rational>? solution, out string error)
    {
        solution = null;
        if (text.Length > maxChars)
        {
            error = $"answer is {text.Length} characters long; the limit is {maxChars}";
            return false;
        }

        var values = new SortedDictionary<char, Rational>();
        foreach (var part in SolutionSeparator().Split(text.Trim().Trim('$').Trim('(', ')')))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? part[..eq].Trim() : string.Empty;
            if (name.Length != 1 || !char.IsAsciiLetterLower(name[0]) || !TryNormalize(part[(eq + 1)..], maxChars, out var value, out _) || !values.TryAdd(name[0], value))
            {
                error = $"'{Shorten(text)}' is not a solution such as 'x = 3, y = 2'";
                return false;
            }
        }

        if (values.Count < 2)
        {
            error = $"'{Shorten(text)}' names fewer than two variables";
            return false;
        }

        solution = values;
        error = string.Empty;
        return true;
    }

    public static bool SameSolution(IReadOnlyDictionary<char, Rational> a, IReadOnlyDictionary<char, Rational> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && other == pair.Value);

    /// <summary>
    /// LaTeX spacing inside numbers, as instruction-tuned models write it: <c>14{,}916</c> and <c>11,\! 111</c> become
    /// plain comma groups (still checked as groups of three below), <c>14\,916</c> and <c>14\ 916</c> space groups.
    /// </summary>
    private static string LatexSeparators(string s) => s.Contains('\\', StringComparison.Ordinal) || s.Contains('{', StringComparison.Ordinal)
        ? LatexThinSpace().Replace(LatexComma().Replace(s, ","), " ")
        : s;

    /// <summary>Removes $…$, \(…\), \boxed{…}, \text{…}, \left( … \right) and (number) wrappers and rewrites \frac{a}{b} (also \frac13, \cfrac) as a/b.</summary>
    private static string Unwrap(string s)
    {
        for (int guard = 0; guard < 8; guard++)
        {
            var before = s;
            if (s.Length >= 2 && s[0] == '$' && s[^1] == '$')
            {
                s = s.Trim('$').Trim();
            }

            if ((s.StartsWith("\\(", StringComparison.Ordinal) && s.EndsWith("\\)", StringComparison.Ordinal))
                || (s.StartsWith("\\[", StringComparison.Ordinal) && s.EndsWith("\\]", StringComparison.Ordinal)))
            {
                s = s[2..^2].Trim();
            }

            foreach (var command in (string[])["\\boxed{", "\\text{", "\\mathrm{"])
            {
                if (s.StartsWith(command, StringComparison.Ordinal) && s.EndsWith('}'))
                {
                    s = s[command.Length..^1].Trim();
                }
            }

            if (s.StartsWith("\\left(", StringComparison.Ordinal) && s.EndsWith("\\right)", StringComparison.Ordinal))
            {
                s = "(" + s[6..^7].Trim() + ")";
            }

            s = LatexFraction().Replace(s, m => $"{m.Groups["num"].Value}/{m.Groups["den"].Value}");
            if (s.Length > 2 && s[0] == '(' && s[^1] == ')' && RationalFormatter.TryParse(s.AsSpan(1, s.Length - 2), out _))
            {
                s = s[1..^1].Trim(); // one number in parentheses; (9+1) stays refused, it is not a number
            }

            if (s == before)
            {
                break;
            }
        }

        return s;
    }

    private static string CollapseSpaces(string s)
    {
        var builder = new StringBuilder(s.Length);
        bool space = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\u00A0' or '\u2009' or '\u202F')
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsPlainNumber(string text)
    {
        if (text.Length == 0 || text.Length > 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or '-' or '.' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"\s*(?:,|;|\band\b)\s*")]
    private static partial Regex SolutionSeparator();

    [GeneratedRegex(@"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaGroups();

    [GeneratedRegex(@"^[-+]?\d{1,3}( \d{3})+(\.\d+)?$")]
    private static partial Regex SpaceGroups();

    [GeneratedRegex(@" ?/ ?")]
    private static partial Regex SpacesAroundSlash();

    /// <summary>\frac, \dfrac, \tfrac, \cfrac; each argument braced ({12}) or, as LaTeX allows, one bare digit (\frac13).</summary>
    [GeneratedRegex(@"\\[dtc]?frac\s*(?:\{\s*(?<num>-?\d+)\s*\}|(?<num>\d))\s*(?:\{\s*(?<den>\d+)\s*\}|(?<den>\d))")]
    private static partial Regex LatexFraction();

    /// <summary>{,} and ,\! (a comma with negative space after it, and any spaces that follow).</summary>
    [GeneratedRegex(@"\{,\}|,\\!\s*")]
    private static partial Regex LatexComma();

    /// <summary>\, and "\ " (thin and normal space) and a stray \! between digit groups.</summary>
    [GeneratedRegex(@"\\[, ]|\\!")]
    private static partial Regex LatexThinSpace();

    [GeneratedRegex(@"^(?<sign>-?) ?\$ ?(?=[\d.])")]
    private static partial Regex Money();

    /// <summary>A percent sign, or one to three words of letters (a unit), after the number's last digit.</summary>
    [GeneratedRegex(@"(?<=\d) ?(?:%|[A-Za-z\u00B2\u00B3]+(?: [A-Za-z\u00B2\u00B3]+){0,2}\.?)$")]
    private static partial Regex TrailingUnit();

    [GeneratedRegex(@"^(?<sign>[-+]?)\.(?=\d)")]
    private static partial Regex LeadingPoint();
}
