// The JSON of one answer: the envelope (id, object, created, model), choices with message or text, finish_reason,
// logprobs in the chat or the completions shape, the "reasoner" verdict when a gold answer came with the request,
// and usage. Chunks of a stream carry the same fields as deltas.
using System.Text;
using System.Text.Json.Nodes;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Api;

internal sealed class Reply(CompletionRequest request, bool chat)
{
    private readonly string _id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public CompletionRequest Request { get; } = request;

    public bool Chat { get; } = chat;

    public string EchoText => Request.Echo ? Request.PromptText : string.Empty;

    public JsonObject Envelope(string kind) => new()
    {
        ["id"] = _id, ["object"] = kind, ["created"] = _created, ["model"] = Request.Model.Name, ["system_fingerprint"] = "reasoner",
    };

    public JsonObject Choice(int index, string text, string reason, IReadOnlyList<TokenLogprob> logprobs)
    {
        var choice = new JsonObject { ["index"] = index };
        if (Chat)
        {
            choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null };
        }
        else
        {
            choice["text"] = EchoText + text;
        }

        choice["logprobs"] = Request.Sampling.TopLogprobs is null ? null : Chat ? ChatLogprobs(logprobs) : CompletionLogprobs(logprobs, EchoText.Length);
        choice["finish_reason"] = reason;
        if (Request.Answer is { } answer)
        {
            choice["reasoner"] = Verdicts.For(text, answer);
        }

        return choice;
    }

    /// <summary>One streamed chunk for one choice: a text delta (chat: delta.content), its logprobs, or the finish.</summary>
    public JsonObject Chunk(int index, string text, TokenLogprob? logprob, string? finish, bool role = false)
    {
        var chunk = Envelope(Chat ? "chat.completion.chunk" : "text_completion");
        var choice = new JsonObject { ["index"] = index };
        if (Chat)
        {
            var delta = new JsonObject();
            if (role)
            {
                delta["role"] = "assistant";
            }

            if (finish is null)
            {
                delta["content"] = text;
            }

            choice["delta"] = delta;
        }
        else
        {
            choice["text"] = text;
        }

        choice["logprobs"] = logprob is null ? null : Chat ? ChatLogprobs([logprob]) : CompletionLogprobs([logprob], 0);
        choice["finish_reason"] = finish;
        chunk["choices"] = new JsonArray(choice);
        if (Request.IncludeUsage)
        {
            chunk["usage"] = null;
        }

        return chunk;
    }

    public JsonObject Usage(int completionTokens) => new()
    {
        ["prompt_tokens"] = Request.Prompt.Count, ["completion_tokens"] = completionTokens, ["total_tokens"] = Request.Prompt.Count + completionTokens,
    };

    private static JsonObject ChatLogprobs(IEnumerable<TokenLogprob> tokens) => new()
    {
        ["content"] = new JsonArray(tokens.Select(t => (JsonNode)new JsonObject
        {
            ["token"] = t.Token, ["logprob"] = t.Logprob, ["bytes"] = Bytes(t.Token),
            ["top_logprobs"] = new JsonArray(t.Top.Select(a => (JsonNode)new JsonObject { ["token"] = a.Token, ["logprob"] = a.Logprob, ["bytes"] = Bytes(a.Token) }).ToArray()),
        }).ToArray()),
        ["refusal"] = null,
    };

    private static JsonObject CompletionLogprobs(IReadOnlyList<TokenLogprob> tokens, int offset)
    {
        var offsets = new JsonArray();
        foreach (var t in tokens)
        {
            offsets.Add(offset);
            offset += t.Token.Length;
        }

        return new JsonObject
        {
            ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode)t.Token).ToArray()),
            ["token_logprobs"] = new JsonArray(tokens.Select(t => (JsonNode)t.Logprob).ToArray()),
            ["top_logprobs"] = new JsonArray(tokens.Select(t =>
            {
                var top = new JsonObject();
                foreach (var a in t.Top)
                {
                    top[a.Token] ??= a.Logprob; // two ids that decode to the same text keep the likelier (listed first)
                }

                return (JsonNode)top;
            }).ToArray()),
            ["text_offset"] = offsets,
        };
    }

    private static JsonArray Bytes(string token) => new(Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)(int)b).ToArray());
}
