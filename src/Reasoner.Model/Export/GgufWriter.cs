// GGUF v3, the file llama.cpp, Ollama and LM Studio read (ggml's gguf.cpp is the reference): magic and version,
// typed key/value metadata, tensor infos with dimensions in ggml order (innermost first) and offsets aligned to
// general.alignment (32), then the aligned tensor data. F32, F16, BF16 and Q8_0 (blocks of 32 int8 with an fp16
// scale) are written here; the file goes to a temp path and is renamed into place.
using System.Buffers.Binary;
using System.Text;

namespace Reasoner.Model.Export;

public enum GgmlType
{
    F32 = 0,
    F16 = 1,
    Q8_0 = 8,
    BF16 = 30,
}

public sealed class GgufWriter
{
    public const int Alignment = 32;
    private const int BlockSize = 32; // Q8_0 values per block

    private readonly List<(string Key, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, long[] Shape, GgmlType Type, Func<float[]> Data)> _tensors = [];

    public void Add(string key, string value) => _metadata.Add((key, w => { w.Write(8u); WriteString(w, value); }));

    public void Add(string key, uint value) => _metadata.Add((key, w => { w.Write(4u); w.Write(value); }));

    public void Add(string key, int value) => _metadata.Add((key, w => { w.Write(5u); w.Write(value); }));

    public void Add(string key, float value) => _metadata.Add((key, w => { w.Write(6u); w.Write(value); }));

    public void Add(string key, bool value) => _metadata.Add((key, w => { w.Write(7u); w.Write(value); }));

    public void Add(string key, IReadOnlyList<string> values) => _metadata.Add((key, w =>
    {
        w.Write(9u);
        w.Write(8u);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            WriteString(w, value);
        }
    }));

    public void Add(string key, IReadOnlyList<int> values) => _metadata.Add((key, w =>
    {
        w.Write(9u);
        w.Write(5u);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }));

    public void Add(string key, IReadOnlyList<float> values) => _metadata.Add((key, w =>
    {
        w.Write(9u);
        w.Write(6u);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }));

    /// <param name="shape">As PyTorch writes it, outermost first; written reversed (ggml order).</param>
    /// <param name="data">Produces the values when the file is written, so one tensor at a time is held as fp32.</param>
    public void AddTensor(string name, long[] shape, GgmlType type, Func<float[]> data)
    {
        if (type == GgmlType.Q8_0 && shape[^1] % BlockSize != 0)
        {
            throw new ArgumentException($"tensor '{name}': Q8_0 needs rows that are a multiple of {BlockSize} values, not {shape[^1]}");
        }

        _tensors.Add((name, shape, type, data));
    }

    public void Save(string path)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write("GGUF"u8);
            w.Write(3u);
            w.Write((ulong)_tensors.Count);
            w.Write((ulong)_metadata.Count + 1);
            WriteString(w, "general.alignment");
            w.Write(4u);
            w.Write((uint)Alignment);
            foreach (var (key, write) in _metadata)
            {
                WriteString(w, key);
                write(w);
            }

            ulong offset = 0;
            foreach (var (name, shape, type, data) in _tensors)
            {
                WriteString(w, name);
                w.Write((uint)shape.Length);
                foreach (var dim in shape.Reverse())
                {
                    w.Write((ulong)dim);
                }

                w.Write((uint)type);
                w.Write(offset);
                offset += Align((ulong)ByteSize(type, shape.Aggregate(1L, (a, b) => a * b)));
            }

            Pad(w);
            foreach (var (_, _, type, data) in _tensors)
            {
                WriteData(w, type, data());
                Pad(w);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private static ulong Align(ulong size) => (size + Alignment - 1) / Alignment * Alignment;

    private static long ByteSize(GgmlType type, long count) => type switch
    {
        GgmlType.F32 => count * 4L,
        GgmlType.F16 or GgmlType.BF16 => count * 2L,
        _ => count / BlockSize * 34L,
    };

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        long over = w.BaseStream.Position % Alignment;
        if (over != 0)
        {
            w.Write(new byte[Alignment - over]);
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteData(BinaryWriter w, GgmlType type, float[] data)
    {
        Span<byte> two = stackalloc byte[2];
        switch (type)
        {
            case GgmlType.F32:
                foreach (var value in data)
                {
                    w.Write(value);
                }

                break;
            case GgmlType.F16:
                foreach (var value in data)
                {
                    w.Write((Half)value);
                }

                break;
            case GgmlType.BF16:
                foreach (var value in data)
                {
                    w.Write(ToBf16(value));
                }

                break;
            case GgmlType.Q8_0:
                var quants = new sbyte[BlockSize];
                for (int start = 0; start < data.Length; start += BlockSize)
                {
                    float max = 0;
                    for (int i = 0; i < BlockSize; i++)
                    {
                        max = System.Math.Max(max, System.Math.Abs(data[start + i]));
                    }

                    float scale = max / 127f;
                    float inverse = scale == 0 ? 0 : 1f / scale;
                    for (int i = 0; i < BlockSize; i++)
                    {
                        quants[i] = (sbyte)System.Math.Round(data[start + i] * inverse, MidpointRounding.AwayFromZero);
                    }

                    BinaryPrimitives.WriteHalfLittleEndian(two, (Half)scale);
                    w.Write(two);
                    foreach (var q in quants)
                    {
                        w.Write(q);
                    }
                }

                break;
        }
    }

    /// <summary>Round to nearest even, as PyTorch's conversion does (NaN stays NaN).</summary>
    internal static ushort ToBf16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
