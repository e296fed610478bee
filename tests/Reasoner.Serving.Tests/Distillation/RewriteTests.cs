using System.Text.Json.Nodes;
using Reasoner.Distillation;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;
using Reasoner.Math.Numbers;
using Reasoner.Math.Verification;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>A rewrite is kept only when the answer, every claim and every step of the compiler's trace survive.</summary>
public sealed class RewriteTests : IDisposable
{
    private const string Trace = "<think>\n0457+0268\n7+8+0=15\n5+6+1=12\n4+2+1=7\n0+0+0=0\n457+268=0725\n</think>\n<answer>725</answer>";

    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-rewrite-").FullName;

    private static readonly MathRewards Rewards = new(VerifierOptions.Default);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string? Reason(string thinking, string answer = "725") =>
        RewriteCheck.Check(new TeacherSample(FakeTeacher.Solution(thinking, answer), "stop"), Trace, new Rational(725), Rewards).Reason;

    private const string Faithful = "Add the ones: 7 + 8 = 15, write 5 and carry 1. Tens: 5 + 6 + 1 = 12, write 2, carry 1. "
        + "Hundreds: 4 + 2 + 1 = 7. Nothing is left over in the thousands, 0 + 0 + 0 = 0. So 457 + 268 = 725.";

    [Fact]
    public void A_faithful_rewrite_in_prose_is_kept_with_equivalent_claims() => Assert.Null(Reason(Faithful));

    [Theory]
    [InlineData("7 + 8 = 15, then 6 + 5 + 1 = 12, then 1 + 4 + 2 = 7, so 457 + 268 = 725.")] // order inside a claim and zero terms may change
    public void Equivalent_claims_count_as_the_steps_they_restate(string thinking) => Assert.Null(Reason(thinking));

    [Fact]
    public void A_dropped_step_a_changed_number_or_a_changed_answer_is_rejected()
    {
        Assert.Equal(Reasons.DroppedStep, Reason("7 + 8 = 15. 4 + 2 + 1 = 7. So 457 + 268 = 725.")); // the tens column is gone
        Assert.Equal(Reasons.DroppedStep, Reason("5 + 6 + 1 = 12, 7 + 8 = 15, 4 + 2 + 1 = 7, 457 + 268 = 725.")); // out of order
        Assert.Equal(Reasons.WrongStep, Reason(Faithful.Replace("5 + 6 + 1 = 12", "5 + 6 + 1 = 13", StringComparison.Ordinal)));
        Assert.Equal(Reasons.AnswerChanged, Reason(Faithful, "735"));
        Assert.Equal(Reasons.Format, RewriteCheck.Check(new TeacherSample("The answer is <answer>725</answer>", "stop"), Trace, new Rational(725), Rewards).Reason);
    }

    [Fact]
    public async Task A_run_keeps_good_rewrites_retries_bad_ones_and_falls_back_to_the_compiler_when_asked()
    {
        // "457 + 268": first a rewrite that drops a step, then a faithful one. "1 + 1": always a changed number.
        Task<System.Net.Http.HttpResponseMessage> Reply(string prompt, int asked, JsonObject body) => Task.FromResult(
            prompt.Contains("457 + 268", StringComparison.Ordinal)
                ? FakeTeacher.Same(body, FakeTeacher.Solution(asked == 0 ? "7 + 8 = 15, so 457 + 268 = 725." : Faithful, "725"))
                : FakeTeacher.Same(body, FakeTeacher.Solution("1 + 1 = 3", "2")));
        var traces = new[] { FakeTeacher.Problem("a", "457 + 268", "725", Trace), FakeTeacher.Problem("b", "1 + 1", "2", FakeTeacher.Solution("1+1=2", "2")) };
        var fake = new FakeTeacher(Reply);
        await using var teacher = await HttpTeacher.OpenAsync(["http://fake:1"], new HttpTeacherOptions { Backoff = TimeSpan.FromMilliseconds(1) }, _ => { }, fake);
        var path = Path.Combine(_dir, "prose.jsonl");
        var card = await Rewriter.RunAsync(new RewriteConfig { Teacher = ["http://fake:1"], In = "in.jsonl", Attempts = 2, Fallback = RewriteFallback.Compiler }, traces, teacher, path, _ => { });

        var rows = File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, rows.Count);
        Assert.True(rows[0]["rewritten"]!.GetValue<bool>());
        Assert.Contains("carry 1", rows[0]["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(rows[1]["rewritten"]!.GetValue<bool>());
        Assert.Equal(traces[1].Completion, rows[1]["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal(1, card["rejections"]!["dropped_step"]!.GetValue<long>());
        Assert.Equal(2, card["rejections"]!["wrong_step"]!.GetValue<long>());
        Assert.Equal(1, card["accepted"]!.GetValue<long>());
        Assert.All(DatasetReader.Read(path), r => Assert.Equal(0, StepChecker.Check(r.Completion).Wrong));
        Assert.Equal(3, File.ReadLines(Journal.RejectedPath(path)).Count());
        Assert.Contains("457 + 268", Rewriter.PromptFor(Rewriter.DefaultPrompt, traces[0]), StringComparison.Ordinal);
        Assert.DoesNotContain("<answer>725", Rewriter.PromptFor(Rewriter.DefaultPrompt, traces[0]), StringComparison.Ordinal);
    }
}
