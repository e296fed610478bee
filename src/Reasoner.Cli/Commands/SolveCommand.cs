// reasoner solve: the model's thinking and answer for one problem, and whether the verifier accepts it.
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
        var question = new Argument<string>("question") { Description = "A problem, e.g. \"(37+48)*12-5\"." };
        var model = new Option<string>("--model", "-m") { Description = "Run folder or checkpoint folder.", Required = true };
        var temperature = new Option<double>("--temperature") { Description = "0 for greedy." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 1, Description = "Sampling seed." };
        var command = new Command("solve", "Let a model solve one problem and check its answer and steps.") { question, model, temperature, seed };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var (network, tokenizer) = Checkpoint.Load(CheckpointPaths.Resolve(result.GetValue(model)!));
            var text = result.GetValue(question)!;
            bool isExpression = ExpressionParser.TryParse(text, ExpressionLimits.Default, out var expr, out _);

            // Training questions are printed expressions ("347 + 68"); ask in that form, whatever spacing was typed.
            var prompt = ChatTemplate.Prompt(tokenizer, isExpression ? ExpressionPrinter.Print(expr!) : text);
            var generator = new TextGenerator(network, tokenizer.PadId, [tokenizer.EosId]);
            var ids = generator.Generate([prompt], new GenerationOptions
            {
                MaxNewTokens = network.Config.MaxPositionEmbeddings - prompt.Count, Temperature = result.GetValue(temperature), Seed = result.GetValue(seed),
            })[0];
            var completion = tokenizer.Decode(ids);
            Console.WriteLine(completion);
            var steps = StepChecker.Check(completion);
            var extracted = AnswerExtractor.Extract(completion, VerifierOptions.Default);
            string verdict = "no reference answer (not a plain expression)";
            if (isExpression && ExpressionEvaluator.TryEvaluate(expr!, ExpressionLimits.Default, out var value, out _))
            {
                var judged = new MathRewards(VerifierOptions.Default).Judge(completion, value);
                verdict = judged.Correct ? $"correct ({value})" : $"wrong: expected {value}";
            }

            Console.WriteLine($"answer: {(extracted.Success ? extracted.Text : "none (" + extracted.Error + ")")}; verifier: {verdict}; steps {steps.Correct}/{steps.Found} correct");
            return 0;
        }));
        return command;
    }
}
