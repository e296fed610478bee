// Resolves --model: a run folder (its newest checkpoint) or a checkpoint folder itself.
using Reasoner.Model.Checkpoints;
using Reasoner.Training.Runs;

namespace Reasoner.Cli;

internal static class ModelPaths
{
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, Checkpoint.ConfigFile)) && File.Exists(Path.Combine(path, Checkpoint.WeightsFile)))
        {
            return path;
        }

        if (Directory.Exists(Path.Combine(path, RunFolder.CheckpointFolder)))
        {
            return RunFolder.LatestCheckpointIn(path) ?? throw new ArgumentException($"{path}: run folder has no checkpoint yet");
        }

        throw new ArgumentException($"{path}: not a checkpoint folder (config.json + model.safetensors) or a run folder (checkpoints/)");
    }
}
