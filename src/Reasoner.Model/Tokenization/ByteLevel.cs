// GPT-2's byte-to-character table (bytes_to_unicode), which byte-level BPE vocabularies are spelled in: printable
// Latin-1 bytes stand for themselves, the other 68 map to U+0100 upward in byte order (a space is 'Ġ').
using System.Text;

namespace Reasoner.Model.Tokenization;

public static class ByteLevel
{
    private static readonly char[] Table = Build();

    /// <summary>The text's UTF-8 bytes as vocabulary characters.</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = Table[bytes[i]];
        }

        return new string(chars);
    }

    private static char[] Build()
    {
        var table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + next++);
        }

        return table;
    }
}
