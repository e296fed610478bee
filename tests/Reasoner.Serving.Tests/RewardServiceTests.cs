using System.Diagnostics;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;
using Reasoner.Math.Tests;
using Reasoner.Math.Verification;

namespace Reasoner.Serving.Tests;

/// <summary>
/// POST /v1/rewards, the verifier as a reward service: TRL's shape (one list per reward function, None where it does not
/// apply, the weighted total), the same RewardSet GRPO trains with for every family, and refusals that name the field.
/// The Python client (python/reasoner_rewards.py) is driven in TRL's and verl's exact call shapes against a real
/// `reasoner serve --rewards` process; without python3 that test is skipped, unless REASONER_LIVE_ORACLES=1 (.ci/run).
/// </summary>
public sealed class RewardServiceTests
{
    private const string Key = "sk-reasoner-test-0123456789";
    private const string Right = "<think>\n12 * 8 = 96\n96 - 5 = 91\n</think>\n<answer>91</answer>";
    private const string WrongStep = "<think>\n12 * 8 = 96\n96 - 5 = 90\n</think>\n<answer>90</answer>";

    [Fact]
    public async Task Rewards_come_back_per_function_with_null_where_one_does_not_apply_and_the_weighted_total()
    {
        await using var server = await InProcessServer.StartRewardsOnly();
        var (status, body) = await server.Post("/v1/rewards", new
        {
            completions = new object[] { Right, WrongStep, "The answer is 91.", new[] { new { role = "assistant", content = Right } } },
            answer = new object[] { "91", "91", "91", 91 },
            reward_funcs = new[] { "accuracy", "format", "steps" },
            reward_weights = new[] { 1.0, 0.1, 0.5 },
            details = true,
        });
        Assert.Equal(200, status);
        Assert.Equal("rewards", body["object"]!.GetValue<string>());
        double?[] Values(string name) => body["rewards"]![name]!.AsArray().Select(v => v?.GetValue<double>()).ToArray();
        Assert.Equal([1.0, 0.0, 1.0, 1.0], Values("accuracy"));
        Assert.Equal([1.0, 1.0, 0.0, 1.0], Values("format"));
        Assert.Equal([1.0, 0.5, null, 1.0], Values("steps")); // the third makes no claim: steps does not apply
        Assert.Equal([1.6, 0.35, 1.0, 1.6], body["total"]!.AsArray().Select(v => System.Math.Round(v!.GetValue<double>(), 12)));
        Assert.Equal("96 - 5 = 90", body["details"]![1]!["first_wrong_step"]!.GetValue<string>());
        Assert.Equal("90", body["details"]![1]!["extracted_answer"]!.GetValue<string>());

        // The default set is GRPO's, accuracy:1,format:0.1; "name:weight" text works as in `reasoner grpo --rewards`.
        var (_, defaults) = await server.Post("/v1/rewards", new { completions = new[] { Right }, answer = new[] { "91" } });
        Assert.Equal(["accuracy", "format"], defaults["reward_funcs"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1.1, defaults["total"]![0]!.GetValue<double>(), 12);
        var (_, text) = await server.Post("/v1/rewards", new { completions = new[] { WrongStep }, answer = new[] { "91" }, reward_funcs = "steps:2" });
        Assert.Equal(1.0, text["total"]![0]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task Every_family_is_judged_as_grpo_judges_it_and_its_gold_traces_score_full_marks()
    {
        await using var server = await InProcessServer.StartRewardsOnly();
        var set = RewardSet.Parse("accuracy:1,format:0.1,steps:0.1", VerifierOptions.Default);
        foreach (var preset in new[] { "level-3", "eq-2", "eq-6", "fr-3", "pct-2", "wp-3" })
        {
            var rows = ProblemFamilies.For(preset).Generate(new GenerateConfig { Preset = preset, Count = 8, Seed = 21 }, new DrawStats()).ToList();
            var (status, body) = await server.Post("/v1/rewards", new { completions = rows.Select(r => r.Completion), answer = rows.Select(r => r.Answer), reward_funcs = "accuracy:1,format:0.1,steps:0.1" });
            Assert.Equal(200, status);
            var totals = body["total"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
            Assert.Equal(rows.Select(r => set.Score(RewardInput.ForAnswer(r.Completion, r.Answer)).Total), totals);
            Assert.All(totals, t => Assert.Equal(1.2, t, 12));

            // The same completions against another row's gold answer: accuracy 0, as GRPO would score them.
            var shifted = rows.Skip(1).Append(rows[0]).Select(r => r.Answer).ToList();
            var (_, wrong) = await server.Post("/v1/rewards", new { completions = rows.Select(r => r.Completion), answer = shifted, reward_funcs = new[] { "accuracy" } });
            Assert.Equal(rows.Select((r, i) => set.Score(RewardInput.ForAnswer(r.Completion, shifted[i])).Values["accuracy"]), wrong["rewards"]!["accuracy"]!.AsArray().Select(v => v?.GetValue<double>()));
        }
    }

    [Theory]
    [InlineData("""{"completions":["a"],"answer":["seven"]}""", 400, "answer[0]")]
    [InlineData("""{"completions":["a","b"],"answer":["7"]}""", 400, "answer")]
    [InlineData("""{"answer":["7"]}""", 400, "completions")]
    [InlineData("""{"completions":["a"],"answer":["7"],"reward_funcs":["acc"]}""", 400, "reward_funcs")]
    [InlineData("""{"completions":["a"],"answer":["7"],"reward_funcs":["accuracy"],"reward_weights":[1,2]}""", 400, "reward_weights")]
    [InlineData("""{"completions":["a"],"answer":["7"],"reward_weights":[1]}""", 400, "reward_weights")]
    [InlineData("""{"completions":[3],"answer":["7"]}""", 400, "completions[0]")]
    [InlineData("""{"completions":["a","b","c"],"answer":["1","2","3"]}""", 413, "completions")]
    public async Task A_bad_request_is_refused_naming_the_field(string json, int expected, string param)
    {
        await using var server = await InProcessServer.StartRewardsOnly(new ServeOptions { MaxRewardBatch = 2 });
        var (status, body) = await server.PostRaw("/v1/rewards", json);
        Assert.Equal(expected, status);
        Assert.Equal(param, body["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_key_the_reward_service_refuses_callers_without_it_and_serve_needs_a_model_or_rewards()
    {
        await using var server = await InProcessServer.StartRewardsOnly(new ServeOptions { ApiKey = Key });
        var (status, _) = await server.Post("/v1/rewards", new { completions = new[] { Right }, answer = new[] { "91" } });
        Assert.Equal(401, status);
        Assert.Contains("--rewards", Assert.Throws<ArgumentException>(() => new ServeOptions().Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("drop --model", Assert.Throws<ArgumentException>(() => new ServeOptions { RewardsOnly = true, Models = ["m"] }.Validate()).Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void The_python_client_serves_trl_and_verl_in_their_own_call_shapes()
    {
        bool python = Which("python3");
        Assert.False(!python && Oracles.Live, "python3 is missing (.ci/run installs it)");
        Skip.If(!python, "no python3 on this machine: the Python client's test needs it (.ci/run has it)");

        using var server = ServeProcess.Start("--rewards", "--api-key", Key);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(RepoPaths.Root, "tests", "python", "trl_verl_shapes.py"), server.Address, Key })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the Python client did not finish");
        Assert.True(process.ExitCode == 0, $"trl_verl_shapes.py failed: {error.Result}\n{output.Result}\nserver:\n{server.Output}");
        var seen = JsonNode.Parse(output.Result)!;
        Assert.Equal([1.0, 0.0, 1.0, 1.0], seen["trl"]!["accuracy"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(1.1, seen["verl"]!["score"]!.GetValue<double>(), 12);
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
