// Reads a request body as one JSON object, never more than the server's cap: a larger body is 413 before or while it
// is read, and anything that is not a JSON object is 400 with the parser's message.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Reasoner.Serving.Api;

public static class RequestBody
{
    public static async Task<JsonObject> ReadObject(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw ApiException.BadRequest("the body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body is not valid JSON: {Reasoner.Math.Data.JsonText.Describe(e)}");
        }
    }

    private static ApiException TooLarge(long maxBytes) => new(413, $"the request body is larger than {maxBytes} bytes (--max-body-bytes)", code: "request_too_large");
}
