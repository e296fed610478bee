using System.Diagnostics;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Tests;

namespace Reasoner.Serving.Tests.Distillation;

/// <summary>
/// distill and rewrite as a user runs them: `reasoner serve` is the teacher, `reasoner distill` and `reasoner rewrite`
/// are separate processes, and `reasoner verify` re-checks what they kept. The served model has learned three answers
/// by heart, one of them wrong (5 + 5 = 11), so the verifier has something to reject.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DistillProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-distill-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Problems(int copies)
    {
        var path = Path.Combine(_dir, "problems.jsonl");
        var answers = new Dictionary<string, string> { ["3 + 4"] = "7", ["12 + 7"] = "19", ["5 + 5"] = "10" };
        File.WriteAllLines(path, Enumerable.Range(0, copies).SelectMany(i => TestModels.Taught.Select((t, j) => new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = t.Question }),
            ["id"] = $"q{i}-{j}", ["expression"] = t.Question, ["answer"] = answers[t.Question], ["difficulty"] = $"taught-{j}",
        }.ToJsonString())));
        return path;
    }

    [Fact]
    public void Distill_and_rewrite_against_a_served_teacher_keep_only_verified_rows()
    {
        using var server = ServeProcess.Start("--model", $"teacher={TestModels.TaughtPath}");
        var data = Problems(2);
        var output = Path.Combine(_dir, "distilled.jsonl");
        var (code, stdout, stderr) = ReasonerProcess.Run(["distill", "--teacher", server.Address, "--data", data, "--samples", "2", "--temperature", "0", "--max-tokens", "64", "--out", output]);
        Assert.True(code == 0, stderr);
        Assert.Contains("4 of 6 problems accepted", stdout, StringComparison.Ordinal);

        var rows = DatasetReader.Read(output).ToList();
        Assert.Equal(["q0-0#s0", "q0-1#s0", "q1-0#s0", "q1-1#s0"], rows.Select(r => r.Id));
        Assert.Equal(TestModels.Taught[0].Completion, rows[0].Completion);
        var verify = ReasonerProcess.Run(["verify", output]);
        Assert.True(verify.Code == 0, verify.Output + verify.Error);
        var card = JsonNode.Parse(File.ReadAllText(DatasetCard.PathFor(output)))!;
        Assert.Equal(4, card["rejections"]!["wrong_answer"]!.GetValue<long>()); // 5 + 5 = 11, twice, two samples each
        Assert.Equal(0.0, card["by_difficulty"]!["taught-2"]!["acceptance_rate"]!.GetValue<double>());

        // The served model cannot rewrite anything: every rewrite is rejected by reason, and the compiler's traces stay.
        var traces = Path.Combine(_dir, "traces.jsonl");
        Assert.Equal(0, ReasonerProcess.Run(["generate", "--preset", "level-1", "--count", "3", "--style", "digit", "--out", traces]).Code);
        var prompt = Path.Combine(_dir, "prompt.txt");
        File.WriteAllText(prompt, "{question}\n{trace}");
        var prose = Path.Combine(_dir, "prose.jsonl");
        (code, stdout, stderr) = ReasonerProcess.Run(["rewrite", "--teacher", server.Address, "--in", traces, "--prompt", prompt, "--attempts", "2", "--fallback", "compiler", "--max-tokens", "64", "--out", prose]);
        Assert.True(code == 0, stderr);
        Assert.Equal(3, File.ReadLines(prose).Count());
        Assert.Equal(0, ReasonerProcess.Run(["verify", prose]).Code);
        var rewriteCard = JsonNode.Parse(File.ReadAllText(DatasetCard.PathFor(prose)))!;
        Assert.Equal(6, rewriteCard["rejections"]!.AsObject().Sum(r => r.Value!.GetValue<long>()));
        Assert.Equal(6, File.ReadLines(Path.Combine(_dir, "prose.rejected.jsonl")).Count());
    }

    [Fact]
    public void A_distill_killed_with_sigkill_resumes_with_no_row_lost_or_duplicated()
    {
        using var server = ServeProcess.Start("--model", $"teacher={TestModels.TaughtPath}");
        var data = Problems(60);
        string[] Args(string output) => ["distill", "--teacher", server.Address, "--data", data, "--samples", "4", "--temperature", "0.7", "--max-tokens", "48", "--concurrency", "1", "--out", output];
        var whole = Path.Combine(_dir, "whole.jsonl");
        Assert.Equal(0, ReasonerProcess.Run(Args(whole)).Code);

        var killed = Path.Combine(_dir, "killed.jsonl");
        using (var process = ReasonerProcess.Start(Args(killed)))
        {
            var progress = Path.Combine(_dir, "killed.progress.jsonl");
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && (!File.Exists(progress) || File.ReadAllLines(progress).Length < 10) && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(5);
            }

            process.Kill(); // SIGKILL
            process.WaitForExit();
            Assert.True(File.ReadAllLines(progress).Length < 180, "the run finished before it could be killed; make it longer");
        }

        var (code, _, stderr) = ReasonerProcess.Run(Args(killed));
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(killed));
        var ids = File.ReadLines(Path.Combine(_dir, "killed.progress.jsonl")).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(180, ids.Count);
        Assert.Equal(180, ids.Distinct().Count());
    }
}
