// Continuous batching, the one decoding engine of training, eval, distill's checkpoint teacher and the server: every
// running row is a row of one KV-cache batch, and each step decodes one token for all of them. New rows join between
// steps: their prompts are prefilled together (left-padded, one forward pass; rows holding one prompt list share its
// prefill row), and their cache joins the batch right-aligned with the padding masked. A finished row leaves at the
// next compaction, and padding columns no row needs are dropped. Rows keep their own positions, so a row's tokens do
// not depend on what else is in the batch. While no row is padded, no mask is built (the unpadded fast path).
// Departures from vLLM: no paged attention or prefix cache, and a prompt is prefilled whole (no chunked prefill).
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Model.Generation;

/// <summary>Called with each row's chosen token (already its <see cref="DecodeRow.Pending"/>), the batch's logits (B, V) and the row's index in them; mark the row done to end it.</summary>
public delegate void TokenChosen(DecodeRow row, int id, Tensor logits, int index);

public sealed class DecodeBatch(CausalLM model, int padId, int? vocabSize = null) : IDisposable
{
    private const int TrimColumns = 16; // leading padding columns dropped from the cache once this many are free
    private readonly List<DecodeRow> _rows = [];
    private KvCache? _cache;
    private Tensor? _mask; // (B, columns): 1 for a real key, 0 for left padding; null while no row is padded

    /// <summary>The rows being decoded, in batch order.</summary>
    public IReadOnlyList<DecodeRow> Rows => _rows;

    /// <summary>Prefills the new rows' prompts in one forward pass, chooses each row's first token, and joins them to the batch.</summary>
    public void Join(IReadOnlyList<DecodeRow> rows, TokenChosen chosen)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var prompts = new List<IReadOnlyList<int>>();
        var owner = new long[rows.Count]; // the prefill row of each new row
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Prompt.Count == 0)
            {
                throw new ArgumentException("a row to decode needs a non-empty prompt");
            }

            if (r == 0 || !ReferenceEquals(rows[r].Prompt, rows[r - 1].Prompt))
            {
                prompts.Add(rows[r].Prompt);
            }

            owner[r] = prompts.Count - 1;
        }

        var (ids, mask, positions) = LeftPadded(prompts, padId);
        bool padded = positions is not null;
        if (model.Coupling is { } coupling)
        {
            foreach (var row in rows)
            {
                row.Coupled = coupling.Start(row.Prompt);
            }

            var first = Enumerable.Range(0, rows.Count).Where(r => r == 0 || owner[r] != owner[r - 1]); // each prefill row's first row
            positions = Placed([.. first.Select(r => rows[r].Coupled!.PromptPositions)], ids.shape[1]);
        }

        long width = ids.shape[1];
        var cache = new KvCache(model.Config.NumHiddenLayers);
        try
        {
            var last = Vocab(model.Forward(ids, positions, padded ? mask : null, cache).select(1, width - 1)); // (P, V)
            if (prompts.Count != rows.Count)
            {
                var copies = tensor(owner);
                cache.Select(copies); // each row its own copy of its prompt's keys
                last = last.index_select(0, copies);
                mask = mask.index_select(0, copies);
            }

            for (int r = 0; r < rows.Count; r++)
            {
                rows[r].Position = rows[r].Prompt.Count;
            }

            if (_cache is null)
            {
                (_cache, cache) = (cache, null);
                Keep(ref _mask, padded ? mask : null);
            }
            else
            {
                long columns = System.Math.Max(_cache.Length, width);
                var joined = cat([Padded(_mask ?? ones(_rows.Count, _cache.Length, dtype: ScalarType.Int64), columns), Padded(mask, columns)], 0);
                _cache.Absorb(cache);
                Keep(ref _mask, joined);
            }

            _rows.AddRange(rows);
            Deliver(last, rows, chosen);
        }
        finally
        {
            cache?.Dispose();
        }
    }

    /// <summary>One token for every row that is not done (done rows leave first).</summary>
    public void Step(TokenChosen chosen)
    {
        Compact();
        if (_rows.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var input = tensor(_rows.Select(r => (long)r.Pending).ToArray()).unsqueeze(1); // (B, 1)
        Tensor? positions = null, mask = null;
        if (model.Coupling is not null)
        {
            positions = tensor(_rows.Select(r => r.Coupled!.Next(r.Pending)).ToArray()).unsqueeze(1); // (B, 1)
        }

        if (_mask is not null)
        {
            positions ??= tensor(_rows.Select(r => r.Position).ToArray()).unsqueeze(1); // (B, 1)
            mask = cat([_mask, ones(_rows.Count, 1, dtype: ScalarType.Int64)], 1);    // (B, columns + 1)
        }

        var logits = Vocab(model.Forward(input, positions, mask, _cache).select(1, 0)); // (B, V)
        if (mask is not null)
        {
            Keep(ref _mask, mask);
        }

        foreach (var row in _rows)
        {
            row.Position++;
        }

        Deliver(logits, _rows, chosen);
    }

    /// <summary>Drops the rows marked done from the batch, and padding columns no row needs any more.</summary>
    public void Compact()
    {
        var keep = Enumerable.Range(0, _rows.Count).Where(b => !_rows[b].Done).ToArray();
        if (keep.Length == _rows.Count)
        {
            return;
        }

        var kept = keep.Select(b => _rows[b]).ToList();
        _rows.Clear();
        _rows.AddRange(kept);
        if (keep.Length == 0)
        {
            Clear();
            return;
        }

        using var scope = NewDisposeScope();
        var rows = tensor(keep.Select(b => (long)b).ToArray());
        _cache!.Select(rows);
        if (_mask is null)
        {
            return;
        }

        var mask = _mask.index_select(0, rows);
        long free = mask.sum(dim: 0).data<long>().TakeWhile(count => count == 0).LongCount();
        if (free >= TrimColumns)
        {
            _cache.TrimLeft(free);
            mask = mask.narrow(1, free, mask.shape[1] - free).contiguous();
        }

        Keep(ref _mask, mask);
    }

    /// <summary>Ends every row and frees the cache.</summary>
    public void Clear()
    {
        _rows.Clear();
        _cache?.Dispose();
        _mask?.Dispose();
        (_cache, _mask) = (null, null);
    }

    public void Dispose() => Clear();

    private static void Deliver(Tensor logits, IReadOnlyList<DecodeRow> rows, TokenChosen chosen)
    {
        var ids = TokenChooser.Choose(logits, rows);
        for (int b = 0; b < rows.Count; b++)
        {
            rows[b].Pending = ids[b];
            chosen(rows[b], ids[b], logits, b);
        }
    }

    /// <summary>
    /// Sequences of different lengths as one left-padded batch: ids (B, T), the key mask (1 real, 0 padding), and each
    /// token's position in its own sequence (null when no sequence is padded: positions then run 0..T-1 for all).
    /// </summary>
    internal static (Tensor Ids, Tensor Mask, Tensor? Positions) LeftPadded(IReadOnlyList<IReadOnlyList<int>> sequences, int padId)
    {
        int width = sequences.Max(p => p.Count);
        var ids = new long[sequences.Count, width];
        var real = new long[sequences.Count, width];
        for (int p = 0; p < sequences.Count; p++)
        {
            int offset = width - sequences[p].Count;
            for (int c = 0; c < width; c++)
            {
                ids[p, c] = c < offset ? padId : sequences[p][c - offset];
                real[p, c] = c < offset ? 0 : 1;
            }
        }

        var mask = tensor(real);
        bool padded = sequences.Any(p => p.Count != width);
        return (tensor(ids), mask, padded ? (mask.cumsum(1, ScalarType.Int64) - HeldScalars.One).clamp_min(HeldScalars.Zero) : null);
    }

    /// <summary>Coupled positions of left-padded sequences, (B, width): each right-aligned, padding at position 0.</summary>
    internal static Tensor Placed(IReadOnlyList<long[]> sequences, long width)
    {
        var grid = new long[sequences.Count, width];
        for (int p = 0; p < sequences.Count; p++)
        {
            long offset = width - sequences[p].Length;
            for (int c = 0; c < sequences[p].Length; c++)
            {
                grid[p, offset + c] = sequences[p][c];
            }
        }

        return tensor(grid);
    }

    private Tensor Vocab(Tensor logits) => Vocab(logits, vocabSize);

    /// <summary>Logits (..., V) cut to the tokenizer's <paramref name="vocabSize"/> when the model's vocabulary is padded past it.</summary>
    internal static Tensor Vocab(Tensor logits, int? vocabSize) => vocabSize is { } v && v < logits.shape[^1] ? logits.narrow(-1, 0, v) : logits;

    /// <summary>A (rows, c) mask padded on the left with zeros to <paramref name="columns"/>.</summary>
    private static Tensor Padded(Tensor mask, long columns) =>
        mask.shape[1] == columns ? mask : cat([zeros(mask.shape[0], columns - mask.shape[1], dtype: ScalarType.Int64), mask], 1);

    /// <summary>Keeps a tensor across steps (out of the step's dispose scope) and frees the one it replaces.</summary>
    private static void Keep(ref Tensor? slot, Tensor? value)
    {
        value?.DetachFromDisposeScope();
        var old = slot;
        slot = value;
        if (!ReferenceEquals(old, value))
        {
            old?.Dispose();
        }
    }
}
