// A model the server answers for: its name in the API, the network, its tokenizer and chat format, and its engine.
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving;

public sealed class ServedModel(string name, string path, CausalLM model, ITokenizer tokenizer, EngineLimits limits) : IDisposable
{
    public string Name { get; } = name;

    public string Path { get; } = path;

    public CausalLM Model { get; } = model;

    public ITokenizer Tokenizer { get; } = tokenizer;

    public BatchEngine Engine { get; } = new(name, model, tokenizer, limits);

    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public void Dispose()
    {
        Engine.Dispose();
        Model.Dispose();
    }
}
