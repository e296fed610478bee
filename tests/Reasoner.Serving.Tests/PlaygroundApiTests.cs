using System.Net;
using System.Text.Json.Nodes;
using Reasoner.Math.Verification;
using Reasoner.Model.Tokenization;
using Reasoner.Serving.Engine;

namespace Reasoner.Serving.Tests;

/// <summary>What the playground page calls beside the OpenAI API: claim checks, problems from presets, run folders; and the text a stream releases.</summary>
public sealed class PlaygroundApiTests
{
    [Fact]
    public async Task The_page_and_its_scripts_are_served_without_any_network_beyond_this_server()
    {
        await using var server = await InProcessServer.Start();
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/runs", "text/html"), ("/playground/app.js", "text/javascript"), ("/playground/style.css", "text/css"), ("/playground/runs.js", "text/javascript") })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/playground/../Reasoner.Serving.dll")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/playground/secret.txt")).StatusCode);
    }

    [Fact]
    public async Task Check_marks_each_complete_claim_with_its_span_and_leaves_a_growing_one_for_later()
    {
        await using var server = await InProcessServer.Start();
        const string Text = "<think>\n7+8+0=15\n5+6+1=13\n4+2";
        var (_, partial) = await server.Post("/reasoner/check", new { text = Text + "+1=7", expression = "457 + 268" });
        var claims = partial["claims"]!.AsArray();
        Assert.Equal(2, claims.Count); // "4+2+1=7" ends the text: its number may still grow
        Assert.Equal("7+8+0=15", Text[claims[0]!["start"]!.GetValue<int>()..claims[0]!["end"]!.GetValue<int>()]);
        Assert.True(claims[0]!["correct"]!.GetValue<bool>());
        Assert.False(claims[1]!["correct"]!.GetValue<bool>());
        Assert.Null(partial["answer"]);

        var full = Text + "+1=7\n</think>\n<answer>735</answer>";
        var (_, final) = await server.Post("/reasoner/check", new { text = full, expression = "457 + 268", final = true });
        Assert.Equal(3, final["claims"]!.AsArray().Count);
        Assert.Equal(StepChecker.Check(full).FirstWrong!.Text, final["first_wrong"]!.GetValue<string>());
        Assert.Equal("735", final["answer"]!["text"]!.GetValue<string>());
        Assert.Equal("725", final["answer"]!["expected"]!.GetValue<string>());
        Assert.False(final["answer"]!["correct"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_drawn_problem_is_held_out_and_its_answer_is_exact()
    {
        await using var server = await InProcessServer.Start();
        var presets = JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/presets"))!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains("add-upto-4d", presets);
        var problem = JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/problem?preset=div-4by2&seed=9"))!;
        Assert.Equal(problem.ToJsonString(), JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/problem?preset=div-4by2&seed=9"))!.ToJsonString());
        var expected = Reasoner.Math.Expressions.ExpressionEvaluator.Evaluate(Reasoner.Math.Expressions.ExpressionParser.Parse(problem["expression"]!.GetValue<string>()));
        Assert.Equal(expected, MathRewards.ParseGold(problem["answer"]!.GetValue<string>()));
        Assert.Equal(Reasoner.Math.Problems.Split.Test, new Reasoner.Math.Problems.SplitAssigner().Assign(problem["expression"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/reasoner/problem?preset=nope")).StatusCode);
    }

    [Theory]
    [InlineData("eq-4", "equations")]
    [InlineData("wp-3", "word-problems")]
    [InlineData("fr-3", "fractions")]
    [InlineData("eq-6", "equations")]
    public async Task Every_family_can_be_drawn_and_its_steps_are_marked(string preset, string family)
    {
        await using var server = await InProcessServer.Start();
        var presets = JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/presets"))!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains(preset, presets);
        var problem = JsonNode.Parse(await server.Client.GetStringAsync($"/reasoner/problem?preset={preset}&seed=4"))!;
        Assert.Equal(family, problem["family"]!.GetValue<string>());
        var row = Reasoner.Math.Families.ProblemFamilies.For(preset)
            .Generate(new Reasoner.Math.Data.GenerateConfig { Preset = preset, Count = 1, Seed = 4, Split = Reasoner.Math.Problems.Split.Test }, new Reasoner.Math.Problems.DrawStats()).Single();
        Assert.Equal(row.Prompt, problem["question"]!.GetValue<string>());

        // The row's own trace with its second checked step made wrong: the playground marks that step as the first wrong one
        // (an equation step after it is judged against it, so it may be marked too).
        var steps = StepChecker.Check(row.Completion);
        var second = steps.Claims[1];
        int equals = row.Completion.IndexOf('=', second.Offset);
        int right = row.Completion.IndexOf(second.Right, equals, StringComparison.Ordinal);
        var broken = row.Completion[..right] + "9" + row.Completion[right..];
        var (_, checkedText) = await server.Post("/reasoner/check", new { text = broken, answer = row.Answer, final = true });
        var claims = checkedText["claims"]!.AsArray();
        Assert.Equal(steps.Found, claims.Count);
        Assert.Equal(1, claims.Select((c, i) => (c, i)).First(p => !p.c!["correct"]!.GetValue<bool>()).i);
        Assert.Equal(second.Offset, claims[1]!["start"]!.GetValue<int>());
        Assert.True(checkedText["answer"]!["correct"]!.GetValue<bool>()); // the answer itself is still right
    }

    [Fact]
    public async Task A_typed_equation_is_judged_against_its_solution()
    {
        await using var server = await InProcessServer.Start();
        var (_, result) = await server.Post("/reasoner/check", new { text = "<think>\n2x + 1 = 7\n2x = 6\nx = 4\n</think>\n<answer>x = 4</answer>", expression = "2x + 1 = 7", final = true });
        Assert.Equal("x = 4", result["first_wrong"]!.GetValue<string>());
        Assert.Equal("3", result["answer"]!["expected"]!.GetValue<string>());
        Assert.False(result["answer"]!["correct"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Runs_are_listed_read_only_and_nothing_outside_them_can_be_read()
    {
        var root = Directory.CreateTempSubdirectory("reasoner-runs-").FullName;
        try
        {
            var run = Directory.CreateDirectory(Path.Combine(root, "demo", "cot")).FullName;
            File.WriteAllText(Path.Combine(run, "metrics.jsonl"), "{\"kind\":\"train\",\"step\":1,\"loss\":2.5}\n{\"kind\":\"eval\",\"step\":2,\"accuracy\":0.75}\n");
            File.WriteAllBytes(Path.Combine(run, "loss.png"), [0x89, 0x50, 0x4E, 0x47]);
            File.WriteAllText(Path.Combine(run, "eval.samples.jsonl"), "{\"id\":\"a\",\"completion\":\"<answer>3</answer>\",\"correct\":true}\n");
            File.WriteAllText(Path.Combine(root, "secret.png"), "not a run's");
            await using var server = await InProcessServer.Start(new ServeOptions { RunsRoot = root });
            var runs = JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/runs"))!.AsArray();
            Assert.Equal("demo/cot", Assert.Single(runs)!["name"]!.GetValue<string>());
            Assert.Equal(0.75, runs[0]!["last_metrics"]!["accuracy"]!.GetValue<double>());
            var detail = JsonNode.Parse(await server.Client.GetStringAsync("/reasoner/run?name=demo/cot"))!;
            Assert.Equal(["loss.png"], detail["plots"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.True(Assert.Single(detail["samples"]!.AsArray())!["correct"]!.GetValue<bool>());
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], await server.Client.GetByteArrayAsync("/reasoner/run/plot?name=demo/cot&file=loss.png"));
            foreach (var path in new[] { "/reasoner/run?name=..", "/reasoner/run?name=demo/../..", "/reasoner/run/plot?name=demo/cot&file=../../secret.png", "/reasoner/run/plot?name=demo/cot&file=metrics.jsonl", "/reasoner/run?name=demo" })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(path)).StatusCode);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "ab" }, "xxabyy", "xx", true)]
    [InlineData(new[] { "</think>" }, "1+1=2\n</think>\nrest", "1+1=2\n", true)]
    [InlineData(new string[0], "plain text", "plain text", false)]
    [InlineData(new[] { "zz" }, "a z b", "a z b", false)]
    public void A_choice_releases_text_only_once_no_stop_string_can_start_in_it(string[] stops, string output, string expected, bool stopped)
    {
        var text = new ChoiceText(new CharTokenizer(), stops);
        var released = new System.Text.StringBuilder();
        bool sawStop = false;
        foreach (var id in new CharTokenizer().Encode(output))
        {
            var (piece, stop) = text.Add(id);
            released.Append(piece);
            foreach (var s in stops)
            {
                Assert.DoesNotContain(s, released.ToString(), StringComparison.Ordinal);
            }

            if (stop)
            {
                sawStop = true;
                break;
            }
        }

        released.Append(text.Flush());
        Assert.Equal(expected, released.ToString());
        Assert.Equal(stopped, sawStop);
    }
}
