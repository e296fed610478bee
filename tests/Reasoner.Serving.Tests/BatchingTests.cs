using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Reasoner.Model.Checkpoints;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Tests;

/// <summary>Continuous batching: concurrent requests share steps and get the same tokens as alone; a client that leaves frees its row; a drain finishes what runs.</summary>
public sealed class BatchingTests
{
    private static object Greedy(string question, int maxTokens = 60) => new
    {
        model = "taught", messages = new[] { new { role = "user", content = question } }, temperature = 0, max_tokens = maxTokens,
    };

    [Fact]
    public async Task Concurrent_requests_decode_together_and_get_what_each_gets_alone()
    {
        await using var server = await InProcessServer.Start();
        var alone = new List<string>();
        foreach (var (question, _) in TestModels.Taught)
        {
            alone.Add((await server.Post("/v1/chat/completions", Greedy(question))).Body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }

        var engine = server.State.Models["noise"].Engine;
        // Twelve requests of different lengths at once on the noise model (they never stop early), and the taught ones beside them.
        var noise = Enumerable.Range(0, 12).Select(i => server.Post("/v1/chat/completions", new
        {
            model = "noise", messages = new[] { new { role = "user", content = new string('7', i + 1) } }, temperature = 0, max_tokens = 40 + (5 * i),
        })).ToList();
        var taught = TestModels.Taught.Select(t => server.Post("/v1/chat/completions", Greedy(t.Question))).ToList();
        var results = await Task.WhenAll(noise.Concat(taught));
        Assert.All(results, r => Assert.True(r.Status == 200, r.Body.ToJsonString()));
        Assert.Equal(alone, results[12..].Select(r => r.Body["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 40 + (5 * i)), results[..12].Select(r => r.Body["usage"]!["completion_tokens"]!.GetValue<int>()));
        Assert.True(engine.PeakRows > 1, $"requests should have shared the batch (peak {engine.PeakRows} rows)");

        // Greedy noise outputs alone equal those decoded in the crowd.
        var single = await server.Post("/v1/chat/completions", new { model = "noise", messages = new[] { new { role = "user", content = "7777" } }, temperature = 0, max_tokens = 55 });
        Assert.Equal(results[3].Body["choices"]![0]!["message"]!["content"]!.GetValue<string>(), single.Body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_client_that_disconnects_mid_stream_frees_its_rows_at_once()
    {
        // A real server process: its sockets notice the client leaving (the in-memory test server does not).
        using var server = ServeProcess.Start("--model", $"noise={TestModels.NoisePath}");
        using var http = new HttpClient { BaseAddress = new Uri(server.Address) };
        async Task<JsonNode> Health() => JsonNode.Parse(await http.GetStringAsync("/health"))!["models"]![0]!;
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(server.Address) }) // close, never drain
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = "noise", messages = new[] { new { role = "user", content = "x" } }, max_tokens = 250, n = 16, temperature = 0, stream = true }),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var stream = await response.Content.ReadAsStreamAsync();
            Assert.True(await stream.ReadAsync(new byte[64]) > 0);
        } // the connection closes here, mid-stream

        long before = (await Health())["generated_tokens"]!.GetValue<long>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Health())["active_rows"]!.GetValue<int>() > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the rows never left");
            await Task.Delay(5);
        }

        var health = await Health();
        Assert.Equal(0, health["completed_requests"]!.GetValue<long>()); // cancelled, not run to the end
        Assert.True(health["generated_tokens"]!.GetValue<long>() < 16 * 200, $"the rows should have left long before their 250 tokens ({health["generated_tokens"]} generated in all, {before} when the client left)");
    }

    [Fact]
    public async Task A_cancelled_job_leaves_the_batch_and_its_choices_end_as_cancelled()
    {
        var (model, tokenizer) = Checkpoint.Load(TestModels.NoisePath);
        using var served = new ServedModel("noise", TestModels.NoisePath, model, tokenizer, new EngineLimits { MaxBatch = 4 });
        var prompt = tokenizer.Chat.Prompt(tokenizer, "x");
        using var cancel = new CancellationTokenSource();
        var running = new GenerationJob(prompt, 4, new SamplingParams { Temperature = 0, MaxTokens = 250 }, cancel.Token);
        var waiting = new GenerationJob(prompt, 1, new SamplingParams { Temperature = 0, MaxTokens = 5 }, cancel.Token);
        served.Engine.Submit(running);
        served.Engine.Submit(waiting); // no room until the four rows leave
        await running.Events.ReadAsync(); // the first token has been sent
        await cancel.CancelAsync();
        var ends = await running.Events.ReadAllAsync().Where(e => e is ChoiceFailed or ChoiceFinished).ToListAsync();
        Assert.Equal(4, ends.Count);
        Assert.Contains(ends, e => e is ChoiceFailed { Status: 499 });
        Assert.IsType<ChoiceFailed>(Assert.Single(await waiting.Events.ReadAllAsync().ToListAsync()));
        await ErrorTests.WaitUntil(() => served.Engine.ActiveRows == 0);
        Assert.Equal(0, served.Engine.CompletedRequests);
    }

    [Fact]
    public async Task A_drain_refuses_new_jobs_lets_running_ones_finish_and_cuts_them_at_the_deadline()
    {
        var (model, tokenizer) = Checkpoint.Load(TestModels.NoisePath);
        using var served = new ServedModel("noise", TestModels.NoisePath, model, tokenizer, new EngineLimits());
        var prompt = tokenizer.Chat.Prompt(tokenizer, "x");
        var finishing = new GenerationJob(prompt, 2, new SamplingParams { Temperature = 0, MaxTokens = 30 });
        served.Engine.Submit(finishing);
        served.Engine.BeginDrain(TimeSpan.FromMinutes(5));
        Assert.Throws<EngineStoppingException>(() => served.Engine.Submit(new GenerationJob(prompt, 1, new SamplingParams())));
        var finished = await finishing.Events.ReadAllAsync().OfType<ChoiceFinished>().ToListAsync();
        Assert.Equal(["length", "length"], finished.Select(f => f.Reason));
        Assert.All(finished, f => Assert.Equal(30, f.CompletionTokens));
        await served.Engine.Stopped.WaitAsync(TimeSpan.FromSeconds(30));

        using var cut = new ServedModel("noise2", TestModels.NoisePath, Checkpoint.Load(TestModels.NoisePath).Model, tokenizer, new EngineLimits());
        var longJob = new GenerationJob(prompt, 1, new SamplingParams { Temperature = 0, MaxTokens = 250 });
        cut.Engine.Submit(longJob);
        await ErrorTests.WaitUntil(() => cut.Engine.GeneratedTokens > 3);
        cut.Engine.BeginDrain(TimeSpan.Zero);
        var end = await longJob.Events.ReadAllAsync().OfType<ChoiceFinished>().SingleAsync();
        Assert.Equal("length", end.Reason);
        Assert.True(end.CompletionTokens < 250);
    }

    [Fact]
    public async Task A_job_that_cannot_start_before_the_engine_stops_is_told_so()
    {
        var (model, tokenizer) = Checkpoint.Load(TestModels.NoisePath);
        var served = new ServedModel("noise", TestModels.NoisePath, model, tokenizer, new EngineLimits { MaxBatch = 1 });
        var prompt = tokenizer.Chat.Prompt(tokenizer, "x");
        var first = new GenerationJob(prompt, 1, new SamplingParams { Temperature = 0, MaxTokens = 250 });
        var second = new GenerationJob(prompt, 1, new SamplingParams { Temperature = 0, MaxTokens = 250 });
        served.Engine.Submit(first);
        served.Engine.Submit(second);
        served.Dispose(); // stops at once: nothing may be left waiting forever
        Assert.Contains(await first.Events.ReadAllAsync().ToListAsync(), e => e is ChoiceFailed { Status: 503 } or ChoiceFinished);
        Assert.IsType<ChoiceFailed>(Assert.Single(await second.Events.ReadAllAsync().ToListAsync()));
    }
}
