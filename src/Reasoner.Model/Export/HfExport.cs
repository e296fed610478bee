// A model as a plain Hugging Face folder that transformers opens: config.json (with architectures and torch_dtype),
// model.safetensors in F32, BF16 or F16, tokenizer.json and tokenizer_config.json with the chat template, and
// generation_config.json with the stop ids. No optimizer or trainer state: this is the model to use, not to resume.
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reasoner.Model.Export;

public static class HfExport
{
    /// <summary>Position coupling is Reasoner's own: transformers and llama.cpp number positions 0, 1, 2, ... and would run another model without a word.</summary>
    internal static void RefuseCoupled(CausalLM model, string format)
    {
        if (model.Config.PositionCoupling is { } kind)
        {
            throw new ArgumentException($"this model uses position_coupling '{kind}', which {format} runtimes do not implement (they would place every token at its index and compute a different model); it runs in Reasoner only (eval, solve, serve, distill)");
        }
    }

    public static void Write(CausalLM model, ITokenizer tokenizer, string directory, ScalarType dtype, int? maxNewTokens = null)
    {
        RefuseCoupled(model, "Hugging Face");
        var full = Path.GetFullPath(directory);
        var temp = $"{full}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        var config = model.Config.Normalized() with { TorchDtype = dtype switch { ScalarType.BFloat16 => "bfloat16", ScalarType.Float16 => "float16", _ => "float32" } };
        File.WriteAllText(Path.Combine(temp, Checkpoint.ConfigFile), JsonSerializer.Serialize(config, ModelConfig.Json) + "\n");
        using (var scope = NewDisposeScope())
        {
            var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to_type(dtype).contiguous());
            Safetensors.SaveStateDict(Path.Combine(temp, Checkpoint.WeightsFile), weights);
        }

        tokenizer.Save(temp);
        GenerationConfig.Write(temp, tokenizer, maxNewTokens);
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }

        Directory.Move(temp, full);
    }
}
