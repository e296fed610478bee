using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Tests;

/// <summary>The real app (middleware, endpoints, engines) on ASP.NET's in-memory server, with an HttpClient to it.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ServedModel> _models;

    private InProcessServer(WebApplication app, List<ServedModel> models, ServerState state)
    {
        (_app, _models, State) = (app, models, state);
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public ServerState State { get; }

    public static async Task<InProcessServer> Start(ServeOptions? options = null, params string[] models)
    {
        options ??= new ServeOptions();
        models = models.Length > 0 ? models : [$"taught={TestModels.TaughtPath}", $"noise={TestModels.NoisePath}"];
        options = options with { Models = models };
        var served = ModelLoader.Load(models, null, new EngineLimits { MaxBatch = options.MaxBatch, MaxQueue = options.MaxQueue });
        var state = new ServerState(options.Validate(), served);
        var app = ReasonerServer.Build(state, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return new InProcessServer(app, served, state);
    }

    /// <summary>`serve --rewards`: the verifier alone, no model.</summary>
    public static async Task<InProcessServer> StartRewardsOnly(ServeOptions? options = null)
    {
        var settings = (options ?? new ServeOptions()) with { RewardsOnly = true, Models = [] };
        var state = new ServerState(settings.Validate(), []);
        var app = ReasonerServer.Build(state, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return new InProcessServer(app, [], state);
    }

    public async Task<(int Status, JsonObject Body)> Post(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public async Task<(int Status, JsonObject Body)> PostRaw(string path, string body)
    {
        using var response = await Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>A streamed answer as its parsed "data:" events (the [DONE] marker as null).</summary>
    public async Task<List<JsonObject?>> Stream(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            var data = e["data: ".Length..];
            return data == "[DONE]" ? null : JsonNode.Parse(data)!.AsObject();
        }).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _models.ForEach(m => m.Dispose());
    }
}
