// JSON as the server writes it: characters like <, > and + stay readable instead of \u003C escapes (the responses are
// application/json or event streams, never HTML, so the HTML-safe escaping buys nothing).
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reasoner.Serving.Api;

public static class ServingJson
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
