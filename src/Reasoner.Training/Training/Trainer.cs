// One trainer core for pretraining (loss on every token) and SFT (loss on the completion only):
// AdamW, warmup + cosine, gradient clipping and accumulation, length-bucketed batches, periodic verified
// evaluation, atomic checkpoints (last K kept) and exact resume. A NaN or infinite loss stops the run and
// leaves the last good checkpoint in place.
using System.Diagnostics;
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Training;

public sealed record TrainProgress(int Step, int MaxSteps, double Loss, double LearningRate, double TokensPerSecond, double ElapsedSeconds, double? EvalAccuracy);

public sealed record TrainResult(string RunDirectory, int Steps, double FinalLoss, double? EvalAccuracy, double ElapsedSeconds, double TokensPerSecond, string FinalCheckpoint);

public static class Trainer
{
    private static readonly object InitLock = new(); // manual_seed is process-wide: seed + build must not interleave
    /// <param name="stopAfterStep">For tests: return right after this step as if the process were killed (no final save).</param>
    public static TrainResult Run(TrainConfig config, string runDirectory, bool resume = false, Action<TrainProgress>? progress = null, int? stopAfterStep = null, CancellationToken cancel = default)
    {
        config.Validate();
        torch.set_num_threads(config.Threads);
        using var run = new RunFolder(runDirectory, resume);
        var latest = resume ? run.LatestCheckpoint() ?? throw new ArgumentException($"{runDirectory}: nothing to resume, no checkpoint yet") : null;
        var (model, tokenizer) = LoadModel(config, latest);
        var parameters = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        using var optimizer = new AdamW(parameters, config.Beta1, config.Beta2, config.WeightDecay);
        using var twin = config.Precision == Precision.Bf16 ? new Bf16Twin(model) : null;
        var network = twin?.Compute ?? model; // runs forward and backward
        var state = new TrainerState { Seed = config.Seed };
        if (latest is not null)
        {
            var saved = Checkpoint.LoadOptimizer(latest) ?? throw new CheckpointException(latest, "optimizer.safetensors is missing; cannot resume exactly");
            optimizer.LoadStateDict(saved);
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(latest, Checkpoint.StateFile)))!;
        }
        else
        {
            run.SaveConfig(config);
        }

        var data = SftData.Load(config.Data, tokenizer, config.MaxSeqLen);
        var evalRecords = config.EvalData is null ? null : DatasetReader.Read(config.EvalData).Take(config.EvalItems).ToList();
        var batches = data.Batches(config.Seed, state.Epoch, config.BatchTokens);
        var clock = Stopwatch.StartNew();
        double Elapsed() => state.ElapsedSeconds + clock.Elapsed.TotalSeconds;
        int step = state.Step, epoch = state.Epoch, batchIndex = state.BatchInEpoch;
        long tokens = state.TokensSeen, tokensAtLog = tokens;
        double loss = state.LastLoss, lastLogTime = state.ElapsedSeconds;
        double? accuracy = null;
        string? lastCheckpoint = latest;
        TrainerState Snapshot() => new()
        {
            Step = step, Epoch = epoch, BatchInEpoch = batchIndex, TokensSeen = tokens, ElapsedSeconds = Elapsed(), LastLoss = loss, Seed = config.Seed,
        };

        model.train();
        using Scalar accumulation = config.GradAccum.ToScalar(); // held for the run: see HeldScalars
        while ((config.MaxSteps == 0 || step < config.MaxSteps) && (config.TimeBudgetSeconds == 0 || Elapsed() < config.TimeBudgetSeconds) && !cancel.IsCancellationRequested)
        {
            double lr = LearningRateSchedule.At(config, step, Elapsed());
            double stepLoss = 0;
            twin?.LoadWeights();
            network.zero_grad();
            for (int micro = 0; micro < config.GradAccum; micro++)
            {
                if (batchIndex >= batches.Count)
                {
                    epoch++;
                    batchIndex = 0;
                    batches = data.Batches(config.Seed, epoch, config.BatchTokens);
                }

                using var scope = NewDisposeScope();
                var (inputs, targets, counted) = data.Tensors(batches[batchIndex++], config.Mode, tokenizer.PadId);
                var logits = network.Forward(inputs).to_type(ScalarType.Float32);                    // (B, T, V)
                var microLoss = F.cross_entropy(logits.view(-1, logits.shape[2]), targets.view(-1), ignore_index: -100);
                microLoss.div(accumulation).backward();
                stepLoss += microLoss.item<float>() / config.GradAccum;
                tokens += counted;
            }

            using var stepScope = NewDisposeScope(); // gradients and everything else this iteration creates
            var gradients = twin?.WideGradients() ?? optimizer.Gradients();
            double gradNorm = AdamW.ClipGradients(gradients, config.ClipGradNorm);
            if (!double.IsFinite(stepLoss) || !double.IsFinite(gradNorm))
            {
                throw new TrainingDivergedException(
                    $"loss became {stepLoss} at step {step + 1} (learning rate {lr:G3}); the last good checkpoint is {lastCheckpoint ?? "none yet"}. Lower learning_rate or raise warmup_steps, then --resume.");
            }

            optimizer.Update(lr, gradients);
            step++;
            loss = stepLoss;
            if (step % config.LogEvery == 0 || step == 1)
            {
                double now = Elapsed(), rate = (tokens - tokensAtLog) / System.Math.Max(1e-9, now - lastLogTime);
                run.Log(step, new Dictionary<string, double> { ["loss"] = loss, ["learning_rate"] = lr, ["grad_norm"] = gradNorm, ["tokens_per_second"] = rate, ["elapsed_seconds"] = now, ["epoch"] = epoch });
                (tokensAtLog, lastLogTime) = (tokens, now);
                progress?.Invoke(new TrainProgress(step, config.MaxSteps, loss, lr, rate, now, accuracy));
            }

            if (evalRecords is { Count: > 0 } && step % config.EvalEvery == 0)
            {
                accuracy = RunSteps.Evaluate(model, tokenizer, evalRecords, run, step, config.EvalMaxNewTokens);
            }

            if (step % config.CheckpointEvery == 0)
            {
                lastCheckpoint = RunSteps.SaveCheckpoint(run, config.KeepCheckpoints, step, model, tokenizer, optimizer, Snapshot());
            }

            if (stopAfterStep == step)
            {
                return new TrainResult(run.Directory, step, loss, accuracy, Elapsed(), tokens / System.Math.Max(1e-9, Elapsed()), lastCheckpoint ?? string.Empty);
            }
        }

        if (evalRecords is { Count: > 0 } && step % config.EvalEvery != 0)
        {
            accuracy = RunSteps.Evaluate(model, tokenizer, evalRecords, run, step, config.EvalMaxNewTokens);
        }

        if (step % config.CheckpointEvery != 0 || lastCheckpoint is null)
        {
            lastCheckpoint = RunSteps.SaveCheckpoint(run, config.KeepCheckpoints, step, model, tokenizer, optimizer, Snapshot());
        }

        Plots.ForRun(run.Directory);
        var result = new TrainResult(run.Directory, step, loss, accuracy, Elapsed(), tokens / System.Math.Max(1e-9, Elapsed()), lastCheckpoint);
        RunReport.Write(run.Directory, config, result, model.ParameterCount, data);
        return result;
    }

    private static (CausalLM Model, CharTokenizer Tokenizer) LoadModel(TrainConfig config, string? resumeFrom)
    {
        if (resumeFrom is not null)
        {
            return Checkpoint.Load(resumeFrom);
        }

        if (config.InitFrom is not null)
        {
            return Checkpoint.Load(config.InitFrom);
        }

        var tokenizer = new CharTokenizer();
        lock (InitLock)
        {
            manual_seed(config.Seed);
            return (new CausalLM(ModelConfig.Preset(config.Model, tokenizer.VocabSize)), tokenizer);
        }
    }
}
