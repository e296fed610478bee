// The JSON card written beside every dataset: full config, seed, counts and a checksum of the data.
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Data;

public sealed record DatasetCard
{
    [JsonPropertyName("format")]
    public string Format { get; init; } = "reasoner-dataset/1";

    [JsonPropertyName("config")]
    public required GenerateConfig Config { get; init; }

    /// <summary>The family of every row ("arithmetic", "equations", ...); cards written before families existed have none.</summary>
    [JsonPropertyName("family")]
    public string Family { get; init; } = PresetCatalog.Family;

    /// <summary>The arithmetic presets drawn from (empty for other families, whose presets are in <see cref="FamilyPresets"/>).</summary>
    [JsonPropertyName("presets")]
    public required IReadOnlyList<DifficultySpec> Presets { get; init; }

    [JsonPropertyName("family_presets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<object>? FamilyPresets { get; init; }

    [JsonPropertyName("count")]
    public long Count { get; init; }

    [JsonPropertyName("by_difficulty")]
    public IReadOnlyDictionary<string, long> ByDifficulty { get; init; } = new Dictionary<string, long>();

    [JsonPropertyName("verified")]
    public long Verified { get; init; }

    [JsonPropertyName("attempts")]
    public long Attempts { get; init; }

    [JsonPropertyName("rejected_invalid")]
    public long RejectedInvalid { get; init; }

    [JsonPropertyName("rejected_other_split")]
    public long RejectedOtherSplit { get; init; }

    [JsonPropertyName("rejected_duplicates")]
    public long RejectedDuplicates { get; init; }

    [JsonPropertyName("sha256")]
    public string Sha256 { get; init; } = string.Empty;

    /// <summary>Indented, and readable: + and quotes as they are, not \u002B.</summary>
    public static readonly JsonSerializerOptions Json = JsonText.Indented;

    /// <summary>data.jsonl → data.card.json</summary>
    public static string PathFor(string datasetPath) => Path.ChangeExtension(datasetPath, null) + ".card.json";

    /// <summary>A card written by `reasoner generate`, or null for a missing file or another kind of card.</summary>
    public static DatasetCard? TryLoad(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return System.Text.Json.Nodes.JsonNode.Parse(text)?["format"]?.GetValue<string>() == "reasoner-dataset/1" ? JsonSerializer.Deserialize<DatasetCard>(text) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Save(string datasetPath) => AtomicFile.WriteAllText(PathFor(datasetPath), JsonSerializer.Serialize(this, Json) + "\n");
}
