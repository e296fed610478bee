// What a model argument names: a checkpoint folder itself, or a run folder (its newest checkpoint). Every command
// that takes a model (--model, --init-from, init_from in a config file) resolves it here, the same way.
using Reasoner.Model.Checkpoints;

namespace Reasoner.Training.Runs;

public static class CheckpointPaths
{
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new ArgumentException(File.Exists(path)
                ? $"{path} is a file; a model is a folder (a run, a checkpoint, a LoRA run or a Hugging Face folder)"
                : $"{path} does not exist; a model is a folder (a run, a checkpoint, a LoRA run or a Hugging Face folder)");
        }

        if ((File.Exists(Path.Combine(path, Checkpoint.ConfigFile)) && (File.Exists(Path.Combine(path, Checkpoint.WeightsFile)) || File.Exists(Path.Combine(path, WeightLoader.IndexFile))))
            || Checkpoint.IsAdapterFolder(path))
        {
            return path;
        }

        if (Directory.Exists(Path.Combine(path, RunFolder.CheckpointFolder)))
        {
            return RunFolder.LatestCheckpointIn(path) ?? throw new ArgumentException($"{path}: run folder has no checkpoint yet");
        }

        throw new ArgumentException($"{path}: not a model folder (config.json + model.safetensors or shards), a LoRA adapter folder (adapter_config.json) or a run folder (checkpoints/)");
    }

    /// <summary>The run folder a checkpoint belongs to (…/RUN/checkpoints/checkpoint-N → …/RUN), or null for a lone checkpoint.</summary>
    public static string? RunOf(string checkpoint)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(checkpoint).TrimEnd(Path.DirectorySeparatorChar));
        return parent is not null && Path.GetFileName(parent) == RunFolder.CheckpointFolder ? Path.GetDirectoryName(parent) : null;
    }
}
