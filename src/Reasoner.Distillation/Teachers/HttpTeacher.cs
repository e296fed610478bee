// A teacher behind OpenAI-compatible servers: reasoner serve, vLLM, llama.cpp's server, Ollama. Requests go round-robin
// over the URLs, at most `concurrency` at a time. A 429 or 5xx, a timeout, a refused connection or a malformed reply is
// retried (on the next URL) after Retry-After when the server sends one, else after an exponential backoff; 401, 403
// and 404 stop the run, since every request would fail the same way. A server that returns fewer choices than n
// (Ollama ignores n) is asked again for the rest, with the seeds moved on. A reply whose thinking came back split out
// (vLLM's and Ollama's reasoning parsers: reasoning_content / reasoning) is put back inside <think> tags. Requests fit
// the model's context: max_tokens is capped by the length /v1/models states (max_model_len), and a context refusal
// (context_length_exceeded) is asked again with max_tokens lowered to what the refusal says is left; a prompt that
// alone fills the context is reported as prompt_too_long.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reasoner.Distillation.Teachers;

public sealed class TeacherUnusableException(string message) : InvalidOperationException(message);

public sealed record HttpTeacherOptions
{
    public string? Model { get; init; }

    public string? ApiKey { get; init; }

    public int Concurrency { get; init; } = 8;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public int Retries { get; init; } = 5;

    /// <summary>First backoff; doubles per attempt, at most 60 s.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(0.5);
}

public sealed class HttpTeacher : ITeacher
{
    private readonly IReadOnlyList<Uri> _bases;
    private readonly HttpTeacherOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly Action<string> _log;
    private long _next;
    private long _retries;
    private long _malformed;
    private int _context; // tokens, 0 while unknown

    private HttpTeacher(IReadOnlyList<Uri> bases, HttpTeacherOptions options, HttpMessageHandler? handler, Action<string> log)
    {
        if (options.Concurrency < 1 || options.Retries < 0 || options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("teacher: concurrency must be >= 1, retries >= 0 and the timeout positive");
        }

        (_bases, _options, _log) = (bases, options, log);
        _http = handler is null ? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan } : new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _slots = new SemaphoreSlim(options.Concurrency);
        Model = options.Model ?? string.Empty;
    }

    public string Model { get; private set; }

    /// <summary>The model's context in tokens, as its server states it or a refusal revealed; null while unknown.</summary>
    public int? Context => Volatile.Read(ref _context) is > 0 and var c ? c : null;

    public string Describe => $"{string.Join(",", _bases.Select(b => b.ToString().TrimEnd('/')))} (model {Model})";

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Replies that were not a chat completion (bad JSON, no choices, no finish_reason: a cut stream).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Checks the URLs and, without a model name, asks the first server for its first model.</summary>
    public static async Task<HttpTeacher> OpenAsync(IReadOnlyList<string> urls, HttpTeacherOptions options, Action<string> log, HttpMessageHandler? handler = null, CancellationToken cancellation = default)
    {
        var teacher = new HttpTeacher([.. urls.Select(BaseOf)], options, handler, log);
        if (teacher.Model.Length == 0)
        {
            var card = await teacher.FirstModelAsync(cancellation).ConfigureAwait(false);
            teacher.Model = card["id"]!.GetValue<string>();
            teacher._context = ContextLimit.OfModelCard(card) ?? 0;
        }
        else
        {
            teacher._context = ContextLimit.OfModelCard(await teacher.CardOfAsync(teacher.Model, cancellation).ConfigureAwait(false)) ?? 0;
        }

        return teacher;
    }

    /// <summary>http://host:8000, http://host:8000/ and http://host:8000/v1 all mean the API at http://host:8000/v1/.</summary>
    public static Uri BaseOf(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--teacher: '{url}' is not an http(s) URL; give a server like http://127.0.0.1:8000 or a model folder");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1", StringComparison.Ordinal))
        {
            path += "/v1";
        }

        return new UriBuilder(uri) { Path = path + "/" }.Uri;
    }

    public async Task<TeacherReply> SampleAsync(TeacherRequest request, CancellationToken cancellation)
    {
        var samples = new List<TeacherSample>();
        await _slots.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            for (int round = 0; samples.Count < request.N && round < request.N; round++)
            {
                var (reply, failure, detail) = await PostAsync(Body(request, request.N - samples.Count, request.Seed + samples.Count), cancellation).ConfigureAwait(false);
                if (reply is null)
                {
                    return samples.Count > 0 ? new TeacherReply(samples) : TeacherReply.Failed(failure!, detail!);
                }

                samples.AddRange(reply.Take(request.N - samples.Count));
            }

            return new TeacherReply(samples);
        }
        finally
        {
            _slots.Release();
        }
    }

    private JsonObject Body(TeacherRequest request, int n, long seed)
    {
        var messages = new JsonArray();
        if (request.System is { } system)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = request.Prompt });
        return new JsonObject
        {
            ["model"] = Model, ["messages"] = messages, ["n"] = n, ["temperature"] = request.Temperature, ["top_p"] = request.TopP,
            ["max_tokens"] = Context is { } context ? System.Math.Min(request.MaxTokens, context - 1) : request.MaxTokens, ["seed"] = seed,
        };
    }

    /// <summary>One chat completion with retries: the samples, or the reason there are none.</summary>
    private async Task<(List<TeacherSample>? Samples, string? Failure, string? Detail)> PostAsync(JsonObject body, CancellationToken cancellation)
    {
        string failure = Reasons.RequestFailed, detail = string.Empty;
        for (int attempt = 0, fits = 0; attempt <= _options.Retries; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
            }

            var url = new Uri(_bases[(int)(Interlocked.Increment(ref _next) % _bases.Count)], "chat/completions");
            TimeSpan? wait = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
                if (_options.ApiKey is { } key)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                using var response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    throw new TeacherUnusableException($"teacher {url} answered {(int)response.StatusCode}: {Shorten(text)}. Check --teacher, --teacher-model and --teacher-api-key (or $REASONER_TEACHER_API_KEY)");
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    (failure, detail) = (Reasons.RequestFailed, $"HTTP {(int)response.StatusCode} from {url}");
                    wait = RetryAfter(response);
                }
                else if (!response.IsSuccessStatusCode && ContextLimit.OfRefusal(text) is { Exceeded: true } refusal)
                {
                    if (Fit(body, refusal) is not { } lower || ++fits > 16)
                    {
                        return (null, Reasons.PromptTooLong, $"{url}: {Shorten(text)}");
                    }

                    body["max_tokens"] = lower; // asked again at once, not counted as a retry
                    attempt--;
                    continue;
                }
                else if (!response.IsSuccessStatusCode)
                {
                    return (null, Reasons.RequestFailed, $"HTTP {(int)response.StatusCode} from {url}: {Shorten(text)}"); // 400: this request is wrong, retrying cannot help
                }
                else if (Parse(text, out var why) is { } samples)
                {
                    return (samples, null, null);
                }
                else
                {
                    Interlocked.Increment(ref _malformed);
                    (failure, detail) = (Reasons.Malformed, $"{url}: {why}");
                    _log($"teacher: malformed reply from {url} ({why}); not used as data");
                }
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                (failure, detail) = (Reasons.RequestFailed, $"no reply from {url} within {_options.Timeout.TotalSeconds:F0} s");
            }
            catch (HttpRequestException e)
            {
                (failure, detail) = (Reasons.RequestFailed, $"{url}: {e.Message}");
            }

            if (attempt < _options.Retries)
            {
                var delay = wait ?? TimeSpan.FromTicks(System.Math.Min(TimeSpan.FromSeconds(60).Ticks, _options.Backoff.Ticks << System.Math.Min(attempt, 20)));
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
            }
        }

        _log($"teacher: giving up after {_options.Retries + 1} attempts: {detail}");
        return (null, failure, detail);
    }

    /// <summary>
    /// A max_tokens that fits after a context refusal: the context less the prompt when the refusal states both, else
    /// half the last one; null when the prompt alone fills the context.
    /// </summary>
    private int? Fit(JsonObject body, (bool Exceeded, int? Context, int? PromptTokens) refusal)
    {
        if (refusal.Context is { } stated && _context == 0)
        {
            Interlocked.CompareExchange(ref _context, stated, 0);
        }

        int asked = body["max_tokens"]!.GetValue<int>();
        if ((refusal.Context ?? Context) is { } context && refusal.PromptTokens is { } prompt)
        {
            int room = context - prompt;
            return room < 1 ? null : room < asked ? room : asked > 1 ? asked / 2 : null;
        }

        return asked > 1 ? asked / 2 : null;
    }

    /// <summary>The choices of a chat completion, or null with the reason it is not one.</summary>
    internal static List<TeacherSample>? Parse(string text, out string why)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            why = $"not JSON ({e.Message})";
            return null;
        }

        if (root is not JsonObject reply || reply["choices"] is not JsonArray { Count: > 0 } choices)
        {
            why = "no 'choices'";
            return null;
        }

        var samples = new List<TeacherSample>();
        foreach (var choice in choices)
        {
            var message = choice?["message"] as JsonObject;
            var content = message?["content"] is JsonValue c && c.TryGetValue<string>(out var s) ? s : null;
            var finish = choice?["finish_reason"] is JsonValue f && f.TryGetValue<string>(out var r) ? r : null;
            if (content is null || finish is null)
            {
                why = content is null ? "a choice without message.content" : "a choice without finish_reason (a cut reply)";
                return null;
            }

            var thinking = message!["reasoning_content"] ?? message["reasoning"];
            if (thinking is JsonValue t && t.TryGetValue<string>(out var thought) && thought.Length > 0 && !content.Contains("<think>", StringComparison.Ordinal))
            {
                content = $"<think>\n{thought.Trim()}\n</think>\n{content.TrimStart()}";
            }

            samples.Add(new TeacherSample(content, finish));
        }

        why = string.Empty;
        return samples;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromTicks(System.Math.Clamp(w.Ticks, 0, TimeSpan.FromMinutes(5).Ticks)) : null;
    }

    /// <summary>The named model's card from /v1/models, or null when the server lists no such card or cannot be asked (the name is used as given).</summary>
    private async Task<JsonNode?> CardOfAsync(string model, CancellationToken cancellation)
    {
        try
        {
            var data = await ModelsAsync(cancellation).ConfigureAwait(false);
            return data.FirstOrDefault(m => m?["id"] is JsonValue id && id.TryGetValue<string>(out var name) && name == model);
        }
        catch (TeacherUnusableException e)
        {
            _log($"teacher: {e.Message}; the model's context is learned from the server's replies instead");
            return null;
        }
    }

    private async Task<JsonNode> FirstModelAsync(CancellationToken cancellation)
    {
        var data = await ModelsAsync(cancellation).ConfigureAwait(false);
        return data.FirstOrDefault(m => m?["id"] is JsonValue id && id.TryGetValue<string>(out _))
            ?? throw new TeacherUnusableException($"teacher {new Uri(_bases[0], "models")} lists no model; name the model with --teacher-model");
    }

    private async Task<JsonArray> ModelsAsync(CancellationToken cancellation)
    {
        var url = new Uri(_bases[0], "models");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(_options.Timeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            if (_options.ApiKey is { } key)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && JsonNode.Parse(text)?["data"] is JsonArray data)
            {
                return data;
            }

            throw new TeacherUnusableException($"teacher {url} answered {(int)response.StatusCode} without a model list ({Shorten(text)}); name the model with --teacher-model");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new TeacherUnusableException($"teacher {url}: {e.Message}; is the server running? Name the model with --teacher-model to skip this check");
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _slots.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"HttpTeacher({Describe})");
}
