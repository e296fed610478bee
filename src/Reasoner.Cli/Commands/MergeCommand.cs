// reasoner merge: a LoRA run (or PEFT adapter folder) merged into its base model, written as a full Hugging Face folder.
using System.CommandLine;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Export;
using Reasoner.Model.Runtime;
using Reasoner.Training.Runs;
using static TorchSharp.torch;

namespace Reasoner.Cli.Commands;

internal static class MergeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A LoRA run folder (its newest checkpoint) or a PEFT adapter folder." };
        var output = new Option<string>("--out", "-o") { Description = "The merged model folder.", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "f32, bf16 or f16 weights.", DefaultValueFactory = _ => "f32" };
        var command = new Command("merge", "Merge LoRA adapters into their base model and write a full Hugging Face folder.") { run, output, dtype };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var folder = CheckpointPaths.Resolve(result.GetValue(run)!);
            if (!Checkpoint.IsAdapterFolder(folder))
            {
                throw new ArgumentException($"{folder} holds full weights, not LoRA adapters: nothing to merge (use `reasoner export --format safetensors`)");
            }

            var (model, tokenizer) = Checkpoint.Load(folder);
            var adapters = model.Lora!;
            model.MergeLora();
            var scalar = result.GetValue(dtype) switch
            {
                "f32" => ScalarType.Float32, "bf16" => ScalarType.BFloat16, "f16" => ScalarType.Float16,
                var other => throw new ArgumentException($"--dtype: '{other}' is not one of f32, bf16, f16"),
            };
            HfExport.Write(model, tokenizer, result.GetValue(output)!, scalar, GenerationConfig.MaxNewTokens(folder));
            Console.WriteLine($"merged {adapters.TrainableCount:N0} adapter parameters (r {adapters.Config.R}, {string.Join(",", adapters.Config.TargetModules)}) into {adapters.Config.BaseModelNameOrPath}; wrote {result.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
