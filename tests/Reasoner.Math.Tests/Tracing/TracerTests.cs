using System.Text;
using Reasoner.Math.Expressions;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Tracing;

public sealed class TracerTests
{
    private static readonly string[] SnapshotExpressions =
    [
        "(37 + 48) * 12 - 5",
        "457 + 68",
        "68 - 457",
        "-457 + 68",
        "-45 - 38",
        "3 - -5",
        "457 * 68",
        "-12 * 7",
        "457 / 6",
        "12 / 8",
        "1 / 3",
        "7 / 40",
        "-7 // 2",
        "17 % 5",
        "-17 % 5",
        "12.375 + 0.5",
        "1.25 * -2",
        "12.5 / 0.25",
        "3/4 + 5/6",
        "(3/4) / (5/6)",
        "(3/4) * (2/3)",
        "2^5",
        "(-3)^3",
        "2^-3",
        "7",
    ];

    [Theory]
    [InlineData(TraceStyle.Node)]
    [InlineData(TraceStyle.Digit)]
    [InlineData(TraceStyle.Prose)]
    public void Traces_match_their_snapshots(TraceStyle style)
    {
        var options = new TraceOptions { Style = style };
        var text = new StringBuilder();
        foreach (var expression in SnapshotExpressions)
        {
            var trace = StepTracer.Trace(ExpressionParser.Parse(expression), options, new Random(3));
            text.Append("## ").Append(expression).Append('\n').Append(CompletionFormatter.Format(trace, options)).Append("\n\n");
        }

        Snapshot.Match($"trace-{style.ToString().ToLowerInvariant()}", text.ToString());
    }

    [Fact]
    public void Node_style_writes_one_line_per_operator_in_evaluation_order()
    {
        var trace = StepTracer.Trace(ExpressionParser.Parse("(37+48)*12-5"), new TraceOptions());
        Assert.Equal(["37 + 48 = 85", "85 * 12 = 1020", "1020 - 5 = 1015"], trace.Lines.Select(l => l.Text));
        Assert.Equal("1015", trace.Answer);
    }

    [Theory]
    [InlineData(TraceStyle.Node)]
    [InlineData(TraceStyle.Digit)]
    [InlineData(TraceStyle.Prose)]
    public void Every_claim_the_tracer_writes_is_found_and_confirmed_by_the_step_checker(TraceStyle style)
    {
        foreach (var expression in SnapshotExpressions)
        {
            var options = new TraceOptions { Style = style, FinalCheck = true };
            var trace = StepTracer.Trace(ExpressionParser.Parse(expression), options);
            var completion = CompletionFormatter.Format(trace, options);
            var report = StepChecker.Check(completion);
            int written = trace.Lines.Count(l => l.HasClaim);
            Assert.True(report.Found >= written, $"{expression}: checker found {report.Found} claims, tracer wrote at least {written}");
            Assert.Equal(0, report.Wrong);
            Assert.Equal(0, report.Retracted);
        }
    }

    [Fact]
    public void Reflection_writes_a_mistake_and_its_correction_which_the_checker_counts_as_retracted()
    {
        var options = new TraceOptions { Style = TraceStyle.Node, ReflectionRate = 1.0 };
        var trace = StepTracer.Trace(ExpressionParser.Parse("(37+48)*12-5"), options, new Random(5));
        var completion = CompletionFormatter.Format(trace, options);
        Assert.Equal(3, trace.Reflections);
        Assert.Contains("wait, that is wrong: 37 + 48 = 85, not", completion);

        var report = StepChecker.Check(completion);
        Assert.Equal(3, report.Retracted);
        Assert.Equal(0, report.Wrong);
        Assert.Equal(1.0, report.Validity);
        Assert.Equal(1.0, new MathRewards(VerifierOptions.Default).Accuracy(RewardInput.ForAnswer(completion, "1015")));
    }

    [Fact]
    public void A_wrong_step_without_a_correction_is_counted_as_wrong()
    {
        var report = StepChecker.Check("<think>\n37 + 48 = 84\n84 * 12 = 1008\n</think>\n<answer>1003</answer>");
        Assert.Equal(1, report.Wrong);
        Assert.Equal("37 + 48 = 84", report.FirstWrong!.Text);
        Assert.Equal(2, report.FirstWrong.Line);
    }

    [Fact]
    public void Final_check_ends_with_the_inverse_of_the_last_operation()
    {
        var trace = StepTracer.Trace(ExpressionParser.Parse("(37+48)*12-5"), new TraceOptions { FinalCheck = true });
        Assert.Equal("check: 1015 + 5 = 1020", trace.Lines[^1].Text);
    }

    [Fact]
    public void Answer_markers_follow_the_options()
    {
        var options = new TraceOptions { Boxed = true, Hashes = true };
        var completion = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("19/12"), options), options);
        Assert.EndsWith("</think>\n#### 19/12\n<answer>\\boxed{19/12}</answer>", completion);
        Assert.True(FormatChecker.IsWellFormed(completion, VerifierOptions.Default, out var reason), reason);
    }

    [Fact]
    public void Padded_terse_digit_style_keeps_only_the_claims_at_fixed_width()
    {
        var options = new TraceOptions { Style = TraceStyle.Digit, PadWidth = 3, Terse = true };
        Assert.Equal(
            ["step 1: 457 + 68", "457 + 068", "7 + 8 + 0 = 15", "5 + 6 + 1 = 12", "4 + 0 + 1 = 5", "457 + 68 = 525"],
            StepTracer.Trace(ExpressionParser.Parse("457 + 68"), options).Lines.Select(l => l.Text));
        Assert.Equal(
            ["step 1: 68 - 457", "68 - 457 = -(457 - 68)", "457 - 068", "17 - 8 - 0 = 9", "15 - 6 - 1 = 8", "4 - 0 - 1 = 3", "68 - 457 = -389"],
            StepTracer.Trace(ExpressionParser.Parse("68 - 457"), options).Lines.Select(l => l.Text));
        Assert.Equal(
            ["step 1: 47 * 86", "86 * 47", "digit 7 of 47, times 1:", "6 * 7 + 0 = 42", "8 * 7 + 4 = 60", "86 * 7 = 602", "digit 4 of 47, times 10:",
             "6 * 4 + 0 = 24", "8 * 4 + 2 = 34", "86 * 4 = 344", "344 * 10 = 3440", "0602 + 3440", "2 + 0 + 0 = 2", "0 + 4 + 0 = 4", "6 + 4 + 0 = 10",
             "0 + 3 + 1 = 4", "602 + 3440 = 4042", "47 * 86 = 4042"],
            StepTracer.Trace(ExpressionParser.Parse("47 * 86"), options).Lines.Select(l => l.Text));
    }

    [Fact]
    public void Compact_digit_style_drops_spaces_and_words_splits_carries_and_borrows_compares_before_subtracting_and_reads_results_out_at_full_width()
    {
        var options = new TraceOptions { Style = TraceStyle.Digit, PadWidth = 3, Compact = true };
        string[] Lines(string expression) => StepTracer.Trace(ExpressionParser.Parse(expression), options).Lines.Select(l => l.Text).ToArray();
        Assert.Equal(["457+068", "7+8+0=15", "5+6+1=12", "4+0+1=5", "457+68=525"], Lines("457 + 68"));
        Assert.Equal(["007+001", "7+1+0=8", "0+0+0=0", "0+0+0=0", "7+1=008"], Lines("7 + 1")); // sums too are read out at full width
        Assert.Equal("999+1=1000", Lines("999 + 1")[^1]); // with the carry out of the last column
        Assert.Equal(["0-4=-4", "68-457=-(457-68)", "457-068", "7-8-0=-1,-1+10=9", "5-6-1=-2,-2+10=8", "4-0-1=3", "68-457=-389"], Lines("68 - 457"));
        Assert.Equal(["4-4=0,7-0=7", "474-405", "4-5-0=-1,-1+10=9", "7-0-1=6", "4-4-0=0", "474-405=069"], Lines("474 - 405"));
        Assert.Equal(["2-3=-1", "297-328=-(328-297)", "328-297", "8-7-0=1", "2-9-0=-7,-7+10=3", "3-2-1=0", "297-328=-031"], Lines("297 - 328"));

        // The comparison runs from the left until two digits differ; its last sign decides the order.
        Assert.Equal(["7-7=0,4-4=0,3-8=-5", "743-748=-(748-743)", "748-743", "8-3-0=5", "4-4-0=0", "7-7-0=0", "743-748=-005"], Lines("743 - 748"));
        Assert.Equal(["2-2=0,0-0=0,6-6=0", "206-206", "6-6-0=0", "0-0-0=0", "2-2-0=0", "206-206=000"], Lines("206 - 206"));
        Assert.Equal(["0-1=-1", "5-1000=-(1000-5)"], Lines("5 - 1000").Take(2)); // at the wider operand's width
        Assert.Equal(["7-7-1=-1,-1+10=9"], Lines("7701 - 2767").Where(l => l.StartsWith("7-7", StringComparison.Ordinal))); // equal digits, borrow in
        Assert.Equal(
            ["47*86", "7*6=42", "4*6=24,24+4=28", "47*6=282", "7*8=56", "4*8=32,32+5=37", "47*8=376", "376*10=3760", "0282+3760",
             "2+0+0=2", "8+6+0=14", "2+7+1=10", "0+3+1=4", "282+3760=4042", "47*86=4042"], Lines("47 * 86"));

        // More than one operator: the step headers stay, so each block says which node it works on.
        var lines = Lines("(37+48)*12-5");
        Assert.Equal(["step 1: 37+48", "step 2: 85*12", "step 3: 1020-5"], lines.Where(l => l.StartsWith("step", StringComparison.Ordinal)));
        Assert.Equal("1020-5=1015", lines[^1]);
    }

    [Fact]
    public void Compact_readout_and_split_facts_are_claims_the_verifier_accepts()
    {
        var options = new TraceOptions { Style = TraceStyle.Digit, PadWidth = 3, Compact = true };
        var completion = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("(74 * 86 - 6000) - 395"), options), options);
        var report = StepChecker.Check(completion);
        Assert.Equal(0, report.Wrong);
        Assert.Contains("\n7*8=56,56+3=59\n", completion, StringComparison.Ordinal);
        Assert.Contains(report.Claims, c => c.Left.Trim() == "56+3" && c.Correct); // the second claim on a split line is checked too
        Assert.Contains("\n6364-6000=0364\n", completion, StringComparison.Ordinal);
        Assert.Contains("\n364-395=-031\n", completion, StringComparison.Ordinal);
        Assert.Contains("\n3-3=0,6-9=-3\n364-395=-(395-364)\n", completion, StringComparison.Ordinal);
        Assert.Contains(report.Claims, c => c.Left.Trim() == "6-9" && c.Correct); // the comparison's claims are checked too
        Assert.EndsWith("<answer>-31</answer>", completion, StringComparison.Ordinal);

        // A wrong readout is caught like any other claim.
        var broken = StepChecker.Check(completion.Replace("364-395=-031", "364-395=-041", StringComparison.Ordinal));
        Assert.Equal(1, broken.Wrong);
        Assert.Equal(1, StepChecker.Check(completion.Replace("3-3=0,6-9=-3", "3-3=0,6-9=3", StringComparison.Ordinal)).Wrong);

        // A split borrow is two claims; a wrong one is caught as well.
        var borrows = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("7701 - 2767"), options), options);
        Assert.Equal(0, StepChecker.Check(borrows).Wrong);
        Assert.Contains("\n7-7-1=-1,-1+10=9\n", borrows, StringComparison.Ordinal);
        Assert.Equal(1, StepChecker.Check(borrows.Replace("7-7-1=-1,-1+10=9", "7-7-1=-1,-1+10=8", StringComparison.Ordinal)).Wrong);
    }

    [Fact]
    public void Multiplier_cursor_starts_each_partial_product_with_the_digits_left_and_adds_no_zero_partial_product()
    {
        var options = new TraceOptions { Style = TraceStyle.Digit, Compact = true, MultiplierCursor = true };
        var completion = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("26426 * 60435"), options), options);
        var lines = completion.Split('\n');
        Assert.Equal(["60435%10=5", "6043%10=3", "604%10=4", "60%10=0", "6%10=6"], lines.Where(l => l.Contains("%10=", StringComparison.Ordinal)));
        Assert.Equal(1, lines.Count(l => l == "6*3=18")); // the digit in use is what the header says
        int zero = Array.IndexOf(lines, "60%10=0");
        Assert.Equal(["26426*0=0", "0*1000=0", "6%10=6"], lines[(zero + 1)..(zero + 4)]); // no column addition of zero
        Assert.DoesNotContain(lines, l => l.EndsWith("+0=11495310", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\+\d+=\d+$"))); // one running sum per nonzero digit after the first
        var report = StepChecker.Check(completion);
        Assert.Equal(0, report.Wrong);
        Assert.Contains(report.Claims, c => c.Left == "604%10" && c.Correct); // the header is a claim the verifier checks
        Assert.Equal(1, StepChecker.Check(completion.Replace("604%10=4", "604%10=0", StringComparison.Ordinal)).Wrong);
        Assert.EndsWith("<answer>1597055310</answer>", completion, StringComparison.Ordinal);

        // Without the cursor the same problem keeps the old layout: no headers, and the zero partial product is added.
        var plain = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("26426 * 60435"), options with { MultiplierCursor = false }), options);
        Assert.DoesNotContain("%10=", plain, StringComparison.Ordinal);
        Assert.Contains("\n11495310+0=11495310\n", plain, StringComparison.Ordinal);

        // With padding the additions are restated, but not the problem: the first header copies the multiplier from it.
        var padded = options with { PadWidth = 1 };
        var paddedLines = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("136 * 431"), padded), padded).Split('\n');
        Assert.Equal(["<think>", "431%10=1"], paddedLines[..2]);
        Assert.Contains("0136+4080", paddedLines);
        Assert.DoesNotContain("136*431", paddedLines);
        var restated = CompletionFormatter.Format(StepTracer.Trace(ExpressionParser.Parse("136 * 431"), padded with { MultiplierCursor = false }), padded);
        Assert.StartsWith("<think>\n136*431\n", restated, StringComparison.Ordinal);

        foreach (var expression in SnapshotExpressions.Append("7 * 10203").Append("90560 * 91082"))
        {
            foreach (int padWidth in new[] { 0, 3 })
            {
                var o = options with { PadWidth = padWidth };
                var expr = ExpressionParser.Parse(expression);
                var trace = StepTracer.Trace(expr, o);
                Assert.Equal(0, StepChecker.Check(CompletionFormatter.Format(trace, o)).Wrong);
                Assert.Equal(StepTracer.Trace(expr, new TraceOptions { Style = TraceStyle.Digit }).Answer, trace.Answer);
            }
        }

        // It belongs to the digit style; elsewhere it is refused, not ignored.
        var error = Assert.Throws<ArgumentException>(() => new TraceOptions { Style = TraceStyle.Node, MultiplierCursor = true }.Validate());
        Assert.Contains("digit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(3, false, false)]
    [InlineData(3, true, false)]
    [InlineData(0, true, false)]
    [InlineData(3, false, true)]
    [InlineData(0, false, true)]
    public void Padded_terse_and_compact_digit_traces_hold_only_correct_claims_and_the_right_answer(int padWidth, bool terse, bool compact)
    {
        foreach (var expression in SnapshotExpressions)
        {
            var options = new TraceOptions { Style = TraceStyle.Digit, PadWidth = padWidth, Terse = terse, Compact = compact };
            var expr = ExpressionParser.Parse(expression);
            var trace = StepTracer.Trace(expr, options);
            var report = StepChecker.Check(CompletionFormatter.Format(trace, options));
            Assert.True(report.Found >= trace.Lines.Count(l => l.HasClaim), expression);
            Assert.Equal(0, report.Wrong);
            Assert.Equal(StepTracer.Trace(expr, new TraceOptions { Style = TraceStyle.Digit }).Answer, trace.Answer); // the tracer itself checks each node against the evaluator
        }
    }

    [Fact]
    public void Digit_style_matches_the_schoolbook_layout_for_column_addition()
    {
        var trace = StepTracer.Trace(ExpressionParser.Parse("457 + 68"), new TraceOptions { Style = TraceStyle.Digit });
        Assert.Equal(
            ["step 1: 457 + 68", "7 + 8 + 0 = 15, digit 5 carry 1", "5 + 6 + 1 = 12, digit 2 carry 1", "4 + 0 + 1 = 5, digit 5 carry 0", "457 + 68 = 525"],
            trace.Lines.Select(l => l.Text));
    }
}
