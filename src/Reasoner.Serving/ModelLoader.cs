// Loads the models named on the command line (NAME=PATH or PATH): run folders (their newest checkpoint), checkpoint
// folders, LoRA runs (adapters merged into their base for decoding) and Hugging Face folders.
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Tokenization;
using Reasoner.Serving.Engine;
using Reasoner.Training.Runs;

namespace Reasoner.Serving;

public static class ModelLoader
{
    public static List<ServedModel> Load(IReadOnlyList<string> specs, ChatFormat? chat, EngineLimits limits)
    {
        var models = new List<ServedModel>();
        try
        {
            foreach (var spec in specs)
            {
                var (name, path) = Parse(spec);
                if (models.Any(m => m.Name == name))
                {
                    throw new ArgumentException($"two models are named '{name}': name them with --model NAME=PATH");
                }

                var (model, tokenizer) = Checkpoint.Load(CheckpointPaths.Resolve(path), chat);
                model.MergeLora();
                models.Add(new ServedModel(name, Path.GetFullPath(path), model, tokenizer, limits));
            }
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }

        return models;
    }

    /// <summary>NAME=PATH, or PATH named by its last folder (a run's name rather than "checkpoint-N" when PATH is a checkpoint inside a run).</summary>
    public static (string Name, string Path) Parse(string spec)
    {
        int equals = spec.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && !Directory.Exists(spec))
        {
            return (spec[..equals], spec[(equals + 1)..]);
        }

        var full = System.IO.Path.GetFullPath(spec).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var name = System.IO.Path.GetFileName(full);
        if (name.StartsWith("checkpoint-", StringComparison.Ordinal) && System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(full)) == "checkpoints")
        {
            name = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(full))) + "@" + name;
        }

        return (name, spec);
    }
}
