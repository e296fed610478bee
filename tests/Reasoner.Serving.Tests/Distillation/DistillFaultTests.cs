using System.Net;
using System.Text.Json.Nodes;
using Reasoner.Distillation;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;
using Reasoner.Math.Verification;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>
/// distill against a teacher that misbehaves in every way a server can: 429 with Retry-After, 500, no reply in time,
/// bad JSON, a reply cut mid-way, a wrong answer, a cut-off sample, a wrong step, a server that never recovers. None of
/// it is written as data, each is counted by reason, and the run finishes.
/// </summary>
public sealed class DistillFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-distill-").FullName;

    private static readonly HttpTeacherOptions Fast = new() { Timeout = TimeSpan.FromMilliseconds(300), Retries = 3, Backoff = TimeSpan.FromMilliseconds(1), Concurrency = 4 };

    private static readonly DistillConfig Config = new() { Teacher = ["http://fake:1"], Data = "problems.jsonl", Samples = 2, Concurrency = 4 };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The right solution for "a + a" (a one-digit sum), as the compiler would write it.</summary>
    private static string Right(int a) => FakeTeacher.Solution($"{a}+{a}={2 * a}", $"{2 * a}");

    private static async Task<HttpResponseMessage> Misbehave(string prompt, int asked, JsonObject body)
    {
        int a = int.Parse(prompt.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var good = FakeTeacher.Same(body, Right(a));
        switch (a)
        {
            case 1 when asked == 0:
                var busy = FakeTeacher.Json(HttpStatusCode.TooManyRequests, """{"error":{"message":"busy"}}""");
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return busy;
            case 2 when asked == 0:
                return FakeTeacher.Json(HttpStatusCode.InternalServerError, "oops");
            case 3 when asked == 0:
                await Task.Delay(TimeSpan.FromSeconds(5));
                return good;
            case 4 when asked == 0:
                return FakeTeacher.Json(HttpStatusCode.OK, "{not json");
            case 5 when asked == 0:
                var cut = good.Content.ReadAsStringAsync().Result;
                return FakeTeacher.Json(HttpStatusCode.OK, cut[..(cut.Length / 2)]);
            case 6:
                return FakeTeacher.Same(body, FakeTeacher.Solution("6+6=13", "13"));
            case 7:
                return FakeTeacher.Same(body, "<think>\n7+7=14\n", "length");
            case 8:
                return FakeTeacher.Json(HttpStatusCode.ServiceUnavailable, "down");
            case 9:
                return FakeTeacher.Same(body, FakeTeacher.Solution("9+9=19\n9+9=18", "18"));
            default:
                return good;
        }
    }

    private static List<DatasetRecord> Problems(int count = 9) =>
        [.. Enumerable.Range(1, count).Select(a => FakeTeacher.Problem($"p{a}", $"{a} + {a}", $"{2 * a}"))];

    private async Task<(JsonObject Card, string Out)> Distill(FakeTeacher fake, DistillConfig config, IReadOnlyList<DatasetRecord> problems, string name = "out.jsonl")
    {
        await using var teacher = await HttpTeacher.OpenAsync(["http://fake:1"], Fast, _ => { }, fake);
        var path = Path.Combine(_dir, name);
        return (await Distiller.RunAsync(config, problems, teacher, path, _ => { }), path);
    }

    [Fact]
    public async Task Faults_are_retried_or_rejected_by_reason_and_never_written()
    {
        var (card, path) = await Distill(new FakeTeacher(Misbehave), Config, Problems());

        var rows = DatasetReader.Read(path).ToList();
        Assert.Equal(["p1#s0", "p2#s0", "p3#s0", "p4#s0", "p5#s0"], rows.Select(r => r.Id));
        var rewards = new MathRewards(VerifierOptions.Default);
        Assert.All(rows, r =>
        {
            Assert.True(rewards.Judge(r.Completion, MathRewards.ParseGold(r.Answer)).Correct);
            Assert.Equal(0, StepChecker.Check(r.Completion).Wrong);
        });

        var rejections = card["rejections"]!.AsObject();
        Assert.Equal(2, rejections["wrong_answer"]!.GetValue<long>());
        Assert.Equal(2, rejections["truncated"]!.GetValue<long>());
        Assert.Equal(2, rejections["request_failed"]!.GetValue<long>());
        Assert.Equal(2, rejections["wrong_step"]!.GetValue<long>());
        Assert.Equal(2, card["malformed_replies"]!.GetValue<long>());
        Assert.True(card["retries"]!.GetValue<long>() >= 5 + 3, card.ToJsonString()); // 1-5 once each, 8 three times
        Assert.Equal(9, card["problems"]!.GetValue<long>());
        Assert.Equal(5, card["accepted"]!.GetValue<long>());
        Assert.Equal(DatasetCard.Sha256Of(path), card["sha256"]!.GetValue<string>());

        var row = JsonNode.Parse(File.ReadLines(path).First())!.AsObject();
        Assert.Equal("p1", row["source_id"]!.GetValue<string>());
        Assert.Equal(2, row["samples_tried"]!.GetValue<int>());
        Assert.Equal(1, row["verdict"]!["accuracy"]!.GetValue<int>());
        Assert.Contains("fake-teacher", row["teacher"]!.GetValue<string>(), StringComparison.Ordinal);
        var logged = File.ReadLines(Journal.RejectedPath(path)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["p6", "p7", "p8", "p9"], logged.Select(l => l["source_id"]!.GetValue<string>()).Distinct());
        Assert.All(logged, l => Assert.False(string.IsNullOrEmpty(l["reason"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_killed_run_resumes_with_no_row_lost_or_written_twice()
    {
        var problems = Problems(30).Select(p => p with { Prompt = "1 + 1", Answer = "2" }).ToList();
        var (_, whole) = await Distill(new FakeTeacher(Misbehave), Config, problems, "whole.jsonl");

        // What a kill leaves: some problems done, rows of an unfinished one written without its progress line, a torn last line.
        var (_, path) = await Distill(new FakeTeacher(Misbehave), Config, problems[..12], "killed.jsonl");
        var progress = File.ReadAllLines(Journal.ProgressPath(path));
        File.WriteAllLines(Journal.ProgressPath(path), progress[..10]);
        File.AppendAllText(Journal.ProgressPath(path), "{\"id\":\"p1");
        File.AppendAllText(path, "{\"messages\":[], \"source_id\":\"p11\"}\n{\"messa");
        var (card, resumed) = await Distill(new FakeTeacher(Misbehave), Config, problems, "killed.jsonl");

        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(resumed));
        Assert.Equal(30, card["problems"]!.GetValue<long>());
        var ids = File.ReadLines(Journal.ProgressPath(resumed)).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(30, ids.Count);
    }

    [Fact]
    public async Task Another_config_for_the_same_output_is_refused_by_field()
    {
        var problems = Problems(2);
        await Distill(new FakeTeacher(Misbehave), Config, problems);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Distill(new FakeTeacher(Misbehave), Config with { Temperature = 1.0 }, problems));
        Assert.Contains("temperature", e.Message, StringComparison.Ordinal);

        // how the teacher is reached may change: more concurrency, another server
        await Distill(new FakeTeacher(Misbehave), Config with { Concurrency = 1, Teacher = ["http://other:2"] }, problems);
    }

    [Fact]
    public async Task A_teacher_that_fails_every_request_stops_the_run_and_marks_nothing_done()
    {
        var down = new FakeTeacher((_, _, _) => Task.FromResult(FakeTeacher.Json(HttpStatusCode.BadRequest, """{"error":{"message":"max_tokens is too large"}}""")));
        var e = await Assert.ThrowsAsync<TeacherUnusableException>(() => Distill(down, Config, Problems(20)));
        Assert.Contains("max_tokens is too large", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Journal.ProgressPath(Path.Combine(_dir, "out.jsonl"))) && File.ReadAllText(Journal.ProgressPath(Path.Combine(_dir, "out.jsonl"))).Length > 0);

        var wrongKey = new FakeTeacher((_, _, _) => Task.FromResult(FakeTeacher.Json(HttpStatusCode.Unauthorized, "{}")));
        await Assert.ThrowsAsync<TeacherUnusableException>(() => Distill(wrongKey, Config, Problems(2), "key.jsonl"));
    }

    [Fact]
    public async Task Keep_policies_choose_among_the_accepted_samples()
    {
        Task<HttpResponseMessage> Mixed(string prompt, int asked, JsonObject body) => Task.FromResult(FakeTeacher.Chat(
            (FakeTeacher.Solution("2+2=4\nso 2+2=4", "4"), "stop"),
            (FakeTeacher.Solution("2+2=4", "4"), "stop"),
            (FakeTeacher.Solution("2+2=5", "5"), "stop"),
            (FakeTeacher.Solution("2+2=5", "5"), "stop"),
            (FakeTeacher.Solution("2+2=5", "5"), "stop")));
        var problem = new[] { FakeTeacher.Problem("q", "2 + 2", "4") };
        var config = Config with { Samples = 5 };

        string Kept(KeepPolicy keep) => string.Join("|", DatasetReader.Read(Distill(new FakeTeacher(Mixed), config with { Keep = keep }, problem, $"{keep}.jsonl").Result.Out).Select(r => r.Id));

        Assert.Equal("q#s0|q#s1", Kept(KeepPolicy.All));
        Assert.Equal("q#s1", Kept(KeepPolicy.Shortest));
        Assert.Equal("q#s0", Kept(KeepPolicy.One));
        Assert.Equal(string.Empty, Kept(KeepPolicy.Consistent)); // the majority says 5
    }

    [Fact]
    public void Server_urls_are_read_as_users_write_them()
    {
        Assert.Equal("http://h:8000/v1/", HttpTeacher.BaseOf("http://h:8000").ToString());
        Assert.Equal("http://h:8000/v1/", HttpTeacher.BaseOf("http://h:8000/v1/").ToString());
        Assert.Equal("https://h/api/v1/", HttpTeacher.BaseOf("https://h/api").ToString());
        Assert.Throws<ArgumentException>(() => HttpTeacher.BaseOf("ftp://h"));
    }

    [Fact]
    public void Thinking_split_out_by_a_reasoning_parser_is_put_back()
    {
        var samples = HttpTeacher.Parse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"<answer>4</answer>","reasoning_content":"2+2=4"},"finish_reason":"stop"}]}""", out _)!;
        Assert.Equal("<think>\n2+2=4\n</think>\n<answer>4</answer>", samples[0].Text);
        Assert.Null(HttpTeacher.Parse("""{"choices":[{"index":0,"message":{"content":"x"}}]}""", out var why));
        Assert.Contains("finish_reason", why, StringComparison.Ordinal);
    }
}
