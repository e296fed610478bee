// The run skeleton every trainer shares (SFT and pretraining, GRPO, and distillation next). It opens the run folder
// (a new run refuses a used one; --resume continues from the newest checkpoint), restores weights, optimizer and
// trainer state, runs steps until max_steps, the time budget or cancellation, logs, evaluates and checkpoints on the
// configured cadence, stops on a NaN or infinite loss naming the last good checkpoint, and ends with a final
// evaluation, checkpoint and report. A trainer supplies only what differs (IRunTrainer): how its model starts, one
// optimizer step, the numbers it logs and its report.
using System.Diagnostics;
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Runs;

/// <summary>What the skeleton reads of a trainer's saved state (trainer_state.json); the rest is the trainer's own.</summary>
public interface IRunState
{
    int Step { get; }

    double ElapsedSeconds { get; }

    /// <summary>"sft" or "grpo": a run is only resumed by the trainer that wrote it.</summary>
    string Trainer { get; }
}

/// <summary>The parts of a training run that differ between trainers.</summary>
public interface IRunTrainer<TState>
    where TState : class, IRunState
{
    /// <summary>The value of trainer_state.json's "trainer" this trainer writes and accepts.</summary>
    string Kind { get; }

    /// <summary>What to change when the loss diverges, e.g. "Lower learning_rate or raise warmup_steps".</summary>
    string DivergenceHint { get; }

    /// <summary>The starting weights and tokenizer of a new run (not called on resume).</summary>
    (CausalLM Model, ITokenizer Tokenizer) Initial();

    /// <summary>Once the model, optimizer and saved state (null for a new run) are in place, before the first step.</summary>
    void Start(RunContext run, TState? saved);

    /// <summary>One optimizer step at index <paramref name="step"/> (0-based); calls run.Guard before updating the weights.</summary>
    void Step(RunContext run, int step, double learningRate);

    /// <summary>The numbers logged as kind "train" after step <paramref name="step"/> (1-based), at the log cadence.</summary>
    IReadOnlyDictionary<string, double> Metrics(RunContext run, int step);

    /// <summary>After every step (1-based), for progress displays.</summary>
    void Progress(RunContext run, int step);

    /// <summary>The state saved with a checkpoint after <paramref name="step"/> steps.</summary>
    TState Snapshot(RunContext run, int step);

    /// <summary>Plots and report.md at the end of a run.</summary>
    void Finish(RunContext run, int steps);
}

/// <summary>How a run ended.</summary>
public sealed record RunOutcome(string RunDirectory, int Steps, double? EvalAccuracy, double ElapsedSeconds, string FinalCheckpoint);

/// <summary>The run as a trainer sees it: folder, model, optimizer, clock, and the divergence guard.</summary>
public sealed class RunContext(RunFolder folder, CausalLM model, ITokenizer tokenizer, AdamW optimizer, double elapsedBefore, string trainerName, string divergenceHint)
{
    private readonly Stopwatch _clock = new();

    public RunFolder Folder { get; } = folder;

    public CausalLM Model { get; } = model;

    public ITokenizer Tokenizer { get; } = tokenizer;

    public AdamW Optimizer { get; } = optimizer;

    /// <summary>The newest complete checkpoint of this run, or null before the first.</summary>
    public string? LastCheckpoint { get; internal set; }

    /// <summary>The answer length the model is trained for (generation_config.json's max_new_tokens); the trainer sets it, null when unknown.</summary>
    public int? MaxNewTokens { get; set; }

    /// <summary>The latest held-out accuracy, or null before the first evaluation.</summary>
    public double? EvalAccuracy { get; internal set; }

    /// <summary>Seconds of training so far, across resumes (the clock starts at the first step, after data loading).</summary>
    public double Elapsed => elapsedBefore + _clock.Elapsed.TotalSeconds;

    internal void StartClock() => _clock.Start();

    /// <summary>Throws TrainingDivergedException, naming the last good checkpoint, when the loss or gradient norm is not finite.</summary>
    public void Guard(double loss, double gradNorm, int step, double learningRate)
    {
        if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
        {
            throw new TrainingDivergedException(FormattableString.Invariant(
                $"{trainerName} loss became {loss} at step {step + 1} (learning rate {learningRate:G3}, grad norm {gradNorm:G3}); the last good checkpoint is {LastCheckpoint ?? "none yet"}. {divergenceHint}, then --resume."));
        }
    }
}

public sealed class TrainingDivergedException(string message) : Exception(message);

public static class TrainingRun
{
    private static readonly object LoraInit = new(); // manual_seed is process-wide: seed + draw must not interleave

    /// <param name="stopAfterStep">For tests: return right after this step as if the process were killed (no final save).</param>
    public static RunOutcome Execute<TConfig, TState>(TConfig config, IRunTrainer<TState> trainer, string runDirectory, bool resume, int? stopAfterStep, CancellationToken cancel)
        where TConfig : IRunSettings
        where TState : class, IRunState
    {
        torch.set_num_threads(config.Threads);
        using var folder = new RunFolder(runDirectory, resume);
        try
        {
            return Run(config, trainer, folder, runDirectory, resume, stopAfterStep, cancel);
        }
        catch
        {
            folder.DiscardIfUnused(); // failed before its first row: leave no half-made run folder behind
            throw;
        }
    }

    private static RunOutcome Run<TConfig, TState>(TConfig config, IRunTrainer<TState> trainer, RunFolder folder, string runDirectory, bool resume, int? stopAfterStep, CancellationToken cancel)
        where TConfig : IRunSettings
        where TState : class, IRunState
    {
        var latest = resume ? folder.LatestCheckpoint() ?? throw new ArgumentException($"{runDirectory}: nothing to resume, no checkpoint yet") : null;
        var (model, tokenizer) = latest is null ? trainer.Initial() : Checkpoint.Load(latest);
        if (latest is null)
        {
            model.MergeLora(); // starting from a LoRA run: its adapters become part of the starting model (and of GRPO's reference)
        }

        if (latest is null && config.Lora is { } lora)
        {
            lock (LoraInit)
            {
                manual_seed(config.Seed); // the adapters' A matrices are drawn from it
                model.Attach(new LoraAdapters(model.Config, lora.ToConfig(config.StartingModel!)));
            }
        }

        var trainable = model.Lora is { } adapters ? adapters.named_parameters() : model.named_parameters();
        using var optimizer = new AdamW(trainable.Select(p => (p.name, (Tensor)p.parameter)).ToList(), config.Beta1, config.Beta2, config.WeightDecay);
        TState? saved = null;
        if (latest is not null)
        {
            optimizer.LoadStateDict(Checkpoint.LoadOptimizer(latest) ?? throw new CheckpointException(latest, "optimizer.safetensors is missing; cannot resume exactly"));
            saved = JsonSerializer.Deserialize<TState>(File.ReadAllText(Path.Combine(latest, Checkpoint.StateFile))) ?? throw new CheckpointException(latest, "trainer_state.json is empty");
            if (saved.Trainer != trainer.Kind)
            {
                throw new CheckpointException(latest, $"trainer_state.json is from a '{saved.Trainer}' run, not {trainer.Kind}; resume it with the command that started it");
            }
        }
        else
        {
            folder.SaveConfig(config);
        }

        var run = new RunContext(folder, model, tokenizer, optimizer, saved?.ElapsedSeconds ?? 0, trainer.Kind.ToUpperInvariant(), trainer.DivergenceHint) { LastCheckpoint = latest };
        trainer.Start(run, saved);
        var evalRecords = config.EvalData is null ? [] : DatasetReader.Read(config.EvalData, exactAnswers: true).Take(config.EvalItems).ToList();
        var schedule = new LearningRateSchedule(config);
        int step = saved?.Step ?? 0;
        model.train();
        run.StartClock();
        while ((config.MaxSteps == 0 || step < config.MaxSteps) && (config.TimeBudgetSeconds == 0 || run.Elapsed < config.TimeBudgetSeconds) && !cancel.IsCancellationRequested)
        {
            trainer.Step(run, step, schedule.At(step, run.Elapsed));
            step++;
            if (step % config.LogEvery == 0 || step == 1)
            {
                folder.Log(step, trainer.Metrics(run, step));
            }

            if (evalRecords.Count > 0 && step % config.EvalEvery == 0)
            {
                Evaluate(run, evalRecords, step, config.EvalMaxNewTokens);
            }

            if (step % config.CheckpointEvery == 0)
            {
                SaveCheckpoint(run, config.KeepCheckpoints, step, trainer.Snapshot(run, step));
            }

            trainer.Progress(run, step);
            if (stopAfterStep == step)
            {
                return new RunOutcome(folder.Directory, step, run.EvalAccuracy, run.Elapsed, run.LastCheckpoint ?? string.Empty);
            }
        }

        if (evalRecords.Count > 0 && step % config.EvalEvery != 0)
        {
            Evaluate(run, evalRecords, step, config.EvalMaxNewTokens);
        }

        if (step % config.CheckpointEvery != 0 || run.LastCheckpoint is null)
        {
            SaveCheckpoint(run, config.KeepCheckpoints, step, trainer.Snapshot(run, step));
        }

        trainer.Finish(run, step);
        return new RunOutcome(folder.Directory, step, run.EvalAccuracy, run.Elapsed, run.LastCheckpoint!);
    }

    /// <summary>Greedy held-out evaluation with the verifier, logged as kind "eval".</summary>
    private static void Evaluate(RunContext run, IReadOnlyList<DatasetRecord> records, int step, int maxNewTokens)
    {
        var report = new Evaluator(run.Model, run.Tokenizer).Run(records, new EvalOptions { MaxNewTokens = maxNewTokens });
        run.Folder.Log(step, new Dictionary<string, double>
        {
            ["accuracy"] = report.Overall.Accuracy,
            ["format_error_rate"] = report.Overall.FormatErrorRate,
            ["step_validity"] = report.Overall.StepValidity ?? double.NaN,
            ["mean_completion_tokens"] = report.Overall.MeanCompletionTokens,
        }, "eval");
        run.Model.train();
        run.EvalAccuracy = report.Overall.Accuracy;
    }

    /// <summary>checkpoints/checkpoint-STEP with weights, tokenizer, optimizer and trainer state; keeps the newest <paramref name="keep"/>.</summary>
    private static void SaveCheckpoint<TState>(RunContext run, int keep, int step, TState state)
    {
        using var scope = NewDisposeScope(); // the contiguous copies made for saving
        var path = run.Folder.CheckpointPath(step);
        Checkpoint.Save(path, run.Model, run.Tokenizer, JsonSerializer.Serialize(state, Reasoner.Math.Data.JsonText.Indented), run.Optimizer.StateDict(), run.MaxNewTokens);
        run.Folder.PruneCheckpoints(keep);
        run.LastCheckpoint = path;
    }
}
