using System.Text.Json.Nodes;
using Reasoner.Model.Tokenization;

namespace Reasoner.Serving.Tests;

/// <summary>The OpenAI endpoints, in process: what a client sends and what it gets back, for every option.</summary>
public sealed class ApiTests
{
    private static object Chat(string question, object? extra = null)
    {
        var body = new JsonObject { ["model"] = "taught", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }), ["temperature"] = 0 };
        foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra ?? new { }))!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    [Fact]
    public async Task Models_and_health_list_what_is_served()
    {
        await using var server = await InProcessServer.Start();
        var models = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models"))!;
        Assert.Equal("list", models["object"]!.GetValue<string>());
        Assert.Equal(["taught", "noise"], models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(256, models["data"]![0]!["max_model_len"]!.GetValue<int>());
        var one = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models/noise"))!;
        Assert.Equal("model", one["object"]!.GetValue<string>());
        var health = JsonNode.Parse(await server.Client.GetStringAsync("/health"))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_chat_completion_answers_with_the_models_text_usage_and_finish_reason(int which)
    {
        await using var server = await InProcessServer.Start();
        var (question, completion) = TestModels.Taught[which];
        var (status, body) = await server.Post("/v1/chat/completions", Chat(question));
        Assert.Equal(200, status);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.StartsWith("chatcmpl-", body["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var choice = body["choices"]![0]!;
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal(completion, choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        var tokenizer = new CharTokenizer();
        Assert.Equal(tokenizer.Chat.Prompt(tokenizer, question).Count, body["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(tokenizer.Encode(completion).Count, body["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(body["usage"]!["prompt_tokens"]!.GetValue<int>() + body["usage"]!["completion_tokens"]!.GetValue<int>(), body["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_reasoner_extension_carries_the_verifiers_verdict_for_each_choice()
    {
        await using var server = await InProcessServer.Start();
        var (_, right) = await server.Post("/v1/chat/completions", Chat("12 + 7", new { reasoner = new { answer = "19" } }));
        var verdict = right["choices"]![0]!["reasoner"]!;
        Assert.Equal(1.0, verdict["accuracy"]!.GetValue<double>());
        Assert.Equal(1.0, verdict["format"]!.GetValue<double>());
        Assert.Equal(3, verdict["steps_found"]!.GetValue<int>());
        Assert.Equal(3, verdict["steps_correct"]!.GetValue<int>());
        Assert.Null(verdict["first_wrong_step"]);

        var (_, wrong) = await server.Post("/v1/chat/completions", Chat("5 + 5", new { reasoner = new { answer = "10" }, stream = false }));
        verdict = wrong["choices"]![0]!["reasoner"]!;
        Assert.Equal(0.0, verdict["accuracy"]!.GetValue<double>());
        Assert.Equal("11", verdict["answer"]!.GetValue<string>());
        Assert.Equal("5+5 = 11", verdict["first_wrong_step"]!.GetValue<string>());

        var (_, plain) = await server.Post("/v1/chat/completions", Chat("3 + 4"));
        Assert.Null(plain["choices"]![0]!["reasoner"]); // clients that do not ask see nothing new
    }

    [Fact]
    public async Task A_stream_sends_a_role_chunk_one_chunk_per_token_a_finish_chunk_usage_and_done()
    {
        await using var server = await InProcessServer.Start();
        var events = await server.Stream("/v1/chat/completions", Chat("12 + 7", new { stream = true, stream_options = new { include_usage = true }, reasoner = new { answer = "19" } }));
        Assert.Null(events[^1]); // data: [DONE]
        var chunks = events.Take(events.Count - 1).Select(e => e!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>() ?? string.Empty));
        Assert.Equal(TestModels.Taught[1].Completion, text);
        var finish = chunks.Single(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"] is not null);
        Assert.Equal("stop", finish["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(1.0, finish["choices"]![0]!["reasoner"]!["accuracy"]!.GetValue<double>());
        var usage = chunks[^1];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(new CharTokenizer().Encode(text).Count, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.True(chunks.Count > 10, "one chunk per token");
    }

    [Fact]
    public async Task Stop_strings_end_the_text_before_them_streamed_or_not()
    {
        await using var server = await InProcessServer.Start();
        var (_, body) = await server.Post("/v1/chat/completions", Chat("12 + 7", new { stop = new[] { "1+0", "</think>" } }));
        Assert.Equal("<think>\n2+7=9\n", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", body["choices"]![0]!["finish_reason"]!.GetValue<string>());

        var events = await server.Stream("/v1/chat/completions", Chat("12 + 7", new { stream = true, stop = "12+7" }));
        var streamed = string.Concat(events.OfType<JsonObject>().Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>() ?? string.Empty));
        Assert.Equal("<think>\n2+7=9\n1+0=1\n", streamed); // the held-back "12+" never reached the client
    }

    [Fact]
    public async Task Max_tokens_ends_a_choice_with_finish_reason_length()
    {
        await using var server = await InProcessServer.Start();
        var (_, body) = await server.Post("/v1/chat/completions", Chat("12 + 7", new { max_tokens = 5 }));
        Assert.Equal("length", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(5, body["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("<think>\n2+7", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task N_choices_with_a_seed_are_reproduced_exactly_and_differ_from_each_other()
    {
        await using var server = await InProcessServer.Start();
        var request = new JsonObject
        {
            ["model"] = "noise", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }),
            ["n"] = 4, ["temperature"] = 1.0, ["seed"] = 42, ["max_tokens"] = 24,
        };
        static List<string> Texts(JsonObject body) => (body["choices"] ?? throw new InvalidOperationException(body.ToJsonString())).AsArray().OrderBy(c => c!["index"]!.GetValue<int>()).Select(c => c!["message"]!["content"]!.GetValue<string>()).ToList();
        var first = Texts((await server.Post("/v1/chat/completions", request)).Body);
        Assert.Equal(4, first.Count);
        Assert.True(first.Distinct().Count() > 1, "four sampled choices should not all be equal");

        // The same request again, while other requests share the batch: the same four texts.
        var noise = Enumerable.Range(0, 3).Select(i => server.Post("/v1/chat/completions", Chat("3 + 4", new { temperature = 0.7, seed = i, max_tokens = 30 }))).ToList();
        var again = Texts((await server.Post("/v1/chat/completions", request)).Body);
        await Task.WhenAll(noise);
        Assert.Equal(first, again);

        request["seed"] = 43;
        Assert.NotEqual(first, Texts((await server.Post("/v1/chat/completions", request)).Body));
    }

    [Fact]
    public async Task Chat_logprobs_give_the_chosen_tokens_and_the_top_alternatives()
    {
        await using var server = await InProcessServer.Start();
        var (_, body) = await server.Post("/v1/chat/completions", Chat("3 + 4", new { logprobs = true, top_logprobs = 3 }));
        var content = body["choices"]![0]!["logprobs"]!["content"]!.AsArray();
        Assert.Equal(string.Concat(content.Select(c => c!["token"]!.GetValue<string>())), TestModels.Taught[0].Completion);
        foreach (var token in content)
        {
            var top = token!["top_logprobs"]!.AsArray();
            Assert.Equal(3, top.Count);
            Assert.True(token["logprob"]!.GetValue<double>() <= 0);
            Assert.Equal(top[0]!["logprob"]!.GetValue<double>(), token["logprob"]!.GetValue<double>(), 9); // greedy: the chosen token is the likeliest
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(token["token"]!.GetValue<string>()).Select(b => (int)b), token["bytes"]!.AsArray().Select(b => b!.GetValue<int>()));
        }
    }

    [Fact]
    public async Task Text_completions_take_a_raw_prompt_with_echo_logprobs_and_stream()
    {
        await using var server = await InProcessServer.Start();
        var tokenizer = new CharTokenizer();
        var prompt = "<|bos|>3 + 4<|assistant|>";
        var (status, body) = await server.Post("/v1/completions", new { model = "taught", prompt, max_tokens = 40, temperature = 0, logprobs = 2 });
        Assert.Equal(200, status);
        Assert.Equal("text_completion", body["object"]!.GetValue<string>());
        Assert.Equal(TestModels.Taught[0].Completion, body["choices"]![0]!["text"]!.GetValue<string>());
        var logprobs = body["choices"]![0]!["logprobs"]!;
        Assert.Equal(logprobs["tokens"]!.AsArray().Count, logprobs["token_logprobs"]!.AsArray().Count);
        Assert.Equal(2, logprobs["top_logprobs"]![0]!.AsObject().Count);
        Assert.Equal(0, logprobs["text_offset"]![0]!.GetValue<int>());

        var (_, echoed) = await server.Post("/v1/completions", new { model = "taught", prompt, max_tokens = 40, temperature = 0, echo = true });
        Assert.Equal(prompt + TestModels.Taught[0].Completion, echoed["choices"]![0]!["text"]!.GetValue<string>());

        var (_, short16) = await server.Post("/v1/completions", new { model = "noise", prompt, temperature = 0 });
        Assert.Equal(16, short16["usage"]!["completion_tokens"]!.GetValue<int>()); // OpenAI's default max_tokens for completions
        Assert.Equal(tokenizer.Encode(prompt).Count, short16["usage"]!["prompt_tokens"]!.GetValue<int>());

        var events = await server.Stream("/v1/completions", new { model = "taught", prompt, max_tokens = 40, temperature = 0, stream = true });
        Assert.Equal(TestModels.Taught[0].Completion, string.Concat(events.OfType<JsonObject>().Select(c => c["choices"]![0]!["text"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_conversation_with_a_system_message_and_an_earlier_turn_is_rendered_by_the_chat_format()
    {
        await using var server = await InProcessServer.Start();
        var (status, body) = await server.Post("/v1/chat/completions", new
        {
            model = "taught", temperature = 0, max_tokens = 60,
            messages = new object[]
            {
                new { role = "system", content = "ignored by this format" },
                new { role = "user", content = "3 + 4" }, new { role = "assistant", content = TestModels.Taught[0].Completion },
                new { role = "user", content = new object[] { new { type = "text", text = "12 + 7" } } },
            },
        });
        Assert.Equal(200, status);
        var tokenizer = new CharTokenizer();
        var expected = tokenizer.Encode(ChatFormats.Reasoner.Render([("user", "3 + 4"), ("assistant", TestModels.Taught[0].Completion), ("user", "12 + 7")])).Count;
        Assert.Equal(expected, body["usage"]!["prompt_tokens"]!.GetValue<int>());
    }
}
