// JSON as people and tools read it: characters written as they are ('<think>', '+', 'é'), not \u003C escapes, which
// HTML-safe defaults produce and grep cannot find. Also a JsonException described by its line and column alone.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reasoner.Math.Data;

public static class JsonText
{
    /// <summary>One line per value (JSONL rows, --json output).</summary>
    public static JsonSerializerOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented, for files people open (cards, configs, eval.json).</summary>
    public static JsonSerializerOptions Indented { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>The writer settings for Utf8JsonWriter.</summary>
    public static JsonWriterOptions Writer { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// "line 3, column 7: ..." (or "column 7: ..." for one line of a JSONL file, whose line the caller names) without the
    /// parser's internals, whose LineNumber and BytePositionInLine count from 0.
    /// </summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
        var where = (e.LineNumber, e.BytePositionInLine) switch
        {
            ( > 0 and var line, { } column) => $"line {line + 1}, column {column + 1}: ",
            (_, { } column) => $"column {column + 1}: ",
            _ => string.Empty,
        };
        return where + reason;
    }
}
