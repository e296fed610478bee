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
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1.0, json.GetProperty("accuracy").GetDouble());
        Assert.Equal(1.0, json.GetProperty("format").GetDouble());
        Assert.Equal(2, json.GetProperty("steps_found").GetInt32());
        Assert.Equal(1, json.GetProperty("steps_correct").GetInt32());
        Assert.Equal("85 * 12 = 1021", json.GetProperty("first_wrong_step").GetString());
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
        Assert.Contains($"{path}:2: not valid JSON", error);
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
