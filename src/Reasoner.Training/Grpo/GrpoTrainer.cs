// GRPO with verifier rewards, on the run skeleton (TrainingRun). Each step: draw P prompts, sample G completions each
// (old policy = the current weights), score them with the reward set, turn rewards into group-relative advantages,
// then take num_iterations optimizer passes on the clipped surrogate (+ beta * KL to the frozen starting model).
// The skeleton owns resume, stopping, the log/eval/checkpoint cadence, the NaN guard and the final save;
// completions.jsonl keeps a sample of rollouts.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Optimization;
using Reasoner.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Training.Grpo;

public sealed record GrpoProgress(int Step, int MaxSteps, double RewardMean, double Accuracy, string Level, double ElapsedSeconds, double GenerationSeconds, double TrainingSeconds, double? EvalAccuracy);

public sealed record GrpoResult(string RunDirectory, int Steps, double LastRewardMean, double? EvalAccuracy, double ElapsedSeconds, string FinalCheckpoint);

public sealed class GrpoTrainer : IRunTrainer<GrpoState>, IDisposable
{
    public const string CompletionsFile = "completions.jsonl";
    public const string Kind = "grpo";
    private readonly GrpoConfig _config;
    private readonly Action<GrpoProgress>? _progress;
    private readonly RewardSet _rewards;
    private readonly MathRewards _math = new(VerifierOptions.Default);
    private CausalLM? _reference;
    private IPromptSource? _source;
    private Curriculum? _curriculum;
    private StreamWriter? _completionsLog;
    private long _generated;
    private double _rewardMean;
    private Dictionary<string, double> _metrics = [];
    private GrpoProgress? _last;
    private readonly Queue<(List<Rollout> Rows, double[] Advantages)> _buffer = new(); // slices of the current generation batch still to train on
    private (int Batches, double ZeroStdFraction, double Accuracy) _sampled;

    private GrpoTrainer(GrpoConfig config, Action<GrpoProgress>? progress)
    {
        _config = config;
        _progress = progress;
        _rewards = RewardSet.Parse(config.Rewards, VerifierOptions.Default, maxChars: config.MaxNewTokens, bufferChars: System.Math.Max(1, config.MaxNewTokens / 4));
    }

    string IRunTrainer<GrpoState>.Kind => Kind;

    public string DivergenceHint => "Lower learning_rate or raise beta";

    /// <param name="stopAfterStep">For tests: return right after this step as if the process were killed (no final save).</param>
    public static GrpoResult Run(GrpoConfig config, string runDirectory, bool resume = false, Action<GrpoProgress>? progress = null, int? stopAfterStep = null, CancellationToken cancel = default)
    {
        config = config.Resolved().Validate();
        using var trainer = new GrpoTrainer(config, progress);
        var outcome = TrainingRun.Execute(config, trainer, runDirectory, resume, stopAfterStep, cancel);
        return new GrpoResult(outcome.RunDirectory, outcome.Steps, trainer._rewardMean, outcome.EvalAccuracy, outcome.ElapsedSeconds, outcome.FinalCheckpoint);
    }

    public (CausalLM Model, ITokenizer Tokenizer) Initial() => Checkpoint.Load(_config.InitFrom, _config.ChatTemplate is { } chat ? ChatFormats.Named(chat) : null);

    public void Start(RunContext run, GrpoState? saved)
    {
        // The reference is the starting model, frozen; only loaded when the KL term needs it, and not at all with LoRA:
        // there the base with its adapters turned off is the starting model.
        _reference = _config.Beta > 0 && run.Model.Lora is null ? Checkpoint.Load(_config.InitFrom).Model : null;
        _reference?.eval();
        run.MaxNewTokens = GenerationConfig.MaxNewTokens(_config.InitFrom) ?? _config.MaxNewTokens; // what the starting model was trained for, else the rollout length
        var state = saved ?? new GrpoState { Seed = _config.Seed, Curriculum = _config.Curriculum is null ? null : new CurriculumState { Level = _config.Curriculum.StartLevel } };
        (_generated, _rewardMean) = (state.TokensGenerated, state.LastRewardMean);
        _source = _config.Data is { } data ? new FilePromptSource(data, _config.Seed) : new CurriculumPromptSource(_config.Curriculum!, _config.Seed);
        _curriculum = _config.Curriculum is null ? null : new Curriculum(_config.Curriculum, state.Curriculum);
        _completionsLog = new StreamWriter(new FileStream(Path.Combine(run.Folder.Directory, CompletionsFile), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Step(RunContext run, int step, double learningRate)
    {
        int level = _curriculum?.Level ?? 0;
        string levelName = _curriculum?.Preset ?? "data";
        double generationSeconds = 0;
        if (_buffer.Count == 0)
        {
            var timer = Stopwatch.StartNew();
            var (rollouts, sampled) = Sample(run, step, level);
            _curriculum?.Record(sampled.All.Select(r => r.Accuracy ?? 0));
            _sampled = (sampled.Batches, sampled.ZeroStdFraction, sampled.All.Average(r => r.Accuracy ?? 0)); // of everything sampled: filtering keeps the groups that differ
            if (rollouts.Count > 0)
            {
                _generated += rollouts.Sum(r => r.CompletionIds.Count);
                Buffer(run, step, rollouts);
            }

            generationSeconds = timer.Elapsed.TotalSeconds;
        }

        if (_buffer.Count == 0)
        {
            // Dynamic sampling found no group that teaches within max_num_gen_batches: no update this step.
            _metrics = new Dictionary<string, double> { ["zero_std_fraction"] = 1.0, ["accuracy"] = _sampled.Accuracy, ["gen_batches"] = _sampled.Batches, ["groups_trained"] = 0, ["seconds_generation"] = generationSeconds, ["elapsed_seconds"] = run.Elapsed };
            _last = new GrpoProgress(step + 1, _config.MaxSteps, _rewardMean, 0, levelName, 0, generationSeconds, 0, null);
            return;
        }

        var (slice, advantages) = _buffer.Dequeue();
        var totals = slice.Select(r => r.Score.Total).ToList();
        var timerTraining = Stopwatch.StartNew();
        run.Model.Lora?.SeedDropout(Seeds.Mix(_config.Seed, 0x10A, step));
        var pass = TrainOnRollouts(run, slice, advantages, step, learningRate);
        double trainingSeconds = timerTraining.Elapsed.TotalSeconds;
        _rewardMean = totals.Average();
        _metrics = Metrics(_config, slice, totals, advantages, pass, level, generationSeconds, trainingSeconds, run.Elapsed);
        _metrics["zero_std_fraction"] = _sampled.ZeroStdFraction; // of every group in the generation batch, before any filtering
        _metrics["zero_std_fraction_trained"] = _config.StepsPerGeneration == 1 ? GrpoMath.ZeroStdFraction(totals, _config.NumGenerations) : double.NaN; // slices of a shuffled generation batch hold no whole groups
        _metrics["accuracy"] = _sampled.Accuracy;
        _metrics["gen_batches"] = _sampled.Batches;
        _metrics["groups_trained"] = (double)slice.Count / _config.NumGenerations;
        _metrics["generated_this_step"] = generationSeconds > 0 ? 1 : 0;
        if ((step + 1) % _config.LogCompletionsEvery == 0 || step == 0)
        {
            LogCompletions(_completionsLog!, step + 1, slice, advantages, _config.StepsPerGeneration == 1 ? _config.NumGenerations : 1);
        }

        _last = new GrpoProgress(step + 1, _config.MaxSteps, _rewardMean, _sampled.Accuracy, levelName, 0, generationSeconds, trainingSeconds, null);
    }

    /// <summary>
    /// Advantages over the whole generation batch; with steps_per_generation above 1, each row's sampling-time
    /// log-probabilities are recorded and the rows are shuffled (seeded) and cut into one slice per step, as TRL does.
    /// </summary>
    private void Buffer(RunContext run, int step, List<Rollout> rollouts)
    {
        var advantages = _config.MultiObjectiveAggregation == MultiObjectiveAggregation.NormalizeThenSum
            ? GrpoMath.NormalizeThenSum(rollouts.Select(r => (IReadOnlyList<double?>)_rewards.Rewards.Select(w => r.Score.Values[w.Name]).ToList()).ToList(), _rewards.Rewards.Select(w => w.Weight).ToList(), _config.NumGenerations)
            : GrpoMath.Advantages(rollouts.Select(r => r.Score.Total).ToList(), _config.NumGenerations, _config.ScaleRewards);
        int slices = _config.StepsPerGeneration;
        if (slices == 1)
        {
            _buffer.Enqueue((rollouts, advantages));
            return;
        }

        var old = RolloutTensors.RecordLogProbs(run.Model, rollouts, run.Tokenizer.PadId, _config.MicroBatch);
        var order = Enumerable.Range(0, rollouts.Count).ToArray();
        Seeds.Random(Seeds.Mix(_config.Seed, 0x5B6, step)).Shuffle(order);
        int size = (rollouts.Count + slices - 1) / slices;
        for (int start = 0; start < order.Length; start += size)
        {
            var picked = order.Skip(start).Take(size).ToList();
            _buffer.Enqueue((picked.Select(i => rollouts[i] with { OldLogProbs = old[i] }).ToList(), picked.Select(i => advantages[i]).ToArray()));
        }
    }

    public IReadOnlyDictionary<string, double> Metrics(RunContext run, int step) => _metrics;

    /// <summary>
    /// The step's rollouts: P prompts x G completions; with filter_groups, only groups whose rewards differ, drawing
    /// further prompt batches (seeded by step and batch) until P such groups or max_num_gen_batches, as DAPO does.
    /// </summary>
    private (List<Rollout> Rollouts, (int Batches, double ZeroStdFraction, List<Rollout> All) Sampled) Sample(RunContext run, int step, int level)
    {
        int g = _config.NumGenerations, wanted = _config.PromptsPerStep * _config.StepsPerGeneration, groups = 0, flat = 0, batches = 0;
        var kept = new List<Rollout>();
        var all = new List<Rollout>();
        do
        {
            var prompts = _source!.Draw(step, wanted, level, batches);
            long seed = batches == 0 ? Seeds.Mix(_config.Seed, 0x5A3B, step) : Seeds.Mix(Seeds.Mix(_config.Seed, 0x5A3B, step), 0xD5A, batches);
            var rollouts = Rollouts.Sample(run.Model, run.Tokenizer, prompts, _config, _rewards, _math, seed);
            all.AddRange(rollouts);
            batches++;
            for (int start = 0; start < rollouts.Count; start += g)
            {
                var group = rollouts.GetRange(start, g);
                bool zeroStd = group.All(r => r.Score.Total == group[0].Score.Total);
                groups++;
                flat += zeroStd ? 1 : 0;
                if ((!_config.FilterGroups || !zeroStd) && kept.Count < wanted * g)
                {
                    kept.AddRange(group);
                }
            }
        }
        while (_config.FilterGroups && kept.Count < wanted * g && batches < _config.MaxNumGenBatches);

        return (kept, (batches, (double)flat / groups, all));
    }

    public void Progress(RunContext run, int step) => _progress?.Invoke(_last! with { ElapsedSeconds = run.Elapsed, EvalAccuracy = run.EvalAccuracy });

    public GrpoState Snapshot(RunContext run, int step) => new()
    {
        Step = step, ElapsedSeconds = run.Elapsed, TokensGenerated = _generated, LastRewardMean = _rewardMean, Curriculum = _curriculum?.State, Seed = _config.Seed,
    };

    public void Finish(RunContext run, int steps) => GrpoReport.Write(run.Folder.Directory, _config, steps, run.Elapsed);

    public void Dispose()
    {
        _completionsLog?.Dispose();
        _reference?.Dispose();
    }

    private sealed record PassStats(double Loss, double GradNorm, double Entropy, double? Kl, double ClipLow, double ClipHigh, double TrainedTokenFraction, double SkippedRowFraction);

    private PassStats TrainOnRollouts(RunContext run, List<Rollout> rollouts, double[] advantages, int step, double lr)
    {
        var (model, reference, optimizer, config) = (run.Model, _reference, run.Optimizer, _config);
        model.train();
        int micro = config.MicroBatch;
        long totalTokens = rollouts.Sum(r => RolloutTensors.CountedTokens(r, config.MaskTruncatedCompletions));
        var scale = new LossScale(rollouts.Count, totalTokens, (rollouts.Count + micro - 1) / micro, config.MaxNewTokens);
        // A row with advantage 0 adds exactly nothing to the gradient when no KL, entropy term or per-micro-batch
        // normaliser is in play: it is left out of the passes (not out of the normaliser), unless every row is.
        var trained = Enumerable.Range(0, rollouts.Count).Where(i => !config.ZeroAdvantageRowsAreInert || advantages[i] != 0).ToList();
        trained = trained.Count == 0 ? [.. Enumerable.Range(0, rollouts.Count)] : trained;
        long skippedTokens = totalTokens - trained.Sum(i => RolloutTensors.CountedTokens(rollouts[i], config.MaskTruncatedCompletions));
        // The last chunk may be short: dynamic sampling can end a step with fewer groups than a full batch.
        var chunks = trained.Chunk(micro).Select(c => (Rows: c.Select(i => rollouts[i]).ToList(), Advantages: c.Select(i => (float)advantages[i]).ToArray())).ToList();
        var tensors = chunks.Select(c => RolloutTensors.Build(c.Rows, run.Tokenizer.PadId, config.MaskTruncatedCompletions)).ToList();
        try
        {
            long passTokens = totalTokens - skippedTokens;
            var old = new Tensor?[chunks.Count];
            var refs = new Tensor?[chunks.Count];
            if (config.Beta > 0)
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope(); // logits and entropies of the reference passes; the kept log-probs are detached from it
                var adapters = model.Lora;
                try
                {
                    if (adapters is not null)
                    {
                        adapters.Enabled = false; // the base alone is the reference
                    }

                    for (int c = 0; c < chunks.Count; c++)
                    {
                        refs[c] = tensors[c].Score(reference ?? model).LogProbs.DetachFromDisposeScope();
                    }
                }
                finally
                {
                    if (adapters is not null)
                    {
                        adapters.Enabled = true;
                    }
                }
            }

            // Entropy and KL describe the policy that sampled the rollouts (first pass); loss, grad norm and
            // clip fractions are averaged over the passes (clipping can only happen from the second pass on).
            double entropyFirst = 0, klFirst = 0, lossMean = 0, gradMean = 0, clipLowMean = 0, clipHighMean = 0, trainedTokens = 0;
            for (int iteration = 0; iteration < config.NumIterations; iteration++)
            {
                model.ZeroGrad();
                double loss = 0, entropy = 0, klSum = 0, clipLow = 0, clipHigh = 0;
                for (int c = 0; c < chunks.Count; c++)
                {
                    using var scope = NewDisposeScope();
                    var t = tensors[c];
                    var (logProbs, tokenEntropy) = t.Score(model);
                    // The old policy is the one that sampled: recorded with the rows when they are trained on later
                    // (steps_per_generation), else the first pass's (no update has happened yet); later passes reuse it.
                    if (iteration == 0 && chunks[c].Rows[0].OldLogProbs is not null)
                    {
                        old[c] = t.Recorded(chunks[c].Rows).DetachFromDisposeScope();
                    }

                    var oldLogProbs = old[c] ?? logProbs.detach();
                    if (iteration == 0 && config.NumIterations > 1 && old[c] is null)
                    {
                        old[c] = oldLogProbs.DetachFromDisposeScope();
                    }

                    var a = tensor(chunks[c].Advantages);
                    bool sequence = config.ImportanceSamplingLevel == ImportanceSamplingLevel.Sequence;
                    var sequenceMask = sequence ? t.Mask : null;
                    var perToken = config.LossType switch
                    {
                        LossAggregation.Cispo => GrpoMath.CispoLoss(logProbs, oldLogProbs, a, config.ClipHigh, refs[c], config.Beta, sequenceMask),
                        LossAggregation.Sapo => GrpoMath.SapoLoss(logProbs, oldLogProbs, a, config.SapoTemperaturePos, config.SapoTemperatureNeg, refs[c], config.Beta, sequenceMask),
                        _ => GrpoMath.PerTokenLoss(logProbs, oldLogProbs, a, config.Epsilon, config.ClipHigh, refs[c], config.Beta, sequenceMask, config.Delta),
                    };
                    if (config.EntropyCoef > 0)
                    {
                        using Scalar coef = config.EntropyCoef.ToScalar();
                        perToken = perToken - (tokenEntropy * coef); // the bonus: higher entropy, lower loss
                    }

                    // top_entropy_quantile: only the most uncertain tokens train (the mask of the loss, not of the metrics).
                    var lossMask = GrpoMath.HighEntropyMask(tokenEntropy.detach(), t.Mask, config.TopEntropyQuantile);
                    trainedTokens += lossMask.sum().item<float>() + (c == 0 ? skippedTokens : 0); // a skipped row's tokens are in the loss, with gradient 0
                    var chunkLoss = GrpoMath.Aggregate(perToken, lossMask, config.LossType, scale);
                    chunkLoss.backward();
                    loss += chunkLoss.item<float>();
                    double counted = t.Mask.sum().item<float>(), share = counted / System.Math.Max(1.0, totalTokens); // skipped rows are never clipped: they count as unclipped tokens
                    entropy += MaskedMean(tokenEntropy, t.Mask) * counted / System.Math.Max(1.0, passTokens);
                    if (refs[c] is { } r)
                    {
                        klSum += MaskedMean(GrpoMath.KlK3(logProbs.detach(), r), t.Mask) * share;
                    }

                    var (low, high) = GrpoMath.ClipFractions(logProbs.detach(), oldLogProbs, a, t.Mask, config.Epsilon, config.ClipHigh, sequence);
                    clipLow += low * share;
                    clipHigh += high * share;
                }

                using var stepScope = NewDisposeScope();
                var gradients = optimizer.Gradients();
                double gradNorm = AdamW.ClipGradients(gradients, config.ClipGradNorm);
                run.Guard(loss, gradNorm, step, lr);

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

            double trainedShare = trainedTokens / System.Math.Max(1.0, totalTokens * config.NumIterations);
            return new PassStats(lossMean, gradMean, entropyFirst, config.Beta > 0 ? klFirst : null, clipLowMean, clipHighMean, trainedShare, 1.0 - ((double)trained.Count / rollouts.Count));
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
            ["trained_token_fraction"] = pass.TrainedTokenFraction, // below 1 only with top_entropy_quantile
            ["skipped_row_fraction"] = pass.SkippedRowFraction, // advantage 0, passes skipped (skip_zero_advantage_rows)
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
            log.WriteLine(line.ToJsonString(Reasoner.Math.Data.JsonText.Compact));
        }
    }
}
