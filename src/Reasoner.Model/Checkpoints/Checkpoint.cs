// A checkpoint is a Hugging Face folder: config.json, model.safetensors, tokenizer.json (+ tokenizer_config.json),
// and, for training runs, trainer_state.json and optimizer.safetensors. Saved into a temp folder and renamed;
// loaded only after the header, names and shapes are checked against config.json.
using System.Text.Json;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Reasoner.Model.Checkpoints;

public static class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "trainer_state.json";

    /// <summary>Writes the folder atomically: everything goes into DIR.tmp-PID, which is then renamed to DIR.</summary>
    /// <param name="maxNewTokens">The answer length the model was trained for, written to generation_config.json (null: not known).</param>
    public static void Save(string directory, CausalLM model, ITokenizer tokenizer, string? trainerStateJson = null, IReadOnlyDictionary<string, Tensor>? optimizerState = null, int? maxNewTokens = null)
    {
        var full = Path.GetFullPath(directory);
        var temp = $"{full}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        if (model.Lora is { } lora)
        {
            lora.Save(temp, lora.Config.BaseModelNameOrPath ?? throw new InvalidOperationException("LoRA adapters without a base model path")); // PEFT: the adapters only
        }
        else
        {
            File.WriteAllText(Path.Combine(temp, ConfigFile), JsonSerializer.Serialize(model.Config.Normalized(), ModelConfig.Json) + "\n");
            var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().contiguous());
            Safetensors.SaveStateDict(Path.Combine(temp, WeightsFile), weights);
        }

        tokenizer.Save(temp);
        GenerationConfig.Write(temp, tokenizer, maxNewTokens); // beside PEFT adapters too: merge and export carry it on

        if (optimizerState is not null)
        {
            Safetensors.SaveStateDict(Path.Combine(temp, OptimizerFile), optimizerState.ToDictionary(kv => kv.Key, kv => kv.Value.contiguous()));
        }

        if (trainerStateJson is not null)
        {
            File.WriteAllText(Path.Combine(temp, StateFile), trainerStateJson);
        }

        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }

        Directory.Move(temp, full);
    }

    /// <summary>
    /// Loads model and tokenizer, refusing a missing, truncated or mismatched file with the reason. A PEFT adapter
    /// folder (adapter_config.json) loads its base model (base_model_name_or_path) with the adapters attached.
    /// </summary>
    public static (CausalLM Model, ITokenizer Tokenizer) Load(string directory, ChatFormat? chat = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new CheckpointException(directory, "no such checkpoint folder");
        }

        if (IsAdapterFolder(directory))
        {
            var adapterConfig = Path.Combine(directory, LoraAdapters.ConfigFile);
            var baseModel = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(adapterConfig))?["base_model_name_or_path"]?.GetValue<string>();
            if (string.IsNullOrEmpty(baseModel) || !Directory.Exists(baseModel))
            {
                throw new CheckpointException(adapterConfig, $"base_model_name_or_path '{baseModel}' is not a model folder here; the adapters need their base model");
            }

            var (network, _) = Load(baseModel, chat);
            network.MergeLora(); // a base that is itself an adapter folder (GRPO on an SFT LoRA run): its adapters are part of the base
            network.Attach(LoraAdapters.Load(directory, network.Config));
            return (network, TokenizerFiles.Load(directory, chat));
        }

        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new CheckpointException(configPath, "file is missing; a checkpoint folder needs config.json, model.safetensors and tokenizer.json");
        }

        var config = ModelConfig.Load(configPath);
        var tokenizer = TokenizerFiles.Load(directory, chat);
        if (tokenizer.VocabSize > config.VocabSize)
        {
            throw new CheckpointException(configPath, $"vocab_size {config.VocabSize} is smaller than tokenizer.json's {tokenizer.VocabSize} tokens; the model cannot embed them all");
        }

        var model = new CausalLM(config);
        WeightLoader.Load(model, directory);
        model.Coupling = Generation.PositionCoupling.For(config, tokenizer);
        return (model, tokenizer);
    }

    /// <summary>A folder holding LoRA adapters in PEFT's layout rather than full weights.</summary>
    public static bool IsAdapterFolder(string directory) =>
        File.Exists(Path.Combine(directory, LoraAdapters.ConfigFile)) && File.Exists(Path.Combine(directory, LoraAdapters.WeightsFile)) && !File.Exists(Path.Combine(directory, WeightsFile));

    /// <summary>The network alone, from config.json and model.safetensors (or its shards): any supported HF architecture.</summary>
    public static CausalLM LoadModel(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new CheckpointException(configPath, "file is missing; a model folder needs config.json and model.safetensors (or shards with model.safetensors.index.json)");
        }

        var model = new CausalLM(ModelConfig.Load(configPath));
        WeightLoader.Load(model, directory);
        return model;
    }

    /// <summary>Optimizer state saved beside the weights, or null for a weights-only checkpoint.</summary>
    public static Dictionary<string, Tensor>? LoadOptimizer(string directory)
    {
        var path = Path.Combine(directory, OptimizerFile);
        if (!File.Exists(path))
        {
            return null;
        }

        SafetensorsHeader.Read(path);
        return Safetensors.LoadStateDict(path);
    }
}
