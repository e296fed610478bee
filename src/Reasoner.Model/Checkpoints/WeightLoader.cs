// Loads Hugging Face weights into a model tensor by tensor: model.safetensors, or the shards that
// model.safetensors.index.json names. Every name and shape is checked against the model before a byte is copied;
// then each tensor is read from disk in chunks straight into its parameter, converting F32, BF16 or F16 on the way,
// so an N-parameter model loads at about its own size plus one chunk, never the file twice.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Reasoner.Model.Network;
using static TorchSharp.torch;

namespace Reasoner.Model.Checkpoints;

public static class WeightLoader
{
    public const string IndexFile = "model.safetensors.index.json";
    private const int ChunkElements = 4 << 20; // 16 MB of fp32 at a time

    /// <summary>Where each tensor of a weights folder is: file and header entry; a missing or truncated shard is refused.</summary>
    public static IReadOnlyDictionary<string, (string File, TensorEntry Entry)> Index(string directory)
    {
        var single = Path.Combine(directory, Checkpoint.WeightsFile);
        var index = Path.Combine(directory, IndexFile);
        var files = new List<string>();
        if (File.Exists(single))
        {
            files.Add(single);
        }
        else if (File.Exists(index))
        {
            files.AddRange(ShardsOf(index, directory));
        }
        else
        {
            throw new CheckpointException(directory, $"no weights: expected {Checkpoint.WeightsFile} or {IndexFile} with its shards");
        }

        var located = new Dictionary<string, (string, TensorEntry)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (name, entry) in SafetensorsHeader.Read(file))
            {
                if (!located.TryAdd(name, (file, entry)))
                {
                    throw new CheckpointException(file, $"tensor '{name}' is also in {Path.GetFileName(located[name].Item1)}");
                }
            }
        }

        return located;
    }

    /// <summary>Checks every name and shape, then copies every tensor into <paramref name="model"/>.</summary>
    public static void Load(CausalLM model, string directory)
    {
        var located = Index(directory);
        var expected = model.state_dict();
        foreach (var (name, tensor) in expected)
        {
            if (!located.TryGetValue(name, out var at))
            {
                throw new CheckpointException(directory, $"missing tensor '{name}' that config.json implies");
            }

            if (!at.Entry.Shape.SequenceEqual(tensor.shape))
            {
                throw new CheckpointException(at.File, $"tensor '{name}' has shape [{string.Join(", ", at.Entry.Shape)}] but config.json implies [{string.Join(", ", tensor.shape)}]");
            }

            if (at.Entry.Dtype is not ("F32" or "BF16" or "F16"))
            {
                throw new CheckpointException(at.File, $"tensor '{name}' is {at.Entry.Dtype}; weights must be F32, BF16 or F16");
            }
        }

        if (located.Keys.Except(expected.Keys).FirstOrDefault() is { } unexpected)
        {
            throw new CheckpointException(located[unexpected].File, $"unexpected tensor '{unexpected}' (does config.json match this file? tie_word_embeddings, attention_bias, model_type)");
        }

        using var noGrad = no_grad();
        foreach (var group in expected.GroupBy(kv => located[kv.Key].File))
        {
            using var stream = new FileStream(group.Key, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            long dataStart = DataStart(stream);
            foreach (var (name, tensor) in group.OrderBy(kv => located[kv.Key].Entry.Begin))
            {
                Copy(stream, dataStart, located[name].Entry, tensor);
            }
        }
    }

    private static IEnumerable<string> ShardsOf(string index, string directory)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllText(index));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(index, $"not valid JSON ({Reasoner.Math.Data.JsonText.Describe(e)})");
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(index, "no weight_map object");
            }

            var shards = map.EnumerateObject().Select(p => p.Value.GetString() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
            var byTensor = map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
            foreach (var shard in shards)
            {
                var path = Path.Combine(directory, shard);
                if (!File.Exists(path))
                {
                    throw new CheckpointException(index, $"names shard '{shard}' (for tensor '{byTensor.First(kv => kv.Value == shard).Key}'), which is missing");
                }

                var present = SafetensorsHeader.Read(path);
                if (byTensor.FirstOrDefault(kv => kv.Value == shard && !present.ContainsKey(kv.Key)) is { Key: not null } lost)
                {
                    throw new CheckpointException(path, $"tensor '{lost.Key}' is missing, though {IndexFile} puts it here");
                }

                yield return path;
            }
        }
    }

    private static long DataStart(FileStream stream)
    {
        Span<byte> length = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(length);
        return 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(length);
    }

    /// <summary>Reads the tensor's bytes in chunks, widens them to fp32 and copies each chunk into its slice of the target.</summary>
    private static void Copy(FileStream stream, long dataStart, TensorEntry entry, Tensor target)
    {
        int size = entry.Dtype == "F32" ? 4 : 2;
        long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        using var flat = target.view(-1);
        var bytes = new byte[(int)System.Math.Min(count, ChunkElements) * size];
        var floats = new float[(int)System.Math.Min(count, ChunkElements)];
        stream.Position = dataStart + entry.Begin;
        for (long done = 0; done < count;)
        {
            int n = (int)System.Math.Min(ChunkElements, count - done);
            stream.ReadExactly(bytes, 0, n * size);
            Widen(entry.Dtype, bytes.AsSpan(0, n * size), floats.AsSpan(0, n));
            using var chunk = tensor(n == floats.Length ? floats : floats[..n]);
            using var slice = flat.narrow(0, done, n);
            slice.copy_(chunk);
            done += n;
        }
    }

    /// <summary>F32 as is; BF16 is the top half of an fp32; F16 through System.Half. Little-endian, as safetensors is.</summary>
    internal static void Widen(string dtype, ReadOnlySpan<byte> bytes, Span<float> into)
    {
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(into);
                break;
            case "BF16":
                var bf = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (int i = 0; i < into.Length; i++)
                {
                    into[i] = BitConverter.Int32BitsToSingle(bf[i] << 16);
                }

                break;
            default:
                var half = MemoryMarshal.Cast<byte, Half>(bytes);
                for (int i = 0; i < into.Length; i++)
                {
                    into[i] = (float)half[i];
                }

                break;
        }
    }
}
