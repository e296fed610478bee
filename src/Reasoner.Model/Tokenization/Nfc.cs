// Unicode NFC (canonical decomposition, canonical ordering, canonical composition; UAX #15) for the normalizer Qwen's
// tokenizer.json declares. The runtime runs with invariant globalization (culture-free everywhere), and there
// string.Normalize silently returns its input, so Qwen's "é" as e + U+0301 would tokenize differently from
// transformers. The data is nfc-table.txt (scripts/make_nfc_table.py); Hangul syllables are computed.
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Reasoner.Model.Tokenization;

public static class Nfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28;
    private const int NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Load);

    /// <summary>The text in NFC; text with no character at or above U+0300 is returned as it is (already NFC).</summary>
    public static string Normalize(string text)
    {
        if (!text.Any(c => c >= '\u0300'))
        {
            return text;
        }

        var tables = Data.Value;
        var points = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int cp = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? char.ConvertToUtf32(text[i], text[++i]) : text[i];
            Decompose(cp, points, tables);
        }

        Reorder(points, tables);
        Compose(points, tables);
        var result = new StringBuilder(points.Count);
        foreach (var cp in points)
        {
            if (cp is >= 0xD800 and < 0xE000)
            {
                result.Append((char)cp); // a lone surrogate stays as it was
            }
            else
            {
                result.Append(char.ConvertFromUtf32(cp));
            }
        }

        return result.ToString();
    }

    private static void Decompose(int cp, List<int> into, Tables tables)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            int s = cp - SBase;
            into.Add(LBase + (s / NCount));
            into.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                into.Add(TBase + (s % TCount));
            }
        }
        else if (tables.Decompositions.TryGetValue(cp, out var parts))
        {
            foreach (var part in parts)
            {
                Decompose(part, into, tables);
            }
        }
        else
        {
            into.Add(cp);
        }
    }

    /// <summary>Canonical ordering: each run of non-starters sorted by combining class, stably.</summary>
    private static void Reorder(List<int> points, Tables tables)
    {
        for (int i = 1; i < points.Count; i++)
        {
            int k = tables.Class(points[i]);
            for (int j = i; k != 0 && j > 0 && tables.Class(points[j - 1]) > k; j--)
            {
                (points[j - 1], points[j]) = (points[j], points[j - 1]);
            }
        }
    }

    /// <summary>Canonical composition: a character joins the last starter unless a character of equal or higher class stands between.</summary>
    private static void Compose(List<int> points, Tables tables)
    {
        int starter = -1, lastClass = 0, write = 0;
        for (int read = 0; read < points.Count; read++)
        {
            int cp = points[read], k = tables.Class(cp);
            if (starter >= 0 && (lastClass < k || (lastClass == 0 && write == starter + 1)) && Pair(points[starter], cp, tables) is int composite)
            {
                points[starter] = composite;
                continue;
            }

            if (k == 0)
            {
                starter = write;
            }

            lastClass = k;
            points[write++] = cp;
        }

        points.RemoveRange(write, points.Count - write);
    }

    private static int? Pair(int first, int second, Tables tables)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            return SBase + (((first - LBase) * VCount) + (second - VBase)) * TCount;
        }

        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            return first + (second - TBase);
        }

        return tables.Composites.TryGetValue(((long)first << 21) | (uint)second, out var composite) ? composite : null;
    }

    private sealed record Tables(Dictionary<int, int[]> Decompositions, Dictionary<long, int> Composites, Dictionary<int, int> Classes)
    {
        public int Class(int cp) => Classes.GetValueOrDefault(cp);
    }

    private static Tables Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("nfc-table.txt") ?? throw new InvalidOperationException("nfc-table.txt is not embedded");
        using var reader = new StreamReader(stream);
        var tables = new Tables([], [], []);
        static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            switch (f[0])
            {
                case "D":
                    tables.Decompositions[Hex(f[1])] = [.. f.Skip(2).Select(Hex)];
                    break;
                case "P":
                    tables.Composites[((long)Hex(f[1]) << 21) | (uint)Hex(f[2])] = Hex(f[3]);
                    break;
                case "C":
                    var range = f[1].Split('-');
                    for (int cp = Hex(range[0]); cp <= Hex(range[^1]); cp++)
                    {
                        tables.Classes[cp] = int.Parse(f[2], CultureInfo.InvariantCulture);
                    }

                    break;
            }
        }

        return tables;
    }
}
