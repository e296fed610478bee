// reasoner eval: scores a model on a held-out dataset with the verifier's rewards; writes eval.json.
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
        var model = new Option<string>("--model", "-m") { Description = "Run folder or checkpoint folder.", Required = true };
        var data = new Option<string>("--data") { Description = "Held-out JSONL.", Required = true };
        var samples = new Option<int>("--samples", "-k") { Description = "Samples per problem for pass@k and maj@k.", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature for the k samples.", DefaultValueFactory = _ => 1.0 };
        var limit = new Option<int>("--limit") { Description = "Score at most this many problems (0 = all)." };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest completion.", DefaultValueFactory = _ => 768 };
        var output = new Option<string?>("--out") { Description = "Where to write eval.json; every completion goes to eval.samples.jsonl beside it (default: beside the checkpoint)." };
        var json = new Option<bool>("--json") { Description = "Print eval.json instead of the table." };
        var command = new Command("eval", "Evaluate a model: greedy accuracy, pass@k, maj@k, format errors, step validity, by difficulty.")
        {
            model, data, samples, temperature, limit, maxNew, output, json,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
            var checkpoint = CheckpointPaths.Resolve(result.GetValue(model)!);
            var (network, tokenizer) = Checkpoint.Load(checkpoint);
            var records = DatasetReader.Read(result.GetValue(data)!, exactAnswers: true).ToList();
            var options = new EvalOptions { Samples = result.GetValue(samples), Temperature = result.GetValue(temperature), Limit = result.GetValue(limit), MaxNewTokens = result.GetValue(maxNew) };
            var report = new Evaluator(network, tokenizer).Run(records, options);
            var path = result.GetValue(output) ?? Path.Combine(checkpoint, "eval.json");
            var text = report.Save(path);
            Console.WriteLine(result.GetValue(json) ? text : report.Table() + $"\nwrote {path} and {EvalReport.SamplesPath(path)}");
            return 0;
        }));
        return command;
    }
}
