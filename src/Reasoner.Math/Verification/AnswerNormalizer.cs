// Turns answer text into an exact rational: spaces, thousands separators, trailing ".0", unicode minus,
// LaTeX fractions, mixed numbers. Anything else (words, look-alike digits, two numbers) is refused.
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

        var s = Unwrap(text.Trim());
        s = s.Replace('\u2212', '-'); // unicode minus sign
        s = CollapseSpaces(s);
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

        if (!RationalFormatter.TryParse(s, out value))
        {
            error = $"'{Shorten(text)}' is not a number";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Removes $…$, \(…\), \boxed{…}, \text{…} wrappers and rewrites \frac{a}{b} as a/b.</summary>
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

            s = LatexFraction().Replace(s, m => $"{m.Groups[1].Value}/{m.Groups[2].Value}");
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

    [GeneratedRegex(@"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaGroups();

    [GeneratedRegex(@"^[-+]?\d{1,3}( \d{3})+(\.\d+)?$")]
    private static partial Regex SpaceGroups();

    [GeneratedRegex(@" ?/ ?")]
    private static partial Regex SpacesAroundSlash();

    [GeneratedRegex(@"\\[dt]?frac\{\s*(-?\d+)\s*\}\{\s*(\d+)\s*\}")]
    private static partial Regex LatexFraction();
}
