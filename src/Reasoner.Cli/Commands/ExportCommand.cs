// reasoner export: a run or model folder as GGUF (llama.cpp, Ollama, LM Studio) or as a plain Hugging Face folder.
using System.CommandLine;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Export;
using Reasoner.Model.Runtime;
using Reasoner.Training.Runs;
using static TorchSharp.torch;

namespace Reasoner.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A run folder (its newest checkpoint) or a model folder." };
        var format = new Option<string>("--format") { Description = "gguf or safetensors (a Hugging Face folder).", DefaultValueFactory = _ => "gguf" };
        var dtype = new Option<string>("--dtype") { Description = "f32, f16, bf16, or q8_0 (GGUF only).", DefaultValueFactory = _ => "f16" };
        var output = new Option<string>("--out", "-o") { Description = "The .gguf file, or the folder for safetensors.", Required = true };
        var name = new Option<string?>("--name") { Description = "general.name in the GGUF metadata (default: the folder's name)." };
        var command = new Command("export", "Write a model as GGUF for llama.cpp and Ollama, or as a Hugging Face folder.") { model, format, dtype, output, name };
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var folder = CheckpointPaths.Resolve(result.GetValue(model)!);
            var (network, tokenizer) = Checkpoint.Load(folder);
            var path = result.GetValue(output)!;
            var kind = result.GetValue(dtype)!.ToLowerInvariant();
            switch (result.GetValue(format))
            {
                case "gguf":
                    var type = kind switch
                    {
                        "f32" => GgmlType.F32, "f16" => GgmlType.F16, "bf16" => GgmlType.BF16, "q8_0" => GgmlType.Q8_0,
                        _ => throw new ArgumentException($"--dtype: '{kind}' is not one of f32, f16, bf16, q8_0"),
                    };
                    GgufExport.Write(network, tokenizer, path, type, result.GetValue(name) ?? Path.GetFileName(Path.GetFullPath(result.GetValue(model)!).TrimEnd('/')));
                    break;
                case "safetensors":
                    var scalar = kind switch
                    {
                        "f32" => ScalarType.Float32, "f16" => ScalarType.Float16, "bf16" => ScalarType.BFloat16,
                        _ => throw new ArgumentException($"--dtype: '{kind}' is not one of f32, f16, bf16 for safetensors"),
                    };
                    HfExport.Write(network, tokenizer, path, scalar, GenerationConfig.MaxNewTokens(folder));
                    break;
                default:
                    throw new ArgumentException($"--format: '{result.GetValue(format)}' is not one of gguf, safetensors");
            }

            Console.WriteLine($"wrote {path} ({result.GetValue(format)}, {kind}) from {folder}");
            return 0;
        }));
        return command;
    }
}
