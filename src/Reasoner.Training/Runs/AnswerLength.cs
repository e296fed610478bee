// How long a model's answers run, for solve's and eval's default max_new_tokens: its generation_config.json's
// max_new_tokens (written by training since 2026-12-04), else, for an older run of ours, the longest completion in the
// run's training data (config.json's data) with the same margin; null when neither is known (then the context decides).
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Tokenization;

namespace Reasoner.Training.Runs;

public static class AnswerLength
{
    public static int? Of(string checkpoint, ITokenizer tokenizer)
    {
        if (GenerationConfig.MaxNewTokens(checkpoint) is { } stated)
        {
            return stated;
        }

        if (CheckpointPaths.RunOf(checkpoint) is not { } run || !File.Exists(Path.Combine(run, RunFolder.ConfigFile)))
        {
            return null;
        }

        try
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, RunFolder.ConfigFile)));
            var data = config?["data"]?.GetValue<string>();
            if (data is null || !File.Exists(data) || !string.Equals(config?["mode"]?.ToString(), "sft", StringComparison.OrdinalIgnoreCase))
            {
                return null; // pretraining data has no completions to measure
            }

            var longest = DatasetReader.Read(data).Select(r => tokenizer.Chat.Completion(tokenizer, r.Completion).Count).DefaultIfEmpty(0).Max();
            return longest > 0 ? GenerationConfig.FromLongestCompletion(longest) : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or DatasetFormatException or IOException)
        {
            return null; // an unreadable record of the run's data: nothing known, nothing claimed
        }
    }
}
