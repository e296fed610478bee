// POST /v1/rewards: the verifier as a reward service, for trainers that run elsewhere (TRL, verl; python/reasoner_rewards.py
// is the client). A batch of completions with their gold answers in, each reward function's values and the weighted
// total out, TRL's way: a function that does not apply gives null, and the total is the weighted sum of the values
// that are not null (null when none is). The same RewardSet that `reasoner grpo` trains with judges every family.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reasoner.Math.Verification;

namespace Reasoner.Serving.Api;

public static class RewardEndpoint
{
    public const string Path = "/v1/rewards";

    /// <summary>What `reasoner grpo` uses by default.</summary>
    public const string DefaultRewards = "accuracy:1,format:0.1";

    public static void Map(WebApplication app, ServerState state) =>
        app.MapPost(Path, async (HttpContext context) =>
        {
            var body = await RequestBody.ReadObject(context, state.Options.MaxBodyBytes).ConfigureAwait(false);
            var reply = Score(body, state.Options.MaxRewardBatch);
            return Results.Text(reply.ToJsonString(ServingJson.Options), "application/json");
        });

    /// <summary>Scores one request body; every mistake in it is a 400 that names the field (and the row).</summary>
    public static JsonObject Score(JsonObject body, int maxBatch)
    {
        var completions = Texts(body, "completions");
        var answers = Texts(body, "answer");
        if (completions.Count != answers.Count)
        {
            throw ApiException.BadRequest($"'completions' has {completions.Count} items and 'answer' has {answers.Count}: give one gold answer per completion (TRL repeats a prompt's answer for each of its generations)", "answer");
        }

        if (completions.Count > maxBatch)
        {
            throw new ApiException(413, $"{completions.Count} completions in one request; the most is {maxBatch} (--max-reward-batch): split the batch", "completions", "request_too_large");
        }

        var prompts = body["prompts"] is null ? null : Texts(body, "prompts");
        if (prompts is not null && prompts.Count != completions.Count)
        {
            throw ApiException.BadRequest($"'prompts' has {prompts.Count} items for {completions.Count} completions", "prompts");
        }

        for (int i = 0; i < answers.Count; i++)
        {
            if (!MathRewards.IsGold(answers[i], out var error))
            {
                throw ApiException.BadRequest($"answer[{i}] '{answers[i]}' is not an exact number ({error}) or a system's solution ('x = 3, y = 2'); write it as 1015, -3/4 or 12.875", $"answer[{i}]");
            }
        }

        var set = RewardSpec(body);
        bool details = body["details"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;
        var values = set.Rewards.ToDictionary(r => r.Name, _ => new JsonArray());
        var totals = new JsonArray();
        var detail = new JsonArray();
        for (int i = 0; i < completions.Count; i++)
        {
            var input = RewardInput.ForAnswer(completions[i], answers[i], prompts?[i] ?? string.Empty);
            var score = set.Score(input);
            foreach (var reward in set.Rewards)
            {
                values[reward.Name].Add(score.Values[reward.Name] is { } v ? JsonValue.Create(v) : null);
            }

            totals.Add(score.Values.Values.Any(v => v is not null) ? JsonValue.Create(score.Total) : null);
            if (details)
            {
                detail.Add(Detail(completions[i]));
            }
        }

        var reply = new JsonObject
        {
            ["object"] = "rewards",
            ["reward_funcs"] = new JsonArray(set.Rewards.Select(r => (JsonNode)JsonValue.Create(r.Name)).ToArray()),
            ["reward_weights"] = new JsonArray(set.Rewards.Select(r => (JsonNode)JsonValue.Create(r.Weight)).ToArray()),
            ["rewards"] = new JsonObject(values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["total"] = totals,
        };
        if (details)
        {
            reply["details"] = detail;
        }

        return reply;
    }

    /// <summary>reward_funcs (names, or "name:weight" text) and reward_weights, as TRL's GRPOConfig spells them.</summary>
    private static RewardSet RewardSpec(JsonObject body)
    {
        string spec = DefaultRewards;
        if (body["reward_funcs"] is JsonNode funcs)
        {
            var names = funcs is JsonValue text && text.TryGetValue<string>(out var s) ? s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList()
                : funcs is JsonArray list && list.All(n => n is JsonValue v && v.TryGetValue<string>(out _)) ? list.Select(n => n!.GetValue<string>()).ToList()
                : throw ApiException.BadRequest("'reward_funcs' must be a list of names (accuracy, format, steps, length) or 'name:weight,...' text", "reward_funcs");
            if (body["reward_weights"] is JsonNode weightsNode)
            {
                if (weightsNode is not JsonArray weights || weights.Count != names.Count || !weights.All(w => w is JsonValue v && v.TryGetValue<double>(out _)))
                {
                    throw ApiException.BadRequest($"'reward_weights' must be a list of {names.Count} numbers, one per reward function", "reward_weights");
                }

                if (names.Any(n => n.Contains(':', StringComparison.Ordinal)))
                {
                    throw ApiException.BadRequest("give weights either in 'reward_funcs' as name:weight or in 'reward_weights', not both", "reward_weights");
                }

                names = names.Select((n, i) => FormattableString.Invariant($"{n}:{weights[i]!.GetValue<double>():R}")).ToList();
            }

            spec = string.Join(',', names);
        }
        else if (body["reward_weights"] is not null)
        {
            throw ApiException.BadRequest("'reward_weights' needs 'reward_funcs' to say which functions they weigh", "reward_weights");
        }

        try
        {
            return RewardSet.Parse(spec, VerifierOptions.Default);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest(e.Message, "reward_funcs");
        }
    }

    /// <summary>A list of strings; a conversational completion (TRL's list of messages) becomes its assistant text.</summary>
    private static List<string> Texts(JsonObject body, string field)
    {
        if (body[field] is not JsonArray items)
        {
            throw ApiException.BadRequest($"'{field}' is required: a list with one item per completion", field);
        }

        return items.Select((item, i) => item switch
        {
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            JsonValue v when field == "answer" && v.TryGetValue<double>(out _) => v.ToJsonString(), // a number as the gold answer
            JsonArray messages when field != "answer" => string.Concat(messages.Select(m => m is JsonObject o && o["content"] is JsonValue c && c.TryGetValue<string>(out var t)
                && (field == "prompts" || o["role"]?.GetValue<string>() is null or "assistant") ? t : string.Empty)),
            _ => throw ApiException.BadRequest($"{field}[{i}] must be a string{(field == "answer" ? " or a number" : " or a list of chat messages")}", $"{field}[{i}]"),
        }).ToList();
    }

    private static JsonObject Detail(string completion)
    {
        var extracted = AnswerExtractor.Extract(completion, VerifierOptions.Default);
        var solution = extracted.Success ? null : AnswerExtractor.ExtractSolution(completion, VerifierOptions.Default).Solution; // a system's "x = 3, y = 2"
        var steps = StepChecker.Check(completion, VerifierOptions.Default);
        return new JsonObject
        {
            ["extracted_answer"] = extracted.Success ? extracted.Text : solution is null ? null : string.Join(", ", solution.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} = {kv.Value}")),
            ["answer_error"] = extracted.Success || solution is not null ? null : extracted.Error,
            ["steps_found"] = steps.Found,
            ["steps_wrong"] = steps.Wrong,
            ["first_wrong_step"] = steps.FirstWrong?.Text,
        };
    }
}
