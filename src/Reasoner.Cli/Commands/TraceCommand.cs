// reasoner trace: prints the chain of thought for one expression.
using System.CommandLine;
using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;

namespace Reasoner.Cli.Commands;

internal static class TraceCommand
{
    public static Command Create()
    {
        var expression = new Argument<string>("expression") { Description = "Arithmetic expression, e.g. \"(37+48)*12-5\"." };
        var style = new Option<string>("--style") { Description = "node, digit or prose.", DefaultValueFactory = _ => "node" };
        var seed = new Option<long>("--seed") { Description = "Seed for prose wording and reflections.", DefaultValueFactory = _ => 1 };
        var reflection = new Option<double>("--reflection-rate") { Description = "Chance per step of a mistake followed by its correction." };
        var finalCheck = new Option<bool>("--final-check") { Description = "End with a check of the last operation." };
        var boxed = new Option<bool>("--boxed") { Description = "Answer as \\boxed{N} inside the tag." };
        var padWidth = new Option<int>("--pad-width") { Description = "Digit style: zero-pad column work to at least this many digits (347 + 068); 0 = off." };
        var hashes = new Option<bool>("--hashes") { Description = "Add a '#### N' line." };
        var terse = new Option<bool>("--terse") { Description = "Digit style: each column line is its claim alone (7 + 8 + 1 = 16), without the digit/carry/borrow words." };
        var compact = new Option<bool>("--compact") { Description = "Digit style: the compact layout a tiny model learns fastest (7+8+1=16, 8*4=32,32+2=34, 474-405=069; implies --terse)." };
        var cursor = new Option<bool>("--multiplier-cursor") { Description = "Digit style: each partial product of a long multiplication starts with the multiplier digits left and the one in use (21486%10=6); zero partial products are not added." };
        var command = new Command("trace", "Print the step-by-step chain of thought for an expression.")
        {
            expression, style, seed, reflection, finalCheck, boxed, hashes, padWidth, terse, compact, cursor,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var text = result.GetValue(expression)!;
            Expr expr;
            try
            {
                expr = ExpressionParser.Parse(text);
            }
            catch (ParseException e)
            {
                Console.Error.WriteLine($"error: expression:{e.Message}");
                if (e.Line == 1 && !text.Contains('\n', StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"  {text}");
                    Console.Error.WriteLine($"  {new string(' ', e.Column - 1)}^");
                }

                return CliRunner.UsageError;
            }

            var options = new TraceOptions
            {
                Style = CliRunner.ParseEnum<TraceStyle>(result.GetValue(style)!, "--style"),
                ReflectionRate = result.GetValue(reflection),
                FinalCheck = result.GetValue(finalCheck),
                Boxed = result.GetValue(boxed),
                Hashes = result.GetValue(hashes),
                PadWidth = result.GetValue(padWidth),
                Terse = result.GetValue(terse),
                Compact = result.GetValue(compact),
                MultiplierCursor = result.GetValue(cursor),
            }.Validate();
            var trace = StepTracer.Trace(expr, options, Seeds.Random(result.GetValue(seed)));
            Console.WriteLine(CompletionFormatter.Format(trace, options));
            return 0;
        }));
        return command;
    }
}
