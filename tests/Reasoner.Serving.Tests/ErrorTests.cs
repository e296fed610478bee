using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Reasoner.Serving.Tests;

/// <summary>Bad requests, keys, caps and shutdown: each gets OpenAI's error shape and the right status, and nothing a client sends breaks the server.</summary>
public sealed class ErrorTests
{
    private static object Ask(string model = "taught", object? n = null, object? maxTokens = null) => new
    {
        model, messages = new[] { new { role = "user", content = "3 + 4" } }, n = n ?? 1, max_tokens = maxTokens ?? 20,
    };

    private static void AssertError(JsonObject body, string? param = null, string? code = null)
    {
        var error = body["error"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.NotNull(error["type"]);
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(code, error["code"]?.GetValue<string>());
        Assert.DoesNotContain("   at ", error["message"]!.GetValue<string>(), StringComparison.Ordinal); // no stack trace
    }

    [Theory]
    [InlineData("{\"model\": \"taught\", \"messages\": [", null, null)]
    [InlineData("[1, 2]", null, null)]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": \"1\"}]}", "model", null)]
    [InlineData("{\"model\": \"gpt-9\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}]}", "model", "model_not_found")]
    [InlineData("{\"model\": \"taught\", \"messages\": []}", "messages", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"tool\", \"content\": \"1\"}]}", "messages[0].role", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": 5}]}", "messages[0].content", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"n\": 0}", "n", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"n\": 17}", "n", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"max_tokens\": 0}", "max_tokens", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"max_tokens\": 5000}", "max_tokens", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"max_tokens\": 255}", "max_tokens", "context_length_exceeded")]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"temperature\": 3}", "temperature", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"temperature\": \"hot\"}", "temperature", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"top_p\": 0}", "top_p", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", "stop", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"top_logprobs\": 2}", "top_logprobs", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"logprobs\": true, \"top_logprobs\": 21}", "top_logprobs", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"tools\": [{\"type\": \"function\"}]}", "tools", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"frequency_penalty\": 0.5}", "frequency_penalty", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"chat_template_kwargs\": {\"tools_in_user_message\": true}}", "chat_template_kwargs.tools_in_user_message", null)]
    [InlineData("{\"model\": \"taught\", \"messages\": [{\"role\": \"user\", \"content\": \"1\"}], \"reasoner\": {\"answer\": \"ten\"}}", "reasoner.answer", null)]
    public async Task A_malformed_or_out_of_range_request_is_400_naming_the_field(string body, string? param, string? code)
    {
        await using var server = await InProcessServer.Start();
        var (status, response) = await server.PostRaw("/v1/chat/completions", body);
        Assert.Equal(400, status);
        AssertError(response, param, code);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_400_context_length_exceeded()
    {
        await using var server = await InProcessServer.Start();
        var (status, body) = await server.Post("/v1/completions", new { model = "taught", prompt = new string('7', 300) });
        Assert.Equal(400, status);
        AssertError(body, "prompt", "context_length_exceeded");
    }

    [Fact]
    public async Task Without_the_right_key_the_api_is_401_while_health_and_the_page_stay_open()
    {
        await using var server = await InProcessServer.Start(new ServeOptions { ApiKey = "s3cret-key-123" });
        var (status, body) = await server.Post("/v1/chat/completions", Ask());
        Assert.Equal(401, status);
        AssertError(body, code: "invalid_api_key");

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key-124");
        Assert.Equal(401, (await server.Post("/v1/chat/completions", Ask())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/reasoner/presets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/")).StatusCode);

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key-123");
        Assert.Equal(200, (await server.Post("/v1/chat/completions", Ask())).Status);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413()
    {
        await using var server = await InProcessServer.Start(new ServeOptions { MaxBodyBytes = 4096 });
        var big = new { model = "taught", messages = new[] { new { role = "user", content = new string('1', 5000) } } };
        var (status, body) = await server.Post("/v1/chat/completions", big);
        Assert.Equal(413, status);
        AssertError(body, code: "request_too_large");

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(big)))) };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json"); // no Content-Length: the cap holds while reading
        using var response = await server.Client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_full_queue_is_429_with_retry_after_and_every_accepted_request_is_answered()
    {
        await using var server = await InProcessServer.Start(new ServeOptions { MaxBatch = 1, MaxQueue = 1 });
        object Long(int seed) => new { model = "noise", messages = new[] { new { role = "user", content = "x" } }, max_tokens = 250, temperature = 1, seed };
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => server.Client.PostAsJsonAsync("/v1/chat/completions", Long(i))));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused); // one row running, one request waiting: the rest of eight sent at once cannot all fit
        foreach (var response in refused)
        {
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            AssertError(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), code: "queue_full");
        }

        foreach (var response in responses.Except(refused))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // accepted ones were served, none dropped
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(body["choices"]![0]!["finish_reason"]);
        }

        responses.ToList().ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Once_shutdown_has_begun_new_requests_are_503()
    {
        await using var server = await InProcessServer.Start();
        server.State.Stopping = true;
        var (status, body) = await server.Post("/v1/chat/completions", Ask());
        Assert.Equal(503, status);
        AssertError(body, code: "shutting_down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Random_junk_never_crashes_the_server_or_gets_a_500()
    {
        await using var server = await InProcessServer.Start();
        var random = new Random(5);
        string[] fragments = ["{", "}", "[", "]", "\"model\"", "\"taught\"", ":", ",", "\"messages\"", "\"role\"", "\"user\"", "\"content\"", "null", "true", "-1", "1e999", "\"n\"", "\"\\u0000\"", "\"stop\"", "\"max_tokens\"", "99999999999999999999", "\"seed\"", "\"reasoner\""];
        for (int i = 0; i < 200; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => fragments[random.Next(fragments.Length)]));
            var path = i % 2 == 0 ? "/v1/chat/completions" : "/v1/completions";
            using var response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True((int)response.StatusCode is 200 or 400, $"{path} answered {(int)response.StatusCode} to: {body}");
        }

        Assert.Equal(200, (await server.Post("/v1/chat/completions", Ask())).Status);
    }

    [Theory]
    [InlineData("0.0.0.0", null, false, false)]
    [InlineData("0.0.0.0", "a-long-key", false, true)]
    [InlineData("0.0.0.0", null, true, true)]
    [InlineData("127.0.0.1", null, false, true)]
    [InlineData("::1", null, false, true)]
    [InlineData("localhost", null, false, true)]
    public void Binding_beyond_loopback_needs_a_key_or_insecure(string host, string? key, bool insecure, bool allowed)
    {
        var options = new ServeOptions { Models = ["m"], Host = host, ApiKey = key, Insecure = insecure };
        if (allowed)
        {
            options.Validate();
        }
        else
        {
            Assert.Contains("--api-key", Assert.Throws<ArgumentException>(() => options.Validate()).Message, StringComparison.Ordinal);
        }
    }

    internal static async Task WaitUntil(Func<bool> condition, int seconds = 30)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting for the server");
            await Task.Delay(10);
        }
    }
}
