// The text of one choice as tokens arrive. The whole completion is decoded again at each token (byte-level BPE can
// finish a character only with a later token), and only text that can no longer change is released: a trailing
// unfinished character (U+FFFD) and a tail that could be the start of a stop string are held back until the next
// token settles them. A stop string ends the text just before it, as OpenAI's API does.
using Reasoner.Model.Tokenization;

namespace Reasoner.Serving.Engine;

internal sealed class ChoiceText(ITokenizer tokenizer, IReadOnlyList<string> stops)
{
    private readonly List<int> _ids = [];
    private readonly int _longestStop = stops.Count == 0 ? 0 : stops.Max(s => s.Length);
    private string _text = string.Empty;
    private int _released;

    /// <summary>Number of tokens added (the completion's tokens, stop token excluded).</summary>
    public int Tokens => _ids.Count;

    /// <summary>Adds a token; returns the text it released and whether a stop string was completed (the text then ends before it).</summary>
    public (string Released, bool Stopped) Add(int id)
    {
        _ids.Add(id);
        _text = tokenizer.Decode(_ids);
        int stopAt = FirstStop();
        if (stopAt >= 0)
        {
            _text = _text[..stopAt];
            return (Release(_text.Length), true);
        }

        int complete = _text.Length;
        while (complete > 0 && _text[complete - 1] == '\uFFFD')
        {
            complete--; // an unfinished character at the very end: the next token may complete it
        }

        return (Release(System.Math.Min(complete, _text.Length - System.Math.Max(0, _longestStop - 1))), false);
    }

    /// <summary>The rest of the text, at the end of the choice.</summary>
    public string Flush() => Release(_text.Length);

    public string Text => _text;

    private string Release(int upTo)
    {
        if (upTo <= _released)
        {
            return string.Empty;
        }

        var released = _text[_released..upTo];
        _released = upTo;
        return released;
    }

    /// <summary>The earliest stop string's index in the text, or -1; the released text is never searched again.</summary>
    private int FirstStop()
    {
        int from = System.Math.Max(0, _released - _longestStop + 1), best = -1;
        foreach (var stop in stops)
        {
            int at = _text.IndexOf(stop, from, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
            }
        }

        return best;
    }
}
