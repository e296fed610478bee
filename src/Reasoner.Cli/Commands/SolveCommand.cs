// reasoner solve: the model's thinking and answer for one problem, and whether the verifier accepts it. A problem
// outside what the model was trained on (by its run's dataset cards) gets a one-line warning, and an answer anyway.
using System.CommandLine;
using Reasoner.Math.Expressions;
using Reasoner.Math.Verification;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Runs;

namespace Reasoner.Cli.Commands;

internal static class SolveCommand
{
    public static Command Create()
    {
        var defaults = new GenerationOptions();
        var question = new Argument<string>("question") { Description = "A problem, e.g. \"457 + 268\"." };
        var model = new Option<string>("--model", "-m") { Description = "Run folder or checkpoint folder.", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => defaults.Temperature };
        var seed = new Option<long>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => defaults.Seed };
        var maxNew = new Option<int?>("--max-new-tokens") { Description = "Longest answer (default: what the model was trained for, its generation_config.json's max_new_tokens: the longest training completion with a margin; else the rest of the context)." };
        var chat = new Option<string?>("--chat-template") { Description = ChatFormats.OptionHelp + "." };
        var command = new Command("solve", "Let a model solve one problem and check its answer and steps.") { question, model, temperature, seed, maxNew, chat };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var checkpoint = CheckpointPaths.Resolve(result.GetValue(model)!);
            var (network, tokenizer) = Checkpoint.Load(checkpoint, result.GetValue(chat) is { } format ? ChatFormats.Named(format) : null);
            var text = result.GetValue(question)!;
            bool isExpression = ExpressionParser.TryParse(text, ExpressionLimits.Default, out var expr, out _);

            // Training questions are printed expressions ("347 + 68"); ask in that form, whatever spacing was typed.
            var asked = isExpression ? ExpressionPrinter.Print(expr!) : text;
            if (ModelLineage.CoverageOf(checkpoint) is { } coverage && coverage.Outside(asked) is { } reason)
            {
                Console.Error.WriteLine($"warning: '{asked}' lies outside what this model was trained on ({coverage.Presets}): {reason}. Answering anyway.");
            }

            var prompt = tokenizer.Chat.Prompt(tokenizer, asked);
            var generator = new TextGenerator(network, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer), tokenizer.VocabSize);
            var ids = generator.Generate([prompt], defaults with
            {
                MaxNewTokens = System.Math.Min(result.GetValue(maxNew) ?? AnswerLength.Of(checkpoint, tokenizer) ?? int.MaxValue, network.Config.MaxPositionEmbeddings - prompt.Count), Temperature = result.GetValue(temperature), Seed = result.GetValue(seed),
            })[0];
            var completion = tokenizer.Decode(ids);
            Console.WriteLine(completion);
            var steps = StepChecker.Check(completion);
            var extracted = AnswerExtractor.Extract(completion, VerifierOptions.Default);
            string verdict = "no reference answer (not a plain expression)";
            if (isExpression && ExpressionEvaluator.TryEvaluate(expr!, ExpressionLimits.Default, out var value, out _))
            {
                verdict = new MathRewards(VerifierOptions.Default).Judge(completion, value).Correct ? $"correct ({value})" : $"wrong: expected {value}";
            }

            Console.WriteLine($"answer: {(extracted.Success ? extracted.Text : "none (" + extracted.Error + ")")}; verifier: {verdict}; steps {steps.Correct}/{steps.Found} correct");
            return 0;
        }));
        return command;
    }
}
