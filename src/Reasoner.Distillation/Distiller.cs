// reasoner distill: rejection sampling. Each problem asks the teacher for n samples; the verifier judges each one;
// the keep policy picks rows from those it accepts. Problems run `concurrency` at a time and are written in input
// order through the Journal, so the output of a run does not depend on timing, and a killed run resumes where it
// stopped. Rows are TRL's conversational shape with provenance: teacher, sampling, verdict, samples tried.
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Distillation.Teachers;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;

namespace Reasoner.Distillation;

public static class Distiller
{
    public const string Command = "distill";

    public static async Task<JsonObject> RunAsync(DistillConfig config, IReadOnlyList<DatasetRecord> problems, ITeacher teacher, string outPath, Action<RunProgress> report, CancellationToken cancellation = default)
    {
        var judge = new SampleJudge(new MathRewards(VerifierOptions.Default), config.RequireFormat, config.RequireSteps);
        return await TeacherPass.RunAsync(
            Command, config, config.Concurrency, problems, teacher, outPath, report,
            problem => teacher.SampleAsync(Request(config, problem), cancellation),
            reply => (reply.Failure == Reasons.RequestFailed, reply.Detail),
            (problem, reply, journal, progress) => Commit(problem, reply, config, teacher, judge, journal, progress)).ConfigureAwait(false);
    }

    /// <summary>The request for one problem; its seed depends only on the run's seed and the problem's id.</summary>
    public static TeacherRequest Request(DistillConfig config, DatasetRecord problem) => new(
        config.SystemPrompt == "r1" ? GenerateConfig.R1SystemPrompt : config.SystemPrompt ?? problem.System,
        problem.Prompt, config.Samples, config.Temperature, config.TopP, config.MaxTokens,
        Seeds.Mix(config.Seed, (long)Seeds.Hash(problem.Id)) & 0xFFFF_FFFF);

    private static RunProgress Commit(DatasetRecord problem, TeacherReply reply, DistillConfig config, ITeacher teacher, SampleJudge judge, Journal journal, RunProgress progress)
    {
        var request = Request(config, problem);
        var gold = MathRewards.ParseGold(problem.Answer);
        var rejections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rejected = new List<JsonObject>();
        if (reply.Failure is { } failure)
        {
            rejections[failure] = config.Samples;
            rejected.Add(new JsonObject { ["sample"] = null, ["reason"] = failure, ["detail"] = reply.Detail });
        }

        var verdicts = reply.Samples.Select(s => judge.Judge(s, gold)).ToList();
        for (int i = 0; i < verdicts.Count; i++)
        {
            if (verdicts[i].Reason is { } reason)
            {
                rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
                rejected.Add(new JsonObject { ["sample"] = i, ["reason"] = reason, ["detail"] = verdicts[i].Detail, ["text"] = reply.Samples[i].Text });
            }
        }

        if (reply.Failure is null && reply.Samples.Count < config.Samples)
        {
            rejections[Reasons.RequestFailed] = config.Samples - reply.Samples.Count; // a server that gave fewer samples than asked, even when asked again
        }

        var chosen = Choose(config.Keep, reply.Samples, verdicts, gold);
        if (chosen.Count == 0 && config.Keep == KeepPolicy.Consistent && verdicts.Any(v => v.Kept))
        {
            rejections[Reasons.Inconsistent] = 1;
        }

        var rows = chosen.Select(i => Row(problem, reply.Samples[i].Text, i, request, teacher, verdicts[i], reply.Samples.Count, verdicts.Count(v => v.Kept))).ToList();
        int accepted = verdicts.Count(v => v.Kept);
        journal.Commit(problem.Id, rows, rejected, new JsonObject
        {
            ["difficulty"] = problem.Difficulty, ["tried"] = config.Samples, ["correct"] = accepted, ["accepted"] = rows.Count > 0,
            ["rejections"] = new JsonObject(rejections.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
        });
        return progress.Add(rows.Count > 0, rows.Count, config.Samples, accepted);
    }

    /// <summary>Indices of the samples that become rows.</summary>
    public static List<int> Choose(KeepPolicy keep, IReadOnlyList<TeacherSample> samples, IReadOnlyList<SampleVerdict> verdicts, Math.Numbers.Rational gold)
    {
        var good = Enumerable.Range(0, samples.Count).Where(i => verdicts[i].Kept).ToList();
        if (good.Count == 0)
        {
            return [];
        }

        int shortest = good.OrderBy(i => samples[i].Text.Length).ThenBy(i => i).First();
        switch (keep)
        {
            case KeepPolicy.All:
                return good.DistinctBy(i => samples[i].Text).ToList();
            case KeepPolicy.One:
                return [good[0]];
            case KeepPolicy.Consistent:
                var votes = verdicts.Where(v => v.Extracted.Success).GroupBy(v => v.Extracted.Value).Select(g => (g.Key, Count: g.Count())).ToList();
                int most = votes.Max(v => v.Count);
                var leaders = votes.Where(v => v.Count == most).ToList();
                return leaders.Count == 1 && leaders[0].Key == gold ? [shortest] : [];
            default:
                return [shortest];
        }
    }

    private static JsonObject Row(DatasetRecord problem, string text, int index, TeacherRequest request, ITeacher teacher, SampleVerdict verdict, int tried, int accepted)
    {
        return new JsonObject
        {
            ["messages"] = Conversation.Messages(request.System, problem.Prompt, text),
            ["id"] = $"{problem.Id}#s{index}",
            ["expression"] = problem.Expression,
            ["answer"] = problem.Answer,
            ["difficulty"] = problem.Difficulty,
            ["seed"] = problem.Seed,
            ["teacher"] = teacher.Describe,
            ["sampling"] = new JsonObject { ["temperature"] = request.Temperature, ["top_p"] = request.TopP, ["max_tokens"] = request.MaxTokens, ["seed"] = request.Seed + index, ["n"] = request.N },
            ["verdict"] = verdict.ToJson(),
            ["samples_tried"] = tried,
            ["samples_accepted"] = accepted,
        };
    }
}
