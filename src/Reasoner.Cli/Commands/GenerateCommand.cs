// reasoner generate: writes a verified JSONL dataset and its card.
using System.CommandLine;
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;
using Reasoner.Math.Numbers;
using Reasoner.Math.Tracing;

namespace Reasoner.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset", "-p") { Description = "Preset name(s), comma separated; 'ladder' for every level, 'all', or a preset .json file. See `reasoner presets`.", DefaultValueFactory = _ => "level-1" };
        var count = new Option<int>("--count", "-n") { Description = "Number of examples.", DefaultValueFactory = _ => 1_000 };
        var style = new Option<string>("--style") { Description = "Chain-of-thought style: node, digit or prose.", DefaultValueFactory = _ => "node" };
        var seed = new Option<long>("--seed") { Description = "Seed for the whole file; every item also records its own seed.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out", "-o") { Description = "Output JSONL file; the card goes beside it as NAME.card.json.", Required = true };
        var split = new Option<string>("--split") { Description = "train or test. An expression belongs to exactly one split.", DefaultValueFactory = _ => "train" };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of expressions reserved for the test split.", DefaultValueFactory = _ => 0.1 };
        var questions = new Option<string>("--questions") { Description = "Question wording: bare, natural or mixed.", DefaultValueFactory = _ => "bare" };
        var shape = new Option<string>("--shape") { Description = "Row shape TRL reads: messages or prompt-completion.", DefaultValueFactory = _ => "messages" };
        var reflection = new Option<double>("--reflection-rate") { Description = "Chance per step of a deliberate mistake followed by its correction." };
        var finalCheck = new Option<bool>("--final-check") { Description = "End the thinking with a check of the last operation." };
        var boxed = new Option<bool>("--boxed") { Description = "Write the answer as <answer>\\boxed{N}</answer>." };
        var padWidth = new Option<int>("--pad-width") { Description = "Digit style: zero-pad column work to at least this many digits (347 + 068); 0 = off." };
        var hashes = new Option<bool>("--hashes") { Description = "Add a '#### N' line before the answer tag." };
        var mixed = new Option<bool>("--mixed-fractions") { Description = "Write non-terminating answers as mixed numbers (1 7/12)." };
        var system = new Option<string?>("--system-prompt") { Description = "System message for every row; 'r1' uses DeepSeek-R1's template text." };
        var answerOnly = new Option<bool>("--answer-only") { Description = "Baseline rows: empty thinking, just the answer." };
        var json = new Option<bool>("--json") { Description = "Print the dataset card as JSON instead of a summary line." };

        var terse = new Option<bool>("--terse") { Description = "Digit style: each column line is its claim alone (7 + 8 + 1 = 16), without the digit/carry/borrow words." };
        var compact = new Option<bool>("--compact") { Description = "Digit style: the compact layout a tiny model learns fastest (7+8+1=16, 8*4=32,32+2=34, 474-405=069; implies --terse)." };
        var command = new Command("generate", "Generate arithmetic problems with exact, verified chain of thought as JSONL.")
        {
            preset, count, style, seed, output, split, testFraction, questions, shape, reflection, finalCheck, boxed, hashes, padWidth, terse, compact, mixed, system, answerOnly, json,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var config = new GenerateConfig
            {
                Preset = result.GetValue(preset)!,
                Count = result.GetValue(count),
                Style = CliRunner.ParseEnum<TraceStyle>(result.GetValue(style)!, "--style"),
                Seed = result.GetValue(seed),
                Split = CliRunner.ParseEnum<Split>(result.GetValue(split)!, "--split"),
                TestFraction = result.GetValue(testFraction),
                Questions = CliRunner.ParseEnum<QuestionStyle>(result.GetValue(questions)!, "--questions"),
                Shape = CliRunner.ParseEnum<DatasetShape>(result.GetValue(shape)!, "--shape"),
                ReflectionRate = result.GetValue(reflection),
                FinalCheck = result.GetValue(finalCheck),
                Boxed = result.GetValue(boxed),
                Hashes = result.GetValue(hashes),
                PadWidth = result.GetValue(padWidth),
                Terse = result.GetValue(terse),
                Compact = result.GetValue(compact),
                AnswerFractions = result.GetValue(mixed) ? FractionStyle.Mixed : FractionStyle.Improper,
                SystemPrompt = result.GetValue(system),
                AnswerOnly = result.GetValue(answerOnly),
            }.Validate();
            var path = result.GetValue(output)!;
            var card = ProgressDisplay.Run("generate", config.Count, report => DatasetGenerator.Run(config, path, report));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(card, DatasetCard.Json));
            }
            else
            {
                Console.WriteLine($"wrote {card.Count} verified examples to {path} (card: {DatasetCard.PathFor(path)}; {card.RejectedDuplicates} duplicates, {card.RejectedInvalid} invalid draws, {card.RejectedOtherSplit} other-split draws skipped)");
            }

            return 0;
        }));
        return command;
    }
}
