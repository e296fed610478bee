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

    /// <summary>"column 7: ..." without the parser's internals (its LineNumber counts from 0 within the text it was given).</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
        return e.BytePositionInLine is { } column ? $"column {column + 1}: {reason}" : reason;
    }
}
