using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>
/// An OpenAI-compatible server in a message handler: <see cref="Reply"/> decides each answer from the user's prompt and
/// how many times that prompt was asked before, so a test can inject 429s, 5xx, timeouts, bad JSON, cut replies and
/// wrong answers where it wants them.
/// </summary>
internal sealed class FakeTeacher(Func<string, int, JsonObject, Task<HttpResponseMessage>> reply) : HttpMessageHandler
{
    private readonly Dictionary<string, int> _asked = [];

    public int Requests { get; private set; }

    public static HttpResponseMessage Chat(params (string Text, string Finish)[] choices)
    {
        var array = new JsonArray();
        for (int i = 0; i < choices.Length; i++)
        {
            array.Add(new JsonObject { ["index"] = i, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choices[i].Text }, ["finish_reason"] = choices[i].Finish });
        }

        return Json(HttpStatusCode.OK, new JsonObject { ["id"] = "x", ["object"] = "chat.completion", ["choices"] = array }.ToJsonString());
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>n copies of one completion, as a server answers a request for n samples.</summary>
    public static HttpResponseMessage Same(JsonObject body, string text, string finish = "stop") =>
        Chat([.. Enumerable.Repeat((text, finish), body["n"]?.GetValue<int>() ?? 1)]);

    public static string Solution(string trace, string answer) => $"<think>\n{trace}\n</think>\n<answer>{answer}</answer>";

    public static DatasetRecord Problem(string id, string question, string answer, string completion = "") =>
        new(id, null, question, completion, question, answer, "fake", 0);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return Json(HttpStatusCode.OK, """{"object":"list","data":[{"id":"fake-teacher","object":"model"}]}""");
        }

        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        var prompt = body["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        int asked;
        lock (_asked)
        {
            Requests++;
            asked = _asked.GetValueOrDefault(prompt);
            _asked[prompt] = asked + 1;
        }

        return await reply(prompt, asked, body).WaitAsync(cancellationToken);
    }
}
