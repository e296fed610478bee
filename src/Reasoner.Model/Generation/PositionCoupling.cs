// Position coupling (Cho et al. 2024, arXiv 2410.15787) for the compact digit chain of thought of one addition
// (`reasoner generate --style digit --compact`): the rotary position of a token is not its index but a place in a
// grid of columns, so the tokens that work on one digit place sit at the same short distance from each other whatever
// the numbers' length. Column s (s = 1 for the ones) owns the positions base + s * Slots + slot:
//   slot 0, 1        the prompt's operands A and B (the digit of A or B with place value 10^(s-1));
//   slot 2 .. 15     the s-th column line of the thinking (`7+5+1=13`), token by token;
//   slot 16, 17, 18  the read-out line `A+B=R` (its A digits, its B digits, its R digits, each at its own place);
//   slot 19          the answer tag's digits.
// A separator takes the place just above the number it comes before ('+' before B's leading digit, '=' before R's),
// so the next digit is always one column down. Every other token of the prompt keeps its index (0 .. P-1); base is P,
// plus a random shift in training (max_offset) so that long distances to the prompt's text are seen before they are
// needed. A position depends only on the tokens before it and the whole prompt, so decoding computes it one token at a
// time (Track) exactly as training computes it for the whole sequence (Sequence). The numbers' lengths come from the
// prompt (A, B) and from the last column line (a carry out makes R one digit longer). Needs one token per character
// (the char tokenizer); transformers has no such positions, so these models do not export to Hugging Face or GGUF.
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;

namespace Reasoner.Model.Generation;

public sealed class PositionCoupling
{
    /// <summary>The one layout implemented: the compact digit chain of thought of a + b.</summary>
    public const string ColumnAddition = "column-addition";

    /// <summary>Positions per column.</summary>
    public const int Slots = 20;

    private const int LineSlot = 2, LineSlots = 14, ReadA = 16, ReadB = 17, ReadR = 18, AnswerSlot = 19;

    private readonly string?[] _texts;
    private readonly int _limit;

    private PositionCoupling(string?[] texts, int limit, int maxOffset)
    {
        _texts = texts;
        _limit = limit;
        MaxOffset = maxOffset;
    }

    /// <summary>Training shifts the grid by a random 0..MaxOffset positions.</summary>
    public int MaxOffset { get; }

    /// <summary>The coupling a config asks for, or null; refuses a tokenizer that does not give one token per digit.</summary>
    public static PositionCoupling? For(ModelConfig config, ITokenizer tokenizer)
    {
        if (config.PositionCoupling is null)
        {
            return null;
        }

        var texts = new string?[tokenizer.VocabSize];
        for (int id = 0; id < texts.Length; id++)
        {
            texts[id] = tokenizer.Token(id);
        }

        foreach (var digit in "0123456789+=\n")
        {
            if (tokenizer.TokenId(digit.ToString()) is null)
            {
                throw new ArgumentException($"position_coupling '{config.PositionCoupling}' needs one token per character (the char tokenizer); this tokenizer has no token '{digit}'");
            }
        }

        return new PositionCoupling(texts, config.MaxPositionEmbeddings, config.PositionCouplingMaxOffset);
    }

    /// <summary>Positions of a whole sequence whose first <paramref name="promptLength"/> tokens are the prompt, with the grid shifted by <paramref name="offset"/>.</summary>
    public long[] Sequence(IReadOnlyList<int> ids, int promptLength, long offset = 0)
    {
        var track = Start(ids.Take(promptLength).ToList(), offset);
        var positions = new long[ids.Count];
        track.PromptPositions.CopyTo(positions, 0);
        for (int t = promptLength; t < ids.Count; t++)
        {
            positions[t] = track.Next(ids[t]);
        }

        return positions;
    }

    /// <summary>
    /// Positions of a training row, the grid shifted by a uniform draw of 0..MaxOffset, or of 0..the room left below
    /// max_position_embeddings when the row is too long for the full shift (so long rows still train, on the shifts
    /// that fit). A draw that fits is the one taken, so rows that always fitted keep their positions.
    /// </summary>
    public long[] TrainingSequence(IReadOnlyList<int> ids, int promptLength, Random random)
    {
        var positions = Sequence(ids, promptLength);
        long room = _limit - 1 - positions.Max(), offset = random.Next(MaxOffset + 1);
        offset = offset <= room ? offset : random.Next((int)room + 1); // uniform on 0..room: a first draw that fits, else a second one
        for (int t = 0; t < positions.Length; t++)
        {
            positions[t] += t < promptLength && positions[t] < promptLength ? 0 : offset; // the prompt's text keeps its index, the grid moves
        }

        return positions;
    }

    /// <summary>A row's positions, from its prompt on.</summary>
    public Track Start(IReadOnlyList<int> prompt, long offset = 0) => new(this, prompt, offset);

    private string Text(int id) => id >= 0 && id < _texts.Length ? _texts[id] ?? string.Empty : string.Empty;

    private static bool IsDigit(string text) => text.Length == 1 && char.IsAsciiDigit(text[0]);

    /// <summary>One row's positions: the prompt's at once, then each completion token's as it is fed.</summary>
    public sealed class Track
    {
        private enum Phase { Lines, ReadA, ReadB, ReadR, Tail, Answer, End }

        private readonly PositionCoupling _owner;
        private readonly long _base;
        private readonly int _lengthA, _lengthB, _columns;
        private int _line, _inLine, _digits, _lastResultDigits, _lengthR;
        private bool _afterEquals;
        private Phase _phase = Phase.Lines;

        internal Track(PositionCoupling owner, IReadOnlyList<int> prompt, long offset)
        {
            _owner = owner;
            _base = prompt.Count + offset;
            PromptPositions = new long[prompt.Count];
            for (int t = 0; t < prompt.Count; t++)
            {
                PromptPositions[t] = t;
            }

            if (Operands(prompt) is { } found)
            {
                _lengthA = found.AEnd - found.AStart;
                _lengthB = found.BEnd - found.BStart;
                for (int t = found.AStart; t < found.AEnd; t++)
                {
                    PromptPositions[t] = At(found.AEnd - t, 0);
                }

                for (int t = found.BStart; t < found.BEnd; t++)
                {
                    PromptPositions[t] = At(found.BEnd - t, 1);
                }
            }

            _columns = System.Math.Max(_lengthA, _lengthB);
            _lengthR = _columns;
        }

        public long[] PromptPositions { get; }

        /// <summary>The position of the completion token <paramref name="id"/>, fed after everything before it.</summary>
        public long Next(int id)
        {
            var text = _owner.Text(id);
            bool digit = IsDigit(text);
            return _phase == Phase.Lines ? Line(text, digit) : ReadOut(text, digit);
        }

        private long Line(string text, bool digit)
        {
            long position = At(_line, LineSlot + System.Math.Min(_inLine, LineSlots - 1));
            _inLine++;
            if (text == "=")
            {
                (_afterEquals, _lastResultDigits) = (true, 0);
            }
            else if (digit && _afterEquals)
            {
                _lastResultDigits++;
            }

            if (text.Contains('\n', StringComparison.Ordinal))
            {
                if (_line == _columns && _line > 0)
                {
                    _lengthR = _columns + (_lastResultDigits > 1 ? 1 : 0); // a carry out of the last column
                }

                (_line, _inLine, _afterEquals) = (_line + 1, 0, false);
                if (_line > _columns)
                {
                    _phase = Phase.ReadA;
                }
            }

            return position;
        }

        private long ReadOut(string text, bool digit)
        {
            switch (_phase)
            {
                case Phase.ReadA when digit:
                    return Place(_lengthA, ReadA);
                case Phase.ReadA when text == "+":
                    return Switch(Phase.ReadB, At(_lengthB + 1, ReadB));
                case Phase.ReadB when digit:
                    return Place(_lengthB, ReadB);
                case Phase.ReadB when text == "=":
                    return Switch(Phase.ReadR, At(_lengthR + 1, ReadR));
                case Phase.ReadR when digit:
                    return Place(_lengthR, ReadR);
                case Phase.ReadR:
                    return Switch(Phase.Tail, At(_lengthR + 1, AnswerSlot));
                case Phase.Tail:
                    return Switch(text == "<answer>" ? Phase.Answer : Phase.Tail, At(_lengthR + 1, AnswerSlot));
                case Phase.Answer when digit:
                    return Place(_lengthR, AnswerSlot);
                case Phase.Answer or Phase.End:
                    return Switch(Phase.End, At(0, AnswerSlot));
                default: // a token the layout does not have where it stands: it shares the place of the last digit
                    return At(System.Math.Max(0, (_phase == Phase.ReadA ? _lengthA : _lengthB) - _digits + 1), _phase == Phase.ReadA ? ReadA : ReadB);
            }
        }

        /// <summary>The next digit of a number of <paramref name="length"/> digits written most significant first.</summary>
        private long Place(int length, int slot)
        {
            _digits++;
            return At(System.Math.Max(0, length - _digits + 1), slot);
        }

        private long Switch(Phase phase, long position)
        {
            if (phase != _phase)
            {
                (_phase, _digits) = (phase, 0);
            }

            return position;
        }

        private long At(int column, int slot)
        {
            long position = _base + ((long)column * Slots) + slot;
            if (position >= _owner._limit)
            {
                throw new ArgumentException($"position coupling needs position {position} for column {column}, past max_position_embeddings {_owner._limit}; raise max_position_embeddings in config.json (the rotary tables hold no weights)");
            }

            return position;
        }

        /// <summary>The last `digits + digits` in the prompt (spaces allowed around '+'), as token ranges [start, end).</summary>
        private (int AStart, int AEnd, int BStart, int BEnd)? Operands(IReadOnlyList<int> prompt)
        {
            for (int plus = prompt.Count - 1; plus >= 0; plus--)
            {
                if (_owner.Text(prompt[plus]) != "+")
                {
                    continue;
                }

                int aEnd = plus;
                while (aEnd > 0 && _owner.Text(prompt[aEnd - 1]) == " ")
                {
                    aEnd--;
                }

                int aStart = aEnd;
                while (aStart > 0 && IsDigit(_owner.Text(prompt[aStart - 1])))
                {
                    aStart--;
                }

                int bStart = plus + 1;
                while (bStart < prompt.Count && _owner.Text(prompt[bStart]) == " ")
                {
                    bStart++;
                }

                int bEnd = bStart;
                while (bEnd < prompt.Count && IsDigit(_owner.Text(prompt[bEnd])))
                {
                    bEnd++;
                }

                if (aStart < aEnd && bStart < bEnd)
                {
                    return (aStart, aEnd, bStart, bEnd);
                }
            }

            return null;
        }
    }
}
