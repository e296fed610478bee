// reasoner eval: scores a model on a held-out dataset with the verifier's rewards; writes eval.json. Problems outside
// what the model was trained on (by its run's dataset cards) are counted in one warning line and scored anyway.
using System.CommandLine;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Runtime;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Runs;

namespace Reasoner.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var flags = new ConfigFlags<EvalOptions>(new Dictionary<string, string[]> { ["samples"] = ["-k"] });
        var model = new Option<string>("--model", "-m") { Description = "Run folder or checkpoint folder.", Required = true };
        var data = new Option<string?>("--data") { Description = "Held-out JSONL (the math suite)." };
        var suite = new Option<string>("--suite") { Description = "math: the problems in --data, scored by the verifier. general: held-out copy, reverse and sort tasks of the pretraining kinds, scored exactly (did math training cost general skills?).", DefaultValueFactory = _ => "math" };
        var perTask = new Option<int>("--per-task") { Description = "Items per task of the general suite.", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--out") { Description = "Where to write the report (JSON); every completion goes to NAME.samples.jsonl beside it. Default: RUN/eval/eval-TIME.json beside the run the model belongs to (runs/eval/ for another model), never inside a checkpoint; an existing file is never overwritten." };
        var json = new Option<bool>("--json") { Description = "Print eval.json instead of the table." };
        var chat = new Option<string?>("--chat-template") { Description = Reasoner.Model.Tokenization.ChatFormats.OptionHelp + "." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads for generation (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("eval", "Evaluate a model: greedy accuracy, pass@k, maj@k, format errors, step validity, by difficulty, operation and operand width.")
        {
            model, data, suite, perTask, output, json, chat, threads,
        };
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliRunner.Run(() =>
        {
            if (result.GetValue(threads) < 1)
            {
                throw new ArgumentException($"--threads: {result.GetValue(threads)} is not a thread count; give 1 or more");
            }

            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(result.GetValue(threads));
            var checkpoint = CheckpointPaths.Resolve(result.GetValue(model)!);
            if (result.GetValue(suite) is not ("math" or "general"))
            {
                throw new ArgumentException($"--suite: '{result.GetValue(suite)}' is not one of math, general");
            }

            if (result.GetValue(suite) == "general")
            {
                return GeneralEval.Run(checkpoint, result.GetValue(perTask), result.GetValue(output), result.GetValue(json), result.GetValue(chat));
            }

            var records = DatasetReader.Read(result.GetValue(data) ?? throw new ArgumentException("--data: the math suite needs a held-out JSONL (or --suite general)"), exactAnswers: true).ToList();
            var (network, tokenizer) = Checkpoint.Load(checkpoint, result.GetValue(chat) is { } format ? Reasoner.Model.Tokenization.ChatFormats.Named(format) : null);

            // The answer length the model was trained for unless --max-new-tokens says otherwise.
            var options = flags.Apply(result, AnswerLength.Of(checkpoint, tokenizer) is { } trained ? new EvalOptions { MaxNewTokens = trained } : new EvalOptions()).Validate();
            WarnOutside(checkpoint, options.Limit > 0 ? records.Take(options.Limit).ToList() : records);
            var report = new Evaluator(network, tokenizer).Run(records, options);
            var path = EvalPaths.For(checkpoint, result.GetValue(output));
            var text = report.Save(path);
            Console.WriteLine(result.GetValue(json) ? text : report.Table() + $"\nwrote {path} and {EvalReport.SamplesPath(path)}");
            return 0;
        }));
        return command;
    }

    private static void WarnOutside(string checkpoint, IReadOnlyList<DatasetRecord> records)
    {
        if (ModelLineage.CoverageOf(checkpoint) is not { } coverage)
        {
            return;
        }

        var outside = records.Select(r => (Record: r, Reason: coverage.Outside(r))).Where(x => x.Reason is not null).ToList();
        if (outside.Count > 0)
        {
            Console.Error.WriteLine($"warning: {outside.Count} of {records.Count} problems lie outside what this model was trained on ({coverage.Presets}); the first, '{outside[0].Record.Expression}': {outside[0].Reason}. Scored anyway.");
        }
    }
}
