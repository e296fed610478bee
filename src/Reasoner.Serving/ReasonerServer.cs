// The server: ASP.NET Core minimal APIs over the served models' engines. Middleware in order: errors become
// OpenAI-shaped JSON (never a stack trace), new API calls after shutdown began get 503, and the API key is checked.
// SIGTERM (or Ctrl+C) stops new requests; running ones finish within the grace, then end with "length".
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reasoner.Serving.Api;
using Reasoner.Serving.Playground;

namespace Reasoner.Serving;

public static class ReasonerServer
{
    /// <summary>Builds the app; <paramref name="configure"/> lets tests swap in an in-memory server.</summary>
    public static WebApplication Build(ServerState state, Action<WebApplicationBuilder>? configure = null)
    {
        var options = state.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "reasoner", Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.AddServerHeader = false;
            if (options.Host == "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.TryParse(options.Host, out var address) ? address : throw new ArgumentException($"--host {options.Host}: give an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost"), options.Port);
            }
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("reasoner.serve");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() =>
        {
            state.Stopping = true;
            foreach (var model in state.Ordered)
            {
                model.Engine.BeginDrain(options.ShutdownGrace);
            }
        });

        var keys = new ApiKeyCheck(options.ApiKey);
        app.Use(async (context, next) =>
        {
            try
            {
                if (state.Stopping && ApiKeyCheck.Protects(context.Request.Path))
                {
                    throw new ApiException(503, "the server is shutting down", code: "shutting_down");
                }

                if (!keys.Allows(context))
                {
                    throw new ApiException(401, "missing or wrong API key: send 'Authorization: Bearer KEY'", code: "invalid_api_key");
                }

                await next(context).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                await ApiError.Write(context, e.Status, e.Message, e.Param, e.Code, e.Status == 429 ? 1 : null).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away.
            }
            catch (Exception e)
            {
                log.LogError("{Method} {Path} failed: {Error}", context.Request.Method, context.Request.Path, e.ToString());
                await ApiError.Write(context, 500, "internal server error; the server log has the details").ConfigureAwait(false);
            }
        });

        app.MapGet("/health", () => Json(
            new JsonObject
            {
                ["status"] = state.Stopping ? "stopping" : "ok",
                ["models"] = new JsonArray(state.Ordered.Select(m => (JsonNode)new JsonObject
                {
                    ["id"] = m.Name, ["active_rows"] = m.Engine.ActiveRows, ["queued"] = m.Engine.Queued, ["generated_tokens"] = m.Engine.GeneratedTokens,
                    ["completed_requests"] = m.Engine.CompletedRequests,
                }).ToArray()),
            },
            state.Stopping ? 503 : 200));
        app.MapGet("/v1/models", () => Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray(state.Ordered.Select(m => (JsonNode)ModelCard(m)).ToArray()) }));
        app.MapGet("/v1/models/{id}", (string id) => state.Models.TryGetValue(id, out var m)
            ? Json(ModelCard(m))
            : throw new ApiException(404, $"the model '{id}' is not served here", "model", "model_not_found"));
        app.MapPost("/v1/chat/completions", (HttpContext context) => CompletionEndpoints.Handle(context, state, chat: true));
        app.MapPost("/v1/completions", (HttpContext context) => CompletionEndpoints.Handle(context, state, chat: false));
        RewardEndpoint.Map(app, state);
        PlaygroundEndpoints.Map(app, state);
        RunsEndpoints.Map(app, state);
        return app;
    }

    /// <summary>Serves until SIGTERM or Ctrl+C; <paramref name="started"/> gets the address once it listens.</summary>
    public static void Run(ServerState state, Action<string> started)
    {
        using var app = Build(state);
        app.Start();
        started(Addresses(app).FirstOrDefault() ?? $"http://{state.Options.Host}:{state.Options.Port}");
        app.WaitForShutdown();
    }

    /// <summary>The addresses the server listens on, once started (port 0 resolved).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static JsonObject ModelCard(ServedModel m) => new()
    {
        ["id"] = m.Name, ["object"] = "model", ["created"] = m.Created, ["owned_by"] = "reasoner",
        ["max_model_len"] = m.Engine.ContextLength,
    };

    private static IResult Json(JsonObject body, int status = 200) => Results.Text(body.ToJsonString(ServingJson.Options), "application/json", statusCode: status);
}
