// Hugging Face's pre-tokenizer for byte-level BPE, as tokenizer.json declares it: a sequence of Split(Regex, Isolated)
// steps (Qwen and Llama-3 have one, DeepSeek-V3 three), each applied to every piece the one before made, or GPT-2's
// ByteLevel(use_regex) split. HF's regex engine walks code points; .NET's walks UTF-16 units, so a character outside
// the BMP (emoji, CJK extension B, math letters) would be two units that \p{L} or [^...] see separately. Each such
// character is therefore matched as a BMP stand-in of the same Unicode category, and pieces are cut from the original.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reasoner.Model.Tokenization;

public sealed class SplitPreTokenizer
{
    private readonly IReadOnlyList<Regex> _steps;

    public SplitPreTokenizer(IReadOnlyList<string> patterns)
    {
        Patterns = patterns;
        _steps = [.. patterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant))];
    }

    /// <summary>The Split patterns in order.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The pieces of one stretch of text (no added tokens inside), in order; together they are the text.</summary>
    public List<string> Split(string text)
    {
        var pieces = new List<string> { text };
        foreach (var step in _steps)
        {
            var next = new List<string>(pieces.Count * 2);
            foreach (var piece in pieces)
            {
                Isolated(step, piece, next);
            }

            pieces = next;
        }

        return pieces;
    }

    /// <summary>Split(behavior: Isolated): every match is a piece, and so is every stretch between matches.</summary>
    private static void Isolated(Regex regex, string text, List<string> into)
    {
        var (probe, starts) = CodePointProbe(text);
        int done = 0;
        foreach (Match match in regex.Matches(probe))
        {
            if (match.Length == 0)
            {
                continue;
            }

            int from = starts?[match.Index] ?? match.Index, to = starts?[match.Index + match.Length] ?? match.Index + match.Length;
            if (from > done)
            {
                into.Add(text[done..from]);
            }

            into.Add(text[from..to]);
            done = to;
        }

        if (done < text.Length)
        {
            into.Add(text[done..]);
        }
    }

    /// <summary>
    /// The text with each surrogate pair replaced by one BMP character of the pair's Unicode category, and for each
    /// position of that probe (and one past its end) where it starts in the original; null starts when the text has
    /// no surrogate (the probe is the text: the common case, with no table built).
    /// </summary>
    private static (string Probe, int[]? Starts) CodePointProbe(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return (text, null);
        }

        var probe = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                probe.Append(StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else
            {
                probe.Append(text[i]);
            }
        }

        starts.Add(text.Length);
        return (probe.ToString(), [.. starts]);
    }

    /// <summary>A BMP character of each category, outside ASCII and the CJK/kana ranges tokenizers name literally.</summary>
    private static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => 'À',
        UnicodeCategory.LowercaseLetter => 'ß',
        UnicodeCategory.TitlecaseLetter => 'ǅ',
        UnicodeCategory.ModifierLetter => 'ʰ',
        UnicodeCategory.OtherLetter => 'ª',
        UnicodeCategory.DecimalDigitNumber => '٠',
        UnicodeCategory.LetterNumber => 'Ⅰ',
        UnicodeCategory.OtherNumber => '²',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.ConnectorPunctuation => '‿',
        UnicodeCategory.DashPunctuation => '‐',
        UnicodeCategory.OpenPunctuation => '⁅',
        UnicodeCategory.ClosePunctuation => '⁆',
        UnicodeCategory.InitialQuotePunctuation => '«',
        UnicodeCategory.FinalQuotePunctuation => '»',
        UnicodeCategory.OtherPunctuation => '¡',
        UnicodeCategory.MathSymbol => '¬',
        UnicodeCategory.CurrencySymbol => '¢',
        UnicodeCategory.ModifierSymbol => '¨',
        UnicodeCategory.OtherSymbol => '©',
        UnicodeCategory.Format => '\u200B',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
