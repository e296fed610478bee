// GRPO with verifier rewards. Each step: draw P prompts, sample G completions each (old policy = the
// current weights), score them with the reward set, turn rewards into group-relative advantages, then take
// num_iterations optimizer steps on the clipped surrogate (+ beta * KL to the frozen starting model).
// Run folder, checkpoints and exact resume work as in SFT; completions.jsonl keeps a sample of rollouts.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Generation;
using Reasoner.Math.Verification;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Evaluation;
using Reasoner.Training.Runs;
using Reasoner.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Grpo;

public sealed record GrpoProgress(int Step, int MaxSteps, double RewardMean, double Accuracy, string Level, double ElapsedSeconds, double GenerationSeconds, double TrainingSeconds, double? EvalAccuracy);

public sealed record GrpoResult(string RunDirectory, int Steps, double LastRewardMean, double? EvalAccuracy, double ElapsedSeconds, string FinalCheckpoint);

public static class GrpoTrainer
{
    public const string CompletionsFile = "completions.jsonl";

    /// <param name="stopAfterStep">For tests: return right after this step as if the process were killed (no final save).</param>
    public static GrpoResult Run(GrpoConfig config, string runDirectory, bool resume = false, Action<GrpoProgress>? progress = null, int? stopAfterStep = null, CancellationToken cancel = default)
    {
        config.Validate();
        torch.set_num_threads(config.Threads);
        var rewards = RewardSet.Parse(config.Rewards, VerifierOptions.Default, maxChars: config.MaxNewTokens, bufferChars: System.Math.Max(1, config.MaxNewTokens / 4));
        var math = new MathRewards(VerifierOptions.Default);
        using var run = new RunFolder(runDirectory, resume);
        var latest = resume ? run.LatestCheckpoint() ?? throw new ArgumentException($"{runDirectory}: nothing to resume, no checkpoint yet") : null;
        var (model, tokenizer) = Checkpoint.Load(latest ?? config.InitFrom);
        var reference = config.Beta > 0 ? Checkpoint.Load(config.InitFrom).Model : null;
        reference?.eval();
        using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList(), config.Beta1, config.Beta2, config.WeightDecay);
        var state = new GrpoState { Seed = config.Seed, Curriculum = config.Curriculum is null ? null : new CurriculumState { Level = config.Curriculum.StartLevel } };
        if (latest is not null)
        {
            optimizer.LoadStateDict(Checkpoint.LoadOptimizer(latest) ?? throw new CheckpointException(latest, "optimizer.safetensors is missing; cannot resume exactly"));
            state = JsonSerializer.Deserialize<GrpoState>(File.ReadAllText(Path.Combine(latest, Checkpoint.StateFile)))
                ?? throw new CheckpointException(latest, "trainer_state.json is empty");
            if (state.Trainer != "grpo")
            {
                throw new CheckpointException(latest, $"trainer_state.json is from a '{state.Trainer}' run, not GRPO");
            }
        }
        else
        {
            run.SaveConfig(config);
        }

        IPromptSource source = config.Data is { } data ? new FilePromptSource(data, config.Seed) : new CurriculumPromptSource(config.Curriculum!, config.Seed);
        var curriculum = config.Curriculum is null ? null : new Curriculum(config.Curriculum, state.Curriculum);
        var evalRecords = config.EvalData is null ? null : DatasetReader.Read(config.EvalData).Take(config.EvalItems).ToList();
        using var completionsLog = new StreamWriter(new FileStream(Path.Combine(run.Directory, CompletionsFile), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        double Elapsed() => state.ElapsedSeconds + clock.Elapsed.TotalSeconds;
        int step = state.Step;
        long generated = state.TokensGenerated;
        double rewardMean = state.LastRewardMean;
        double? evalAccuracy = null;
        string? lastCheckpoint = latest;
        GrpoState Snapshot() => new()
        {
            Step = step, ElapsedSeconds = Elapsed(), TokensGenerated = generated, LastRewardMean = rewardMean, Curriculum = curriculum?.State, Seed = config.Seed,
        };

        while ((config.MaxSteps == 0 || step < config.MaxSteps) && (config.TimeBudgetSeconds == 0 || Elapsed() < config.TimeBudgetSeconds) && !cancel.IsCancellationRequested)
        {
            int level = curriculum?.Level ?? 0;
            string levelName = curriculum?.Preset ?? "data";
            var timer = Stopwatch.StartNew();
            var prompts = source.Draw(step, config.PromptsPerStep, level);
            var rollouts = Rollouts.Sample(model, tokenizer, prompts, config, rewards, math, Seeds.Mix(config.Seed, 0x5A3B, step));
            double generationSeconds = timer.Elapsed.TotalSeconds;
            var totals = rollouts.Select(r => r.Score.Total).ToList();
            var advantages = GrpoMath.Advantages(totals, config.NumGenerations, config.ScaleRewards);
            generated += rollouts.Sum(r => r.CompletionIds.Count);

            timer.Restart();
            var pass = TrainOnRollouts(model, reference, optimizer, rollouts, advantages, config, tokenizer.PadId, LearningRate(config, step));
            double trainingSeconds = timer.Elapsed.TotalSeconds;
            step++;
            rewardMean = totals.Average();
            double accuracy = rollouts.Average(r => r.Accuracy ?? 0);
            curriculum?.Record(rollouts.Select(r => r.Accuracy ?? 0));

            if (step % config.LogEvery == 0 || step == 1)
            {
                run.Log(step, Metrics(config, rollouts, totals, advantages, pass, level, generationSeconds, trainingSeconds, Elapsed()));
            }

            if (step % config.LogCompletionsEvery == 0 || step == 1)
            {
                LogCompletions(completionsLog, step, rollouts, advantages, config.NumGenerations);
            }

            if (evalRecords is { Count: > 0 } && step % config.EvalEvery == 0)
            {
                evalAccuracy = RunSteps.Evaluate(model, tokenizer, evalRecords, run, step, config.MaxNewTokens);
            }

            if (step % config.CheckpointEvery == 0)
            {
                lastCheckpoint = RunSteps.SaveCheckpoint(run, config.KeepCheckpoints, step, model, tokenizer, optimizer, Snapshot());
            }

            progress?.Invoke(new GrpoProgress(step, config.MaxSteps, rewardMean, accuracy, levelName, Elapsed(), generationSeconds, trainingSeconds, evalAccuracy));
            if (stopAfterStep == step)
            {
                return new GrpoResult(run.Directory, step, rewardMean, evalAccuracy, Elapsed(), lastCheckpoint ?? string.Empty);
            }
        }

        if (evalRecords is { Count: > 0 } && step % config.EvalEvery != 0)
        {
            evalAccuracy = RunSteps.Evaluate(model, tokenizer, evalRecords, run, step, config.MaxNewTokens);
        }

        if (step % config.CheckpointEvery != 0 || lastCheckpoint is null)
        {
            lastCheckpoint = RunSteps.SaveCheckpoint(run, config.KeepCheckpoints, step, model, tokenizer, optimizer, Snapshot());
        }

        GrpoReport.Write(run.Directory, config, step, Elapsed());
        return new GrpoResult(run.Directory, step, rewardMean, evalAccuracy, Elapsed(), lastCheckpoint);
    }

    /// <summary>Linear warmup, then constant (RL steps are few and each one's data comes from the current policy).</summary>
    public static double LearningRate(GrpoConfig config, int step) =>
        config.WarmupSteps > 0 && step < config.WarmupSteps ? config.LearningRate * (step + 1) / config.WarmupSteps : config.LearningRate;

    private sealed record PassStats(double Loss, double GradNorm, double Entropy, double? Kl, double ClipLow, double ClipHigh);

    private static PassStats TrainOnRollouts(CausalLM model, CausalLM? reference, AdamW optimizer, List<Rollout> rollouts, double[] advantages, GrpoConfig config, int padId, double lr)
    {
        model.train();
        int micro = config.MicroBatchRows;
        var chunks = Enumerable.Range(0, rollouts.Count / micro).Select(c => (Rows: rollouts.GetRange(c * micro, micro), Advantages: advantages.Skip(c * micro).Take(micro).Select(a => (float)a).ToArray())).ToList();
        var tensors = chunks.Select(c => RolloutTensors.Build(c.Rows, padId, config.MaskTruncatedCompletions)).ToList();
        try
        {
            long totalTokens = (long)tensors.Sum(t => t.Mask.sum().item<float>());
            var scale = new LossScale(rollouts.Count, totalTokens, chunks.Count, config.MaxNewTokens);
            var old = new Tensor?[chunks.Count];
            var refs = new Tensor?[chunks.Count];
            if (reference is not null)
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope(); // logits and entropies of the reference passes; the kept log-probs are detached from it
                for (int c = 0; c < chunks.Count; c++)
                {
                    refs[c] = tensors[c].Score(reference).LogProbs.DetachFromDisposeScope();
                }
            }

            // Entropy and KL describe the policy that sampled the rollouts (first pass); loss, grad norm and
            // clip fractions are averaged over the passes (clipping can only happen from the second pass on).
            double entropyFirst = 0, klFirst = 0, lossMean = 0, gradMean = 0, clipLowMean = 0, clipHighMean = 0;
            for (int iteration = 0; iteration < config.NumIterations; iteration++)
            {
                model.zero_grad();
                double loss = 0, entropy = 0, klSum = 0, clipLow = 0, clipHigh = 0;
                for (int c = 0; c < chunks.Count; c++)
                {
                    using var scope = NewDisposeScope();
                    var t = tensors[c];
                    var (logProbs, tokenEntropy) = t.Score(model);
                    // The old policy is the first pass's (no update has happened yet); later passes reuse it.
                    var oldLogProbs = old[c] ?? logProbs.detach();
                    if (iteration == 0 && config.NumIterations > 1)
                    {
                        old[c] = oldLogProbs.DetachFromDisposeScope();
                    }

                    var a = tensor(chunks[c].Advantages);
                    var perToken = GrpoMath.PerTokenLoss(logProbs, oldLogProbs, a, config.EpsilonLow, config.EpsilonHigh, refs[c], config.Beta);
                    var chunkLoss = GrpoMath.Aggregate(perToken, t.Mask, config.LossType, scale);
                    chunkLoss.backward();
                    loss += chunkLoss.item<float>();
                    double share = t.Mask.sum().item<float>() / System.Math.Max(1.0, totalTokens);
                    entropy += MaskedMean(tokenEntropy, t.Mask) * share;
                    if (refs[c] is { } r)
                    {
                        klSum += MaskedMean(GrpoMath.KlK3(logProbs.detach(), r), t.Mask) * share;
                    }

                    var (low, high) = GrpoMath.ClipFractions(logProbs.detach(), oldLogProbs, a, t.Mask, config.EpsilonLow, config.EpsilonHigh);
                    clipLow += low * share;
                    clipHigh += high * share;
                }

                using var stepScope = NewDisposeScope();
                var gradients = optimizer.Gradients();
                double gradNorm = AdamW.ClipGradients(gradients, config.ClipGradNorm);
                if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
                {
                    throw new TrainingDivergedException($"GRPO loss became {loss} (grad norm {gradNorm}); lower learning_rate or raise beta, then --resume from the last checkpoint.");
                }

                optimizer.Update(lr, gradients);
                if (iteration == 0)
                {
                    (entropyFirst, klFirst) = (entropy, klSum);
                }

                double n = config.NumIterations;
                (lossMean, gradMean, clipLowMean, clipHighMean) = (lossMean + (loss / n), gradMean + (gradNorm / n), clipLowMean + (clipLow / n), clipHighMean + (clipHigh / n));
            }

            foreach (var tensor in old.Concat(refs))
            {
                tensor?.Dispose();
            }

            return new PassStats(lossMean, gradMean, entropyFirst, reference is null ? null : klFirst, clipLowMean, clipHighMean);
        }
        finally
        {
            foreach (var t in tensors)
            {
                t.Dispose();
            }
        }
    }

    private static double MaskedMean(Tensor values, Tensor mask) =>
        (values * mask).sum().item<float>() / System.Math.Max(1.0, mask.sum().item<float>());

    private static Dictionary<string, double> Metrics(GrpoConfig config, List<Rollout> rollouts, List<double> totals, double[] advantages, PassStats pass, int level, double generationSeconds, double trainingSeconds, double elapsed)
    {
        var lengths = rollouts.Select(r => (double)r.CompletionIds.Count).ToList();
        var metrics = new Dictionary<string, double>
        {
            ["reward_mean"] = totals.Average(),
            ["reward_std"] = GrpoMath.Std(totals),
            ["zero_std_fraction"] = GrpoMath.ZeroStdFraction(totals, config.NumGenerations),
            ["accuracy"] = rollouts.Average(r => r.Accuracy ?? 0),
            ["completion_length_mean"] = lengths.Average(),
            ["completion_length_min"] = lengths.Min(),
            ["completion_length_max"] = lengths.Max(),
            ["truncation_rate"] = rollouts.Average(r => r.Truncated ? 1.0 : 0.0),
            ["advantage_abs_mean"] = advantages.Average(System.Math.Abs),
            ["loss"] = pass.Loss,
            ["grad_norm"] = pass.GradNorm,
            ["entropy"] = pass.Entropy,
            ["kl"] = pass.Kl ?? double.NaN,
            ["clip_fraction_low"] = pass.ClipLow,
            ["clip_fraction_high"] = pass.ClipHigh,
            ["clip_fraction"] = pass.ClipLow + pass.ClipHigh,
            ["tokens_per_second"] = lengths.Sum() / System.Math.Max(1e-9, generationSeconds + trainingSeconds),
            ["seconds_generation"] = generationSeconds,
            ["seconds_training"] = trainingSeconds,
            ["elapsed_seconds"] = elapsed,
            ["curriculum_level"] = level,
        };
        foreach (var reward in rollouts[0].Score.Values.Keys)
        {
            var values = rollouts.Select(r => r.Score.Values[reward]).Where(v => v is not null).Select(v => v!.Value).ToList();
            metrics[$"reward/{reward}"] = values.Count == 0 ? double.NaN : values.Average();
        }

        return metrics;
    }

    /// <summary>The first prompt's whole group and the first completion of every other prompt.</summary>
    private static void LogCompletions(StreamWriter log, int step, List<Rollout> rollouts, double[] advantages, int groupSize)
    {
        for (int i = 0; i < rollouts.Count; i++)
        {
            if (i >= groupSize && i % groupSize != 0)
            {
                continue;
            }

            var r = rollouts[i];
            var line = new JsonObject
            {
                ["step"] = step, ["prompt"] = r.Prompt.Question, ["answer"] = r.Prompt.Answer, ["difficulty"] = r.Prompt.Difficulty,
                ["completion"] = r.Completion, ["reward"] = r.Score.Total, ["advantage"] = advantages[i], ["truncated"] = r.Truncated,
            };
            log.WriteLine(line.ToJsonString());
        }
    }
}
