using Reasoner.Math.Expressions;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests;

/// <summary>Random and mutated inputs never crash the parser or the extractor: only clear, positioned errors.</summary>
public sealed class FuzzTests
{
    private const string Alphabet = "0123456789 +-*/^%().\n\t=x<>abc{}\\$,#/⁄−×１";

    private static readonly string[] Seeds =
    [
        "(37 + 48) * 12 - 5", "2^-3^2", "-(3.25 // -2) % 7", "((1))", "12.375 / 0.5 + 3/4",
        "<think>\n37 + 48 = 85\n</think>\n<answer>85</answer>", "<think>x</think>\n#### 1,015\n<answer>\\boxed{1015}</answer>",
        "the answer is 7.", "<answer>\\frac{3}{4}</answer>", "wait, 7 * 8 = 56, not 54",
    ];

    [Fact(Timeout = 300_000)]
    [Trait("Category", "Slow")]
    public async Task Parser_and_extractor_survive_random_and_mutated_input()
    {
        await Task.Run(() =>
        {
            var random = new Random(1234);
            for (int i = 0; i < 60_000; i++)
            {
                var input = i % 2 == 0 ? RandomText(random) : Mutate(Seeds[random.Next(Seeds.Length)], random);
                ParseOrExplain(input);
                var extracted = AnswerExtractor.Extract(input, VerifierOptions.Default);
                Assert.True(extracted.Success || !string.IsNullOrEmpty(extracted.Error));
                StepChecker.Check(input);
                FormatChecker.IsWellFormed(input, VerifierOptions.Default, out _);
            }
        });
    }

    [Fact(Timeout = 120_000)]
    public async Task Pathological_inputs_finish_with_clear_errors()
    {
        await Task.Run(() =>
        {
            string[] inputs =
            [
                new string('(', 100_000), new string('-', 100_001), string.Concat(Enumerable.Repeat("1+", 50_000)) + "1",
                new string('9', 2_000), "9^9^9^9", string.Concat(Enumerable.Repeat("2^", 150)) + "2",
                string.Concat(Enumerable.Repeat("= 1 + ", 20_000)), string.Concat(Enumerable.Repeat("\\boxed{", 20_000)),
                string.Concat(Enumerable.Repeat("<answer>", 20_000)), "the answer is " + new string('1', 60_000),
            ];
            foreach (var input in inputs)
            {
                ParseOrExplain(input);
                AnswerExtractor.Extract(input, VerifierOptions.Default);
                StepChecker.Check(input);
            }
        });
    }

    private static void ParseOrExplain(string input)
    {
        try
        {
            var expr = ExpressionParser.Parse(input);
            ExpressionEvaluator.TryEvaluate(expr, ExpressionLimits.Default with { MaxResultDigits = 2_000, MaxExponent = 200 }, out _, out _);
        }
        catch (ParseException e)
        {
            Assert.Matches(@"^\d+:\d+: .+", e.Message);
        }
    }

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 60)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Mutate(string seed, Random random)
    {
        var text = seed.ToCharArray().ToList();
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Count + 1);
            switch (random.Next(3))
            {
                case 0 when text.Count > 0 && at < text.Count:
                    text.RemoveAt(at);
                    break;
                case 1:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    if (at < text.Count)
                    {
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                    }

                    break;
            }
        }

        return new string(text.ToArray());
    }
}
