// POST /v1/chat/completions and /v1/completions: the request joins its model's batch, and the answer goes back as
// one JSON object or as server-sent events (a chunk per token, a last chunk per choice with its finish_reason, an
// optional usage chunk, then "data: [DONE]"), in the shapes OpenAI's clients and vLLM use.
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Api;

public static class CompletionEndpoints
{
    public static async Task Handle(HttpContext context, ServerState state, bool chat)
    {
        var body = await RequestBody.ReadObject(context, state.Options.MaxBodyBytes).ConfigureAwait(false);
        var request = CompletionRequest.Parse(body, chat, state.Models, state.Options);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted); // frees the rows however the handler ends
        var job = new GenerationJob(request.Prompt, request.N, request.Sampling, done.Token);
        try
        {
            request.Model.Engine.Submit(job);
        }
        catch (QueueFullException e)
        {
            throw new ApiException(429, $"the server is busy: {e.Message}; retry shortly", code: "queue_full");
        }
        catch (EngineStoppingException e)
        {
            throw new ApiException(503, e.Message, code: "shutting_down");
        }

        var reply = new Reply(request, chat);
        try
        {
            if (request.Stream)
            {
                await Stream(context, job, reply).ConfigureAwait(false);
            }
            else
            {
                await Whole(context, job, reply).ConfigureAwait(false);
            }
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task Whole(HttpContext context, GenerationJob job, Reply reply)
    {
        var choices = new JsonObject?[job.N];
        var logprobs = Enumerable.Range(0, job.N).Select(_ => new List<TokenLogprob>()).ToArray();
        int completionTokens = 0;
        await foreach (var e in job.Events.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
        {
            switch (e)
            {
                case ChoiceDelta { Logprob: { } lp } d:
                    logprobs[d.Index].Add(lp);
                    break;
                case ChoiceFinished f:
                    completionTokens += f.CompletionTokens;
                    choices[f.Index] = reply.Choice(f.Index, f.Text, f.Reason, logprobs[f.Index]);
                    break;
                case ChoiceFailed failed:
                    throw new ApiException(failed.Status, failed.Message);
            }
        }

        var response = reply.Envelope(reply.Chat ? "chat.completion" : "text_completion");
        response["choices"] = new JsonArray(choices.Select(c => (JsonNode?)c).ToArray());
        response["usage"] = reply.Usage(completionTokens);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(ServingJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Stream(HttpContext context, GenerationJob job, Reply reply)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var texts = Enumerable.Range(0, job.N).Select(_ => new StringBuilder()).ToArray();
        int completionTokens = 0;
        var writer = new EventWriter(context);
        for (int i = 0; i < job.N && (reply.Chat || reply.EchoText.Length > 0); i++)
        {
            await writer.Send(reply.Chunk(i, reply.Chat ? string.Empty : reply.EchoText, null, null, role: reply.Chat)).ConfigureAwait(false);
        }

        try
        {
            await foreach (var e in job.Events.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                switch (e)
                {
                    case ChoiceDelta d when d.Text.Length > 0 || d.Logprob is not null:
                        texts[d.Index].Append(d.Text);
                        await writer.Send(reply.Chunk(d.Index, d.Text, d.Logprob, null)).ConfigureAwait(false);
                        break;
                    case ChoiceFinished f:
                        completionTokens += f.CompletionTokens;
                        var last = reply.Chunk(f.Index, string.Empty, null, f.Reason);
                        if (reply.Request.Answer is { } answer)
                        {
                            last["choices"]![0]!["reasoner"] = Verdicts.For(f.Text, answer);
                        }

                        await writer.Send(last).ConfigureAwait(false);
                        break;
                    case ChoiceFailed failed:
                        await writer.Send(ApiError.Body(failed.Status, failed.Message)).ConfigureAwait(false);
                        break;
                }
            }

            if (reply.Request.IncludeUsage)
            {
                var usage = reply.Envelope(reply.Chat ? "chat.completion.chunk" : "text_completion");
                usage["choices"] = new JsonArray();
                usage["usage"] = reply.Usage(completionTokens);
                await writer.Send(usage).ConfigureAwait(false);
            }

            await writer.Done().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the engine drops its rows at the next step.
        }
    }

    /// <summary>Writes "data: JSON\n\n" events and flushes each one.</summary>
    private sealed class EventWriter(HttpContext context)
    {
        public async Task Send(JsonObject json)
        {
            await context.Response.WriteAsync($"data: {json.ToJsonString(ServingJson.Options)}\n\n", context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        public async Task Done()
        {
            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
