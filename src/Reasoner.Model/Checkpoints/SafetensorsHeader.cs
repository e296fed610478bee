// Reads and checks a safetensors header before any tensor is loaded, so a truncated or mismatched file
// is refused with the file, the tensor and the problem named (format: 8-byte little-endian header length,
// JSON header {name: {dtype, shape, data_offsets}}, then the raw bytes).
using System.Buffers.Binary;
using System.Text.Json;

namespace Reasoner.Model.Checkpoints;

public sealed record TensorEntry(string Name, string Dtype, long[] Shape, long Begin, long End);

public static class SafetensorsHeader
{
    private static readonly Dictionary<string, int> DtypeSizes = new(StringComparer.Ordinal)
    {
        ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["F64"] = 8, ["U8"] = 1, ["I8"] = 1, ["BOOL"] = 1,
    };

    public static IReadOnlyDictionary<string, TensorEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointException(path, "file is missing");
        }

        using var stream = File.OpenRead(path);
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new CheckpointException(path, $"truncated: {fileLength} bytes, too short for a safetensors header");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > 100_000_000)
        {
            throw new CheckpointException(path, $"truncated or corrupt: header claims {headerLength} bytes but the file has {fileLength - 8} after the length");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        var entries = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var dtype = property.Value.GetProperty("dtype").GetString()!;
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (!DtypeSizes.TryGetValue(dtype, out var size))
                {
                    throw new CheckpointException(path, $"tensor '{property.Name}' has unsupported dtype {dtype}");
                }

                long expected = shape.Aggregate(1L, (a, b) => a * b) * size;
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expected)
                {
                    throw new CheckpointException(path, $"tensor '{property.Name}' claims {offsets.ElementAtOrDefault(1) - offsets.ElementAtOrDefault(0)} bytes but {dtype}[{string.Join(", ", shape)}] needs {expected}");
                }

                if (offsets[1] > dataLength)
                {
                    throw new CheckpointException(path, $"truncated: tensor '{property.Name}' ends at byte {offsets[1]} of the data but the file holds only {dataLength}");
                }

                entries[property.Name] = new TensorEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"corrupt header ({e.Message})");
        }

        return entries;
    }
}

public sealed class CheckpointException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
}
