using System.Text.Json;

namespace Reasoner.Math.Tests.Cli;

/// <summary>The `reasoner` command end to end, run as a separate process like a user would.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Trace_prints_the_chain_of_thought_and_answer()
    {
        var (code, output, _) = Run("trace", "(37+48)*12-5");
        Assert.Equal(0, code);
        Assert.Equal("<think>\n37 + 48 = 85\n85 * 12 = 1020\n1020 - 5 = 1015\n</think>\n<answer>1015</answer>\n", output);
    }

    [Fact]
    public void Trace_points_at_the_error_in_a_malformed_expression()
    {
        var (code, _, error) = Run("trace", "(3+4))*2");
        Assert.Equal(2, code);
        Assert.Contains("error: expression:1:6: unexpected ')': no '(' is open", error);
        Assert.Contains("\n       ^", error);
    }

    [Fact]
    public void Generate_then_verify_succeeds_and_a_tampered_file_fails()
    {
        var path = Path.Combine(_dir, "train.jsonl");
        var (code, output, _) = Run("generate", "--preset", "level-5,mul-3x2", "--count", "300", "--style", "digit", "--seed", "3", "--out", path, "--json");
        Assert.Equal(0, code);
        Assert.Equal(300, JsonDocument.Parse(output).RootElement.GetProperty("count").GetInt64());
        Assert.True(File.Exists(Path.Combine(_dir, "train.card.json")));

        (code, output, _) = Run("verify", path, "--json");
        Assert.Equal(0, code);
        Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetProperty("failed").GetInt64());

        // Change one digit of one step: verification must catch it and exit non-zero.
        var lines = File.ReadAllLines(path);
        var firstClaim = new System.Text.RegularExpressions.Regex(@"= (\d)", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        lines[7] = firstClaim.Replace(lines[7], m => "= " + (char)('0' + ((m.Groups[1].Value[0] - '0' + 1) % 10)), 1);
        File.WriteAllLines(path, lines);
        (code, output, _) = Run("verify", path);
        Assert.Equal(1, code);
        Assert.Contains("299/300 rows verify, 1 fail", output);
    }

    [Fact]
    public void Check_scores_a_completion_from_stdin_as_json()
    {
        const string completion = "<think>\n37 + 48 = 85\n85 * 12 = 1021\n</think>\n<answer>1015</answer>";
        var (code, output, _) = Run(["check", "--answer", "1015", "--json"], completion);
        Assert.Equal(1, code); // the answer is right, but a step is wrong: the completion is wrong, as verify would say
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1.0, json.GetProperty("accuracy").GetDouble());
        Assert.Equal(1.0, json.GetProperty("format").GetDouble());
        Assert.Equal(2, json.GetProperty("steps_found").GetInt32());
        Assert.Equal(1, json.GetProperty("steps_correct").GetInt32());
        Assert.Equal("85 * 12 = 1021", json.GetProperty("first_wrong_step").GetString());
        Assert.Equal(1.3, json.GetProperty("total").GetDouble()); // 1 + 0.2 + 0.2 * 0.5, printed as 1.3, not 1.3000000000000003
    }

    [Theory]
    [InlineData("<think>\n37 + 48 = 85\n85 * 12 = 1020\n1020 - 5 = 1015\n</think>\n<answer>1015</answer>", 0)]
    [InlineData("<think>\n37 + 48 = 85\n85 * 12 = 1020\n</think>\n<answer>1020</answer>", 1)]
    [InlineData("no answer at all", 1)]
    public void Check_exits_0_for_a_right_completion_and_1_for_a_wrong_one(string completion, int expected)
    {
        Assert.Equal(expected, Run(["check", "--answer", "1015"], completion).Code);
        Assert.Equal(2, Run(["check", "--answer", "ten"], completion).Code);
        Assert.Equal(2, Run(["check", "--answer", "1015", "--file", Path.Combine(_dir, "missing.txt")]).Code);
    }

    [Fact]
    public void Json_output_writes_characters_as_they_are()
    {
        var (_, output, _) = Run(["check", "--answer", "13", "--json"], "<think>\n5+6+1=12\n5+6+2=14\n</think>\n<answer>13</answer>");
        Assert.Contains("\"first_wrong_step\":\"5+6+2 = 14\"", output, StringComparison.Ordinal); // not 5\u002B6\u002B2
        var data = Path.Combine(_dir, "rows.jsonl");
        Assert.Equal(0, Run("generate", "--preset", "level-1", "--count", "3", "--out", data).Code);
        Assert.Contains("<think>", File.ReadAllText(data), StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", File.ReadAllText(Reasoner.Math.Data.DatasetCard.PathFor(data)), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_get_a_clear_error()
    {
        var (code, _, error) = Run("generate", "--preset", "nope", "--out", Path.Combine(_dir, "x.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("unknown preset 'nope'", error);
        (code, _, error) = Run("generate", "--style", "poetry", "--out", Path.Combine(_dir, "x.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("--style: 'poetry' is not one of node, digit, prose", error);
        (code, _, error) = Run(["check", "--answer", "5", "--rewards", "accuracy,cookies"], "<answer>5</answer>");
        Assert.Equal(2, code);
        Assert.Contains("unknown reward 'cookies'", error);
    }

    [Fact]
    public void Verify_names_the_line_of_a_malformed_dataset()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(path, "{\"prompt\":\"1+1\",\"completion\":\"<think></think><answer>2</answer>\",\"answer\":\"2\"}\n{oops\n");
        var (code, _, error) = Run("verify", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:2: not valid JSON (column 2: ", error);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal); // the parser's 0-based internals contradicted ":2"
    }

    [Fact]
    public void A_misspelled_flag_is_one_error_with_its_likely_meaning_and_a_pointer_to_help_exit_2()
    {
        var (code, output, error) = Run("generate", "--preset", "level-1", "--cuont", "10", "--out", Path.Combine(_dir, "x.jsonl"));
        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: unknown option '--cuont'; did you mean --count?", lines[0]);
        Assert.Equal("Run 'reasoner generate --help' for the options.", lines[^1]);
        Assert.Equal(2, lines.Length); // not also "'10' was not matched", and no page of help
        Assert.Empty(output);
        (code, _, error) = Run("generate", "--preset", "level-1");
        Assert.Equal(2, code); // a missing required flag is a usage error too
        Assert.StartsWith("error: Option '--out' is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_path_that_does_not_exist_is_named_as_missing()
    {
        var (code, _, error) = Run("eval", "--model", Path.Combine(_dir, "no-such-model"), "--data", Path.Combine(_dir, "x.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("no-such-model does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_refuses_a_gold_answer_that_is_not_a_number()
    {
        var (code, output, error) = Run(["check", "--answer", "abc"], "<think></think><answer>1</answer>");
        Assert.Equal(2, code);
        Assert.Contains("--answer: gold answer 'abc' is not an exact number", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Verify_refuses_a_row_whose_gold_answer_does_not_parse_and_names_the_line()
    {
        var path = Path.Combine(_dir, "gold.jsonl");
        File.WriteAllText(path, "{\"prompt\":\"1+1\",\"completion\":\"<think></think><answer>2</answer>\",\"answer\":\"2\"}\n{\"prompt\":\"2+2\",\"completion\":\"<think></think><answer>4</answer>\",\"answer\":\"four\"}\n");
        var (code, _, error) = Run("verify", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:2: gold answer: 'four' is not a number", error);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => ReasonerProcess.Run(args);

    private static (int Code, string Output, string Error) Run(string[] args, string? stdin) => ReasonerProcess.Run(args, stdin);
}
