// What every trainer (SFT, pretraining, GRPO) does the same way inside a run folder: score held-out items
// with the verifier and log them, and write an atomic checkpoint with optimizer and trainer state.
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Training;

namespace Reasoner.Training.Runs;

public static class RunSteps
{
    /// <summary>Greedy held-out evaluation, logged as kind "eval"; returns the accuracy.</summary>
    public static double Evaluate(CausalLM model, CharTokenizer tokenizer, IReadOnlyList<DatasetRecord> records, RunFolder run, int step, int maxNewTokens)
    {
        var report = new Evaluator(model, tokenizer).Run(records, new EvalOptions { MaxNewTokens = maxNewTokens });
        run.Log(step, new Dictionary<string, double>
        {
            ["accuracy"] = report.Overall.Accuracy,
            ["format_error_rate"] = report.Overall.FormatErrorRate,
            ["step_validity"] = report.Overall.StepValidity ?? double.NaN,
            ["mean_completion_tokens"] = report.Overall.MeanCompletionTokens,
        }, "eval");
        model.train();
        return report.Overall.Accuracy;
    }

    /// <summary>checkpoints/checkpoint-STEP with weights, tokenizer, optimizer and trainer state; keeps the newest <paramref name="keep"/>.</summary>
    public static string SaveCheckpoint<TState>(RunFolder run, int keep, int step, CausalLM model, CharTokenizer tokenizer, AdamW optimizer, TState state)
    {
        var path = run.CheckpointPath(step);
        Checkpoint.Save(path, model, tokenizer, JsonSerializer.Serialize(state, new JsonSerializerOptions { WriteIndented = true }), optimizer.StateDict());
        run.PruneCheckpoints(keep);
        return path;
    }
}
