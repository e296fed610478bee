// reasoner rewrite: a teacher turns each compiler trace into prose, and a rewrite is kept only when RewriteCheck
// finds the same answer, every claim right and no step of the trace dropped. A rejected rewrite is logged with its
// reason (OUT.rejected.jsonl) and a fresh one is asked, up to --attempts; then the problem is dropped or keeps the
// compiler's trace (--fallback). Resumable like distill, through the same Journal.
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;

namespace Reasoner.Distillation;

public static class Rewriter
{
    public const string Command = "rewrite";

    public const string DefaultPrompt = """
        Rewrite the worked solution below as clear, natural prose, the way a careful teacher explains each step.
        Rules:
        - Keep every calculation, in the same order, written as "a op b = c" with the same numbers, for example "7 + 8 + 1 = 16".
        - Do not skip, merge or change any calculation.
        - Keep the final answer: {answer}.
        - Reply with the explanation inside <think> and </think>, then the final answer inside <answer> and </answer>, and nothing else.

        Problem: {question}

        Worked solution:
        {trace}
        """;

    private sealed record Outcome(TeacherSample? Kept, int Attempts, List<(TeacherSample? Sample, string Reason, string Detail)> Rejected);

    public static async Task<JsonObject> RunAsync(RewriteConfig config, IReadOnlyList<DatasetRecord> traces, ITeacher teacher, string outPath, Action<RunProgress> report, CancellationToken cancellation = default)
    {
        var template = config.Prompt is { } file ? File.ReadAllText(file) : DefaultPrompt;
        if (!template.Contains("{trace}", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--prompt {config.Prompt}: the template has no {{trace}}; write where the compiler's trace goes");
        }

        var rewards = new MathRewards(VerifierOptions.Default);
        return await TeacherPass.RunAsync(
            Command, config, config.Concurrency, traces, teacher, outPath, report,
            trace => RewriteOne(trace, template, config, teacher, rewards, cancellation),
            outcome => (outcome.Rejected.Count == config.Attempts && outcome.Rejected.All(r => r.Reason == Reasons.RequestFailed), outcome.Rejected.LastOrDefault().Detail),
            (trace, outcome, journal, progress) => Commit(trace, outcome, config, teacher, journal, progress)).ConfigureAwait(false);
    }

    public static string PromptFor(string template, DatasetRecord trace) => template
        .Replace("{question}", trace.Prompt, StringComparison.Ordinal)
        .Replace("{answer}", trace.Answer, StringComparison.Ordinal)
        .Replace("{trace}", ThinkingOf(trace.Completion), StringComparison.Ordinal);

    /// <summary>The trace's working, without the template's tags (the rewrite writes its own).</summary>
    private static string ThinkingOf(string completion)
    {
        int open = completion.IndexOf(AnswerExtractor.ThinkOpen, StringComparison.Ordinal), close = completion.IndexOf(AnswerExtractor.ThinkClose, StringComparison.Ordinal);
        return open >= 0 && close > open ? completion[(open + AnswerExtractor.ThinkOpen.Length)..close].Trim() : completion.Trim();
    }

    private static async Task<Outcome> RewriteOne(DatasetRecord trace, string template, RewriteConfig config, ITeacher teacher, MathRewards rewards, CancellationToken cancellation)
    {
        var gold = MathRewards.ParseGold(trace.Answer);
        var rejected = new List<(TeacherSample?, string, string)>();
        long seed = Seeds.Mix(config.Seed, (long)Seeds.Hash(trace.Id)) & 0xFFFF_FFFF;
        for (int attempt = 0; attempt < config.Attempts; attempt++)
        {
            var reply = await teacher.SampleAsync(new TeacherRequest(null, PromptFor(template, trace), 1, config.Temperature, config.TopP, config.MaxTokens, seed + attempt), cancellation).ConfigureAwait(false);
            if (reply.Failure is { } failure || reply.Samples.Count == 0)
            {
                rejected.Add((null, reply.Failure ?? Reasons.RequestFailed, reply.Detail ?? "no sample"));
                continue;
            }

            var (reason, detail) = RewriteCheck.Check(reply.Samples[0], trace.Completion, gold, rewards);
            if (reason is null)
            {
                return new Outcome(reply.Samples[0], attempt + 1, rejected);
            }

            rejected.Add((reply.Samples[0], reason, detail));
        }

        return new Outcome(null, config.Attempts, rejected);
    }

    private static RunProgress Commit(DatasetRecord trace, Outcome outcome, RewriteConfig config, ITeacher teacher, Journal journal, RunProgress progress)
    {
        var rows = new List<JsonObject>();
        if (outcome.Kept is { } kept)
        {
            rows.Add(Row(trace, kept.Text, rewritten: true, teacher, outcome.Attempts));
        }
        else if (config.Fallback == RewriteFallback.Compiler)
        {
            rows.Add(Row(trace, trace.Completion, rewritten: false, teacher, outcome.Attempts));
        }

        var rejections = outcome.Rejected.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => g.Count());
        journal.Commit(
            trace.Id,
            rows,
            [.. outcome.Rejected.Select((r, i) => new JsonObject { ["attempt"] = i, ["reason"] = r.Reason, ["detail"] = r.Detail, ["text"] = r.Sample?.Text })],
            new JsonObject
            {
                ["difficulty"] = trace.Difficulty, ["tried"] = outcome.Attempts, ["correct"] = outcome.Kept is null ? 0 : 1, ["accepted"] = outcome.Kept is not null,
                ["fallback"] = outcome.Kept is null && rows.Count > 0,
                ["rejections"] = new JsonObject(rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
            });
        return progress.Add(outcome.Kept is not null, rows.Count, outcome.Attempts, outcome.Kept is null ? 0 : 1);
    }

    private static JsonObject Row(DatasetRecord trace, string completion, bool rewritten, ITeacher teacher, int attempts)
    {
        return new JsonObject
        {
            ["messages"] = Conversation.Messages(trace.System, trace.Prompt, completion), ["id"] = trace.Id, ["expression"] = trace.Expression, ["answer"] = trace.Answer, ["difficulty"] = trace.Difficulty,
            ["seed"] = trace.Seed, ["style"] = rewritten ? "rewrite" : trace.Style, ["rewritten"] = rewritten, ["teacher"] = rewritten ? teacher.Describe : null, ["attempts"] = attempts,
        };
    }
}
