// The KV cache for incremental decoding: per layer, keys and values of every position so far in one buffer that
// doubles when full, so a decode step writes only its own positions. For continuous batching (the server), a cache
// can absorb another's rows (right-aligned, the shorter padded on the left), drop rows, and trim padding columns.
using static TorchSharp.torch;

namespace Reasoner.Model.Network;

/// <summary>
/// Keys and values of earlier positions, per layer, for incremental decoding. Each layer's keys live in one buffer
/// (B, KV, capacity, D) that doubles when full, so a step writes only its own positions instead of copying the cache.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of positions already cached (advanced once the last layer has written the step's keys).</summary>
    public long Length { get; private set; }

    /// <summary>Keeps only the given batch rows (finished sequences drop out of the batch).</summary>
    public void Select(Tensor rows)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            Replace(ref _keys[i], _keys[i]?.index_select(0, rows));
            Replace(ref _values[i], _values[i]?.index_select(0, rows));
        }
    }

    /// <summary>
    /// Takes the rows of <paramref name="other"/> after this cache's rows (continuous batching: a request joins a running
    /// batch). Both are right-aligned: the shorter one gets zero keys on the left, which the caller's attention mask
    /// marks as padding. <paramref name="other"/> is left unchanged.
    /// </summary>
    public void Absorb(KvCache other)
    {
        if (other._keys.Length != _keys.Length)
        {
            throw new ArgumentException($"caches of {other._keys.Length} and {_keys.Length} layers cannot be joined");
        }

        long length = System.Math.Max(Length, other.Length);
        for (int i = 0; i < _keys.Length; i++)
        {
            Replace(ref _keys[i], Joined(_keys[i], Length, other._keys[i], other.Length, length));
            Replace(ref _values[i], Joined(_values[i], Length, other._values[i], other.Length, length));
        }

        Length = length;
    }

    /// <summary>Drops the first <paramref name="columns"/> positions (padding no row needs any more).</summary>
    public void TrimLeft(long columns)
    {
        if (columns <= 0)
        {
            return;
        }

        using var scope = NewDisposeScope(); // the narrowed views
        for (int i = 0; i < _keys.Length; i++)
        {
            Replace(ref _keys[i], Copy(_keys[i]!.narrow(2, columns, Length - columns), Length - columns));
            Replace(ref _values[i], Copy(_values[i]!.narrow(2, columns, Length - columns), Length - columns));
        }

        Length -= columns;
    }

    private static Tensor Joined(Tensor? mine, long myLength, Tensor? theirs, long theirLength, long length)
    {
        if (mine is null || theirs is null)
        {
            throw new InvalidOperationException("an empty cache cannot be joined: run the prompt through the model first");
        }

        using var scope = NewDisposeScope();
        var left = nn.functional.pad(mine.narrow(2, 0, myLength), [0, 0, length - myLength, 0]);
        var right = nn.functional.pad(theirs.narrow(2, 0, theirLength), [0, 0, length - theirLength, 0]);
        return Copy(cat([left, right], 0), length).MoveToOuterDisposeScope();
    }

    /// <summary>A buffer with room to grow holding <paramref name="content"/> (B, KV, length, D) at its start.</summary>
    private static Tensor Copy(Tensor content, long length)
    {
        var buffer = zeros([content.shape[0], content.shape[1], System.Math.Max(2 * length, 64), content.shape[3]], content.dtype, content.device);
        buffer.narrow(2, 0, length).copy_(content);
        return buffer;
    }

    /// <summary>Writes the step's keys and values (B, KV, T, D) after the cached ones; returns views of all of them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long end = Length + k.shape[2];
        var keys = Write(ref _keys[layer], k, end);
        var values = Write(ref _values[layer], v, end);
        if (layer == _keys.Length - 1)
        {
            Length = end;
        }

        return (keys, values);
    }

    private Tensor Write(ref Tensor? buffer, Tensor step, long end)
    {
        if (buffer is null || buffer.shape[2] < end)
        {
            var grown = zeros([step.shape[0], step.shape[1], System.Math.Max(2 * end, 64), step.shape[3]], step.dtype, step.device);
            if (buffer is not null && Length > 0)
            {
                grown.narrow(2, 0, Length).copy_(buffer.narrow(2, 0, Length));
            }

            Replace(ref buffer, grown);
        }

        buffer!.narrow(2, Length, end - Length).copy_(step.detach());
        return buffer.narrow(2, 0, end);
    }

    private static void Replace(ref Tensor? slot, Tensor? value)
    {
        var old = slot;
        slot = value?.DetachFromDisposeScope(); // the cache outlives every per-step scope; Dispose() frees it
        if (!ReferenceEquals(old, slot))
        {
            old?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t?.Dispose();
        }
    }
}
