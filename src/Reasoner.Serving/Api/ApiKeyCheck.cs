// Bearer-key authentication for the API (/v1/*, /reasoner/*), when the server has a key: the key is compared in
// constant time (as SHA-256 digests, so the length leaks nothing either) and is never logged. /health and the
// playground's static files need no key; the page asks for it.
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Reasoner.Serving.Api;

public sealed class ApiKeyCheck(string? key)
{
    private readonly byte[]? _digest = key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Protects(PathString path) => path.StartsWithSegments("/v1") || path.StartsWithSegments("/reasoner");

    public bool Allows(HttpContext context)
    {
        if (_digest is null || !Protects(context.Request.Path))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _digest);
    }
}
