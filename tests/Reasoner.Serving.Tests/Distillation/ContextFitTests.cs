using System.Net;
using System.Text.Json.Nodes;
using Reasoner.Distillation;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>
/// Requests fit the teacher's context: a server that states it (max_model_len) never sees a max_tokens past it; one
/// that does not (OpenAI, Ollama) is asked again with max_tokens lowered to what its context_length_exceeded refusal
/// leaves, in vLLM's, OpenAI's and llama.cpp's wording; a prompt that alone fills the context is prompt_too_long.
/// </summary>
public sealed class ContextFitTests : IDisposable
{
    private const int Context = 100;
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-context-").FullName;
    private static readonly HttpTeacherOptions Fast = new() { Backoff = TimeSpan.FromMilliseconds(1), Timeout = TimeSpan.FromSeconds(5), Retries = 2 };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The prompt's tokens: its length in characters; "long ..." prompts fill the context.</summary>
    private static int PromptTokens(string prompt) => prompt.StartsWith("long", StringComparison.Ordinal) ? Context + 5 : prompt.Length;

    private static HttpResponseMessage Refuse(string style, int prompt, int asked) => FakeTeacher.Json(HttpStatusCode.BadRequest, style switch
    {
        "vllm" => new JsonObject { ["object"] = "error", ["message"] = $"This model's maximum context length is {Context} tokens. However, you requested {prompt + asked} tokens ({prompt} in the messages, {asked} in the completion). Please reduce the length of the messages or completion.", ["type"] = "BadRequestError", ["code"] = 400 }.ToJsonString(),
        "llama.cpp" => new JsonObject { ["error"] = new JsonObject { ["code"] = 400, ["message"] = "the request exceeds the available context size, try increasing it", ["type"] = "exceed_context_size_error", ["n_prompt_tokens"] = prompt, ["n_ctx"] = Context } }.ToJsonString(),
        _ => new JsonObject { ["error"] = new JsonObject { ["message"] = "This model's maximum context length is too small for this request.", ["type"] = "invalid_request_error", ["code"] = "context_length_exceeded" } }.ToJsonString(),
    });

    private static FakeTeacher Server(string style, List<int> asked) => new((prompt, _, body) =>
    {
        int maxTokens = body["max_tokens"]!.GetValue<int>();
        lock (asked)
        {
            asked.Add(maxTokens);
        }

        int tokens = PromptTokens(prompt);
        int a = int.Parse(prompt.Split(' ')[^3], System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(tokens + maxTokens > Context ? Refuse(style, tokens, maxTokens) : FakeTeacher.Same(body, FakeTeacher.Solution($"{a}+{a}={2 * a}", $"{2 * a}")));
    });

    [Theory]
    [InlineData("vllm")]
    [InlineData("llama.cpp")]
    [InlineData("openai")]
    public async Task A_server_that_does_not_state_its_context_is_asked_again_with_fewer_tokens(string style)
    {
        // vLLM's shape wraps nothing in "error"; the refusal reader takes both.
        var asked = new List<int>();
        var problems = new List<DatasetRecord> { FakeTeacher.Problem("p1", "1 + 1", "2"), FakeTeacher.Problem("p2", "long 2 + 2", "4") };
        await using var teacher = await HttpTeacher.OpenAsync(["http://fake:1"], Fast, _ => { }, Server(style, asked));
        Assert.Null(teacher.Context);
        var path = Path.Combine(_dir, "d.jsonl");
        var card = await Distiller.RunAsync(new DistillConfig { Teacher = ["http://fake:1"], Data = "x", Samples = 1, MaxTokens = 1024, Concurrency = 1 }, problems, teacher, path, _ => { });

        Assert.Equal(["p1#s0"], DatasetReader.Read(path).Select(r => r.Id));
        Assert.Equal(1, card["rejections"]!["prompt_too_long"]!.GetValue<long>());
        Assert.Null(card["rejections"]!["request_failed"]);
        Assert.Equal(1024, asked[0]);
        if (style != "openai")
        {
            Assert.Equal(Context - "1 + 1".Length, asked[1]); // the refusal said how much room is left
            Assert.Equal(Context, teacher.Context);
        }
    }

    [Fact]
    public async Task A_server_that_states_max_model_len_never_gets_a_request_past_it()
    {
        var asked = new List<int>();
        var inner = Server("vllm", asked);
        var server = new CardServer(inner, $$"""{"object":"list","data":[{"id":"t","object":"model","max_model_len":{{Context}}}]}""");
        await using var teacher = await HttpTeacher.OpenAsync(["http://fake:1"], Fast, _ => { }, server);
        Assert.Equal(Context, teacher.Context);
        var reply = await teacher.SampleAsync(new TeacherRequest(null, "3 + 3", 1, 0, 1, 1024, 1), CancellationToken.None);
        Assert.Single(reply.Samples);
        Assert.Equal(Context - 1, asked[0]);
    }

    /// <summary>The fake server with another /v1/models answer.</summary>
    private sealed class CardServer(FakeTeacher inner, string models) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Method == HttpMethod.Get ? Task.FromResult(FakeTeacher.Json(HttpStatusCode.OK, models)) : base.SendAsync(request, cancellationToken);
    }
}
