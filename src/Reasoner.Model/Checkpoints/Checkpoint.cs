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
    public static void Save(string directory, CausalLM model, CharTokenizer tokenizer, string? trainerStateJson = null, IReadOnlyDictionary<string, Tensor>? optimizerState = null)
    {
        var full = Path.GetFullPath(directory);
        var temp = $"{full}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, ConfigFile), JsonSerializer.Serialize(model.Config, ModelConfig.Json) + "\n");
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().contiguous());
        Safetensors.SaveStateDict(Path.Combine(temp, WeightsFile), weights);
        tokenizer.Save(temp);
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

    /// <summary>Loads model and tokenizer, refusing a missing, truncated or mismatched file with the reason.</summary>
    public static (CausalLM Model, CharTokenizer Tokenizer) Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CheckpointException(directory, "no such checkpoint folder");
        }

        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new CheckpointException(configPath, "file is missing; a checkpoint folder needs config.json, model.safetensors and tokenizer.json");
        }

        var config = ModelConfig.Load(configPath);
        var tokenizer = CharTokenizer.Load(directory);
        if (tokenizer.VocabSize != config.VocabSize)
        {
            throw new CheckpointException(configPath, $"vocab_size {config.VocabSize} does not match tokenizer.json ({tokenizer.VocabSize} tokens)");
        }

        var model = new CausalLM(config);
        LoadWeights(model, Path.Combine(directory, WeightsFile));
        return (model, tokenizer);
    }

    public static void LoadWeights(CausalLM model, string path)
    {
        var entries = SafetensorsHeader.Read(path);
        var expected = model.state_dict();
        foreach (var (name, tensor) in expected)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                throw new CheckpointException(path, $"missing tensor '{name}' that config.json implies");
            }

            if (!entry.Shape.SequenceEqual(tensor.shape))
            {
                throw new CheckpointException(path, $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but config.json implies [{string.Join(", ", tensor.shape)}]");
            }
        }

        var unexpected = entries.Keys.Except(expected.Keys).ToList();
        if (unexpected.Count > 0)
        {
            throw new CheckpointException(path, $"unexpected tensor '{unexpected[0]}' (does config.json match this file? tie_word_embeddings, attention_bias)");
        }

        var loaded = Safetensors.LoadStateDict(path);
        using var _ = no_grad();
        foreach (var (name, tensor) in expected)
        {
            tensor.copy_(loaded[name].to_type(tensor.dtype));
        }

        foreach (var t in loaded.Values)
        {
            t.Dispose();
        }
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
