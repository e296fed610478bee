// What every handler shares: the settings and the served models by name.
namespace Reasoner.Serving;

public sealed class ServerState(ServeOptions options, IReadOnlyList<ServedModel> models)
{
    public ServeOptions Options { get; } = options;

    public IReadOnlyDictionary<string, ServedModel> Models { get; } = models.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public IReadOnlyList<ServedModel> Ordered { get; } = models;

    /// <summary>Set once shutdown has begun: new requests get 503.</summary>
    public bool Stopping { get; set; }
}
