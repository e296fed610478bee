// Reads a GGUF file's metadata and tensor directory (not the tensor data): to check what GgufWriter wrote, and to
// read llama.cpp's vocabulary-only files (models/ggml-vocab-*.gguf) as tokenizer references.
using System.Text;

namespace Reasoner.Model.Export;

public sealed record GgufTensorInfo(string Name, long[] Shape, GgmlType Type, ulong Offset);

public sealed class GgufReader
{
    private GgufReader(IReadOnlyDictionary<string, object> metadata, IReadOnlyList<GgufTensorInfo> tensors, uint version)
    {
        (Metadata, Tensors, Version) = (metadata, tensors, version);
    }

    /// <summary>Scalars as their .NET type, strings as string, arrays as object[].</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    public uint Version { get; }

    public T Get<T>(string key) => Metadata.TryGetValue(key, out var value) ? (T)value : throw new KeyNotFoundException($"GGUF key '{key}' is missing");

    public static GgufReader Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (Encoding.ASCII.GetString(r.ReadBytes(4)) != "GGUF")
        {
            throw new InvalidDataException($"{path}: not a GGUF file (no GGUF magic)");
        }

        uint version = r.ReadUInt32();
        if (version is < 2 or > 3)
        {
            throw new InvalidDataException($"{path}: GGUF version {version} is not supported (2 or 3)");
        }

        ulong tensors = r.ReadUInt64(), keys = r.ReadUInt64();
        var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
        for (ulong i = 0; i < keys; i++)
        {
            var key = ReadString(r);
            metadata[key] = ReadValue(r, r.ReadUInt32());
        }

        var infos = new List<GgufTensorInfo>();
        for (ulong i = 0; i < tensors; i++)
        {
            var name = ReadString(r);
            var dims = new long[r.ReadUInt32()];
            for (int d = 0; d < dims.Length; d++)
            {
                dims[d] = (long)r.ReadUInt64();
            }

            infos.Add(new GgufTensorInfo(name, [.. dims.Reverse()], (GgmlType)r.ReadUInt32(), r.ReadUInt64()));
        }

        return new GgufReader(metadata, infos, version);
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes((int)r.ReadUInt64()));

    private static object ReadValue(BinaryReader r, uint type) => type switch
    {
        0 => r.ReadByte(),
        1 => r.ReadSByte(),
        2 => r.ReadUInt16(),
        3 => r.ReadInt16(),
        4 => r.ReadUInt32(),
        5 => r.ReadInt32(),
        6 => r.ReadSingle(),
        7 => r.ReadBoolean(),
        8 => ReadString(r),
        9 => ReadArray(r),
        10 => r.ReadUInt64(),
        11 => r.ReadInt64(),
        12 => r.ReadDouble(),
        _ => throw new InvalidDataException($"unknown GGUF value type {type}"),
    };

    private static object[] ReadArray(BinaryReader r)
    {
        uint type = r.ReadUInt32();
        var values = new object[r.ReadUInt64()];
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = ReadValue(r, type);
        }

        return values;
    }
}
