// Errors in OpenAI's JSON shape, {"error": {"message", "type", "param", "code"}}, with the HTTP status that goes with
// them. Handlers throw ApiException; one place turns it (or anything unexpected, without its stack) into a response.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Reasoner.Serving.Api;

public sealed class ApiException(int status, string message, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);
}

public static class ApiError
{
    public static JsonObject Body(int status, string message, string? param = null, string? code = null) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = status switch
            {
                401 => "authentication_error",
                429 => "rate_limit_error",
                >= 500 => "server_error",
                _ => "invalid_request_error",
            },
            ["param"] = param,
            ["code"] = code,
        },
    };

    public static async Task Write(HttpContext context, int status, string message, string? param = null, string? code = null, int? retryAfterSeconds = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Body(status, message, param, code).ToJsonString(ServingJson.Options), context.RequestAborted).ConfigureAwait(false);
    }
}
