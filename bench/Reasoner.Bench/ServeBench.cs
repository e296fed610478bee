// Load and speed of a running `reasoner serve` (scripts/bench-serve.sh starts one). `serve-load`: C concurrent
// streaming clients for S seconds; prints throughput, p50/p95 latency and time to first token, errors, and checks that
// every request was answered exactly once (one finish and one [DONE] per stream on the client side; the server's
// completed-request count rose by the number answered), with the server's RSS at the start and the end.
// `serve-speed`: the same 16 requests one after another and all at once (the ratio of total tokens/s), time to first
// token at 1 and 16 clients, and llama.cpp's batch-1 decode of the same model (its GGUF) in this process.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Export;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Bench;

internal static class ServeBench
{
    private sealed record Outcome(bool Ok, string? Error, double Seconds, double FirstToken, int Tokens, int Finishes, int Dones);

    /// <summary>A random-weight checkpoint of a preset (character vocabulary) and its f32 GGUF beside it.</summary>
    public static int WriteRandomModel(string directory, string preset)
    {
        TorchRuntime.EnsureLoaded();
        var tokenizer = new CharTokenizer();
        manual_seed(1);
        using var model = new CausalLM(ModelConfig.Preset(preset, tokenizer.VocabSize));
        Checkpoint.Save(directory, model, tokenizer);
        GgufExport.Write(model, tokenizer, directory + ".gguf", GgmlType.F32, preset);
        Console.WriteLine($"wrote {directory} and {directory}.gguf: {preset}, {model.ParameterCount:N0} parameters");
        return 0;
    }

    public static int Load(string url, string model, int clients, double seconds, int maxTokens, int? pid, string? key)
    {
        using var http = Client(url, key);
        long before = Completed(http, model);
        var rssStart = Rss(pid);
        var outcomes = new ConcurrentBag<Outcome>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int i = 0; DateTime.UtcNow < deadline; i++)
            {
                outcomes.Add(await Streamed(http, model, Question(c, i), maxTokens).ConfigureAwait(false));
            }
        })).ToArray();
        Task.WaitAll(workers);
        double elapsed = clock.Elapsed.TotalSeconds;
        Thread.Sleep(200); // the engine counts a request once its last event is sent
        long after = Completed(http, model);
        var rssEnd = Rss(pid);
        var all = outcomes.ToList();
        var ok = all.Where(o => o.Ok).ToList();
        int lost = all.Count(o => o.Ok && (o.Finishes == 0 || o.Dones == 0)), duplicated = all.Count(o => o.Finishes > 1 || o.Dones > 1);
        long serverCounted = after - before;
        var latency = ok.Select(o => o.Seconds).Order().ToList();
        var first = ok.Select(o => o.FirstToken).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {clients} | {all.Count} | {all.Count - ok.Count} | {lost} | {duplicated} | {serverCounted} | {ok.Sum(o => o.Tokens) / elapsed:F0} | {Percentile(latency, 0.5):F2} | {Percentile(latency, 0.95):F2} | {Percentile(first, 0.5):F3} | {rssStart} | {rssEnd} |"));
        foreach (var error in all.Where(o => !o.Ok).Select(o => o.Error).Distinct().Take(5))
        {
            Console.Error.WriteLine($"  error: {error}");
        }

        return all.Count > 0 && ok.Count == all.Count && lost == 0 && duplicated == 0 && serverCounted == all.Count ? 0 : 1;
    }

    public static int Speed(string url, string model, string gguf, int maxTokens, int threads)
    {
        using var http = Client(url, null);
        var questions = Enumerable.Range(0, 16).Select(i => Question(99, i)).ToList();
        _ = Streamed(http, model, questions[0], 8).Result; // warm-up
        var clock = Stopwatch.StartNew();
        var sequential = new List<Outcome>();
        foreach (var q in questions)
        {
            sequential.Add(Streamed(http, model, q, maxTokens).Result);
        }

        double sequentialSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var concurrent = Task.WhenAll(questions.Select(q => Streamed(http, model, q, maxTokens))).Result;
        double concurrentSeconds = clock.Elapsed.TotalSeconds;
        if (sequential.Concat(concurrent).Any(o => !o.Ok))
        {
            Console.Error.WriteLine("a request failed: " + sequential.Concat(concurrent).First(o => !o.Ok).Error);
            return 1;
        }

        double one = sequential.Sum(o => o.Tokens) / sequentialSeconds, sixteen = concurrent.Sum(o => o.Tokens) / concurrentSeconds;
        TorchRuntime.EnsureLoaded();
        double llama = DecodeBench.LlamaCppTokensPerSecond(gguf, new CharTokenizer().Chat.Prompt(new CharTokenizer(), questions[0]), maxTokens, threads);
        Console.WriteLine($"# 16 requests of {maxTokens} new tokens (greedy; random weights seldom stop early), the server on its default threads; llama.cpp: LLamaSharp 0.30, same model as GGUF f32, {threads} thread(s), batch 1");
        Console.WriteLine("| setting | total tokens/s | mean time to first token (s) |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| 16 requests one after another (1 client) | {one:F0} | {sequential.Average(o => o.FirstToken):F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the same 16 at once (16 clients) | {sixteen:F0} | {concurrent.Average(o => o.FirstToken):F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| llama.cpp batch 1, in process | {llama:F0} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"16 at once / one after another: {sixteen / one:F1}x (target >= 4x); our 1 client / llama.cpp batch 1: {one / llama:F2}x; our 16 clients / llama.cpp batch 1: {sixteen / llama:F1}x"));
        return 0;
    }

    private static HttpClient Client(string url, string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    private static string Question(int client, int index)
    {
        var random = new Random((client * 100_003) + index);
        return $"{random.Next(1, 10_000)} + {random.Next(1, 10_000)}";
    }

    /// <summary>One streamed chat completion, read to the end; counts finish chunks and [DONE] markers.</summary>
    private static async Task<Outcome> Streamed(HttpClient http, string model, string question, int maxTokens)
    {
        var body = new JsonObject
        {
            ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
            ["max_tokens"] = maxTokens, ["temperature"] = 0, ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        var clock = Stopwatch.StartNew();
        double first = -1;
        int tokens = 0, finishes = 0, dones = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new Outcome(false, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}", clock.Elapsed.TotalSeconds, 0, 0, 0, 0);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line[6..];
                if (data == "[DONE]")
                {
                    dones++;
                    continue;
                }

                var chunk = JsonNode.Parse(data)!;
                if (chunk["error"] is { } error)
                {
                    return new Outcome(false, error.ToJsonString(), clock.Elapsed.TotalSeconds, first, tokens, finishes, dones);
                }

                if (chunk["usage"] is JsonObject usage)
                {
                    tokens = usage["completion_tokens"]!.GetValue<int>();
                }

                if (chunk["choices"]?.AsArray().FirstOrDefault() is { } choice)
                {
                    if (first < 0 && choice["delta"]?["content"]?.GetValue<string>() is { Length: > 0 })
                    {
                        first = clock.Elapsed.TotalSeconds;
                    }

                    finishes += choice["finish_reason"] is null ? 0 : 1;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return new Outcome(false, e.Message, clock.Elapsed.TotalSeconds, first, tokens, finishes, dones);
        }

        return new Outcome(true, null, clock.Elapsed.TotalSeconds, first < 0 ? clock.Elapsed.TotalSeconds : first, tokens, finishes, dones);
    }

    private static long Completed(HttpClient http, string model) =>
        JsonNode.Parse(http.GetStringAsync("/health").Result)!["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == model)!["completed_requests"]!.GetValue<long>();

    private static string Rss(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return "n/a";
        }

        var line = File.ReadLines($"/proc/{id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0:F0} MB");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)System.Math.Min(sorted.Count - 1, System.Math.Floor(p * sorted.Count))];
}
