// The playground: a page served from embedded files (no build step, no CDN), and the small API it uses beside the
// OpenAI endpoints: /reasoner/check marks every "a op b = c" claim of a text right or wrong with the verifier's own
// StepChecker, and judges the final answer exactly; /reasoner/problem draws a held-out problem from a preset.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reasoner.Math.Data;
using Reasoner.Math.Equations;
using Reasoner.Math.Expressions;
using Reasoner.Math.Families;
using Reasoner.Math.Numbers;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Serving.Api;

namespace Reasoner.Serving.Playground;

public static class PlaygroundEndpoints
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8", [".svg"] = "image/svg+xml",
    };

    public static void Map(WebApplication app, ServerState state)
    {
        app.MapGet("/", (HttpContext context) => Asset(context, "index.html"));
        app.MapGet("/runs", (HttpContext context) => Asset(context, "runs.html"));
        app.MapGet("/playground/{file}", (HttpContext context, string file) => Asset(context, file));
        app.MapGet("/reasoner/presets", () => Results.Text(new JsonArray(ProblemFamilies.All.Reverse().SelectMany(f => f.PresetList.Select(p => (JsonNode)p.Name)).ToArray()).ToJsonString(ServingJson.Options), "application/json"));
        app.MapGet("/reasoner/problem", (string? preset, long? seed) => Results.Text(Problem(preset ?? "add-3d", seed ?? Random.Shared.NextInt64(1, 1L << 40)).ToJsonString(ServingJson.Options), "application/json"));
        app.MapPost("/reasoner/check", async (HttpContext context) =>
        {
            var body = await RequestBody.ReadObject(context, state.Options.MaxBodyBytes).ConfigureAwait(false);
            return Results.Text(Check(body).ToJsonString(ServingJson.Options), "application/json");
        });
    }

    /// <summary>Claims with their spans and verdicts; while a text is still streaming, a claim at its very end may still grow and is left out.</summary>
    public static JsonObject Check(JsonObject body)
    {
        var text = body["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : throw ApiException.BadRequest("'text' must be a string", "text");
        bool final = body["final"] is JsonValue f && f.TryGetValue<bool>(out var b) && b;
        var gold = Gold(body);
        var report = StepChecker.Check(text);
        var claims = new JsonArray();
        foreach (var claim in report.Claims)
        {
            int equals = text.IndexOf('=', claim.Offset);
            int end = equals < 0 ? -1 : text.IndexOf(claim.Right, equals, StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            end += claim.Right.Length;
            if (!final && end >= text.Length)
            {
                continue;
            }

            claims.Add(new JsonObject { ["start"] = claim.Offset, ["end"] = end, ["text"] = claim.Text, ["correct"] = claim.Correct });
        }

        var result = new JsonObject
        {
            ["claims"] = claims, ["found"] = report.Found, ["correct"] = report.Correct, ["wrong"] = report.Wrong, ["first_wrong"] = report.FirstWrong?.Text,
        };
        if (final)
        {
            var extracted = AnswerExtractor.Extract(text, VerifierOptions.Default);
            result["answer"] = new JsonObject
            {
                ["text"] = extracted.Success ? extracted.Text : null,
                ["error"] = extracted.Success ? null : extracted.Error,
                ["expected"] = gold,
                ["correct"] = gold is null ? null : new MathRewards(VerifierOptions.Default).IsCorrect(text, gold),
            };
        }

        return result;
    }

    /// <summary>The exact answer as text: "answer" if given (a number, or a system's solution), else the value of "expression" (or the solution of a typed equation).</summary>
    private static string? Gold(JsonObject body)
    {
        if (body["answer"] is JsonValue a && a.TryGetValue<string>(out var answer))
        {
            return MathRewards.IsGold(answer, out var error)
                ? (AnswerNormalizer.TryNormalize(answer, int.MaxValue, out var number, out _) ? RationalFormatter.Format(number) : answer)
                : throw ApiException.BadRequest($"gold answer '{answer}' is not an exact number ({error}); write it as 1015, -3/4, 12.875, or x = 3, y = 2", "answer");
        }

        if (body["expression"] is JsonValue q && q.TryGetValue<string>(out var typed) && typed.Contains('=', StringComparison.Ordinal)
            && LinearEquation.TryParse(typed, out var equation) && equation!.Solutions.Kind == SolutionKind.One)
        {
            return RationalFormatter.Format(equation.Solutions.Value); // a typed equation: its one solution
        }

        return body["expression"] is JsonValue e2 && e2.TryGetValue<string>(out var expression)
            && ExpressionParser.TryParse(expression, ExpressionLimits.Default, out var expr, out _)
            && ExpressionEvaluator.TryEvaluate(expr!, ExpressionLimits.Default, out var value, out _)
            ? RationalFormatter.Format(value)
            : null;
    }

    /// <summary>A held-out problem of any family: the first test-split row its family generates from this seed.</summary>
    private static JsonObject Problem(string preset, long seed)
    {
        DatasetRecord row;
        try
        {
            var config = new GenerateConfig { Preset = preset, Count = 1, Seed = seed, Split = Split.Test };
            row = ProblemFamilies.For(preset).Generate(config.Validate(), new DrawStats()).First();
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest(e.Message, "preset");
        }

        var question = row.FamilyName == "arithmetic" ? row.Expression : row.Prompt; // arithmetic: the bare expression, as before
        return new JsonObject
        {
            ["preset"] = preset, ["family"] = row.FamilyName, ["seed"] = seed, ["question"] = question,
            [row.Equation is null ? "expression" : "equation"] = row.Equation ?? row.Expression, ["answer"] = row.Answer,
        };
    }

    private static async Task Asset(HttpContext context, string file)
    {
        var stream = Types.TryGetValue(System.IO.Path.GetExtension(file), out var type)
            ? typeof(PlaygroundEndpoints).Assembly.GetManifestResourceStream($"playground/{file}")
            : null;
        if (stream is null)
        {
            throw new ApiException(404, $"no such page: {file}");
        }

        await using (stream.ConfigureAwait(false))
        {
            context.Response.ContentType = type;
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
