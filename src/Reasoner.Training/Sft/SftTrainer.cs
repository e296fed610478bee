// SFT (loss on the completion only) and pretraining (loss on every token) on the run skeleton (TrainingRun):
// length-bucketed batches, gradient accumulation, clipping, AdamW and, with precision bf16, a bf16 twin of the model.
// The skeleton owns resume, stopping, the log/eval/checkpoint cadence, the NaN guard and the final save. With a "kd"
// config, a frozen teacher with the same tokenizer adds logit distillation (KdLoss) on the completion tokens, and
// with kd.lmbda > 0 some micro-batches are the student's own samples, scored by the teacher (OnPolicyBatch, GKD).
using System.Diagnostics;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Batches;
using Reasoner.Training.Optimization;
using Reasoner.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Reasoner.Training.Sft;

public sealed record TrainProgress(int Step, int MaxSteps, double Loss, double LearningRate, double TokensPerSecond, double ElapsedSeconds, double? EvalAccuracy);

/// <param name="DroppedTooLong">Training rows longer than max_seq_len, left out (never truncated, so no answer is cut off).</param>
/// <param name="Rows">Training rows kept.</param>
public sealed record TrainResult(string RunDirectory, int Steps, double FinalLoss, double? EvalAccuracy, double ElapsedSeconds, double TokensPerSecond, string FinalCheckpoint, int DroppedTooLong, int Rows);

public sealed class SftTrainer : IRunTrainer<SftState>, IDisposable
{
    public const string Kind = "sft";
    private static readonly object InitLock = new(); // manual_seed is process-wide: seed + build must not interleave
    private readonly TrainConfig _config;
    private readonly Action<TrainProgress>? _progress;
    private SftData? _data;
    private List<int[]> _batches = [];
    private Bf16Twin? _twin;
    private Scalar? _accumulation; // held for the run: see HeldScalars
    private CausalLM? _teacher;    // logit distillation (config "kd"): frozen, no gradients
    private KdLoss? _kd;
    private double _kl, _crossEntropy;
    private int _onPolicyBatches, _onPolicyRows, _onPolicyTruncated; // this step's on-policy micro-batches (kd.lmbda)
    private Scalar? _routerCoefficient; // mixture of experts: weight of the load-balancing loss
    private double _balance;
    private double[]? _load;
    private int _epoch, _batchIndex;
    private long _tokens, _tokensAtLog;
    private double _loss, _lastLogTime, _rate, _gradNorm, _learningRate;

    private SftTrainer(TrainConfig config, Action<TrainProgress>? progress)
    {
        _config = config;
        _progress = progress;
    }

    string IRunTrainer<SftState>.Kind => Kind;

    public string DivergenceHint => "Lower learning_rate or raise warmup_steps";

    /// <param name="stopAfterStep">For tests: return right after this step as if the process were killed (no final save).</param>
    public static TrainResult Run(TrainConfig config, string runDirectory, bool resume = false, Action<TrainProgress>? progress = null, int? stopAfterStep = null, CancellationToken cancel = default)
    {
        config = config.Resolved().Validate();
        using var trainer = new SftTrainer(config, progress);
        var outcome = TrainingRun.Execute(config, trainer, runDirectory, resume, stopAfterStep, cancel);
        return new TrainResult(outcome.RunDirectory, outcome.Steps, trainer._loss, outcome.EvalAccuracy, outcome.ElapsedSeconds, trainer._tokens / System.Math.Max(1e-9, outcome.ElapsedSeconds), outcome.FinalCheckpoint,
            trainer._data?.DroppedTooLong ?? 0, trainer._data?.Rows.Count ?? 0);
    }

    /// <summary>The weights a new run starts from: init_from's, or a fresh model of the configured size seeded by seed.</summary>
    public static (CausalLM Model, ITokenizer Tokenizer) InitialModel(TrainConfig config)
    {
        if (config.InitFrom is not null)
        {
            return Checkpoint.Load(CheckpointPaths.Resolve(config.InitFrom), config.ChatTemplate is { } chat ? ChatFormats.Named(chat) : null);
        }

        var tokenizer = new CharTokenizer();
        lock (InitLock)
        {
            manual_seed(config.Seed);
            var model = new CausalLM(ModelConfig.Preset(config.Model, tokenizer.VocabSize));
            model.Coupling = PositionCoupling.For(model.Config, tokenizer);
            return (model, tokenizer);
        }
    }

    public (CausalLM Model, ITokenizer Tokenizer) Initial() => InitialModel(_config);

    public void Start(RunContext run, SftState? saved)
    {
        if (_config.Precision == Precision.Bf16 && run.Model.Lora is not null)
        {
            run.Model.to(ScalarType.BFloat16); // LoRA: the frozen base is held in bf16, the adapters and their optimizer stay fp32
            run.Model.Attach(run.Model.Lora);  // and stays frozen
        }

        _twin = _config.Precision == Precision.Bf16 && run.Model.Lora is null ? new Bf16Twin(run.Model) : null;
        var state = saved ?? new SftState { Seed = _config.Seed };
        (_epoch, _batchIndex, _tokens, _loss, _lastLogTime) = (state.Epoch, state.BatchInEpoch, state.TokensSeen, state.LastLoss, state.ElapsedSeconds);
        _tokensAtLog = _tokens;
        _data = SftData.Load(_config.Data, run.Tokenizer, _config.MaxSeqLen, _config.Mix, _config.Seed);
        if (_config.Mode == TrainMode.Sft && _data.Rows.Count > 0)
        {
            int longest = _data.Rows.Max(r => r.Tokens.Length - r.PromptLength);
            run.MaxNewTokens = System.Math.Min(GenerationConfig.FromLongestCompletion(longest), run.Model.Config.MaxPositionEmbeddings);
        }
        _batches = _data.Batches(_config.Seed, _epoch, _config.BatchTokens);
        _accumulation = _config.GradAccum.ToScalar();
        if (run.Model.Config.IsMoe)
        {
            _routerCoefficient = run.Model.Config.RouterAuxLossCoef.ToScalar();
        }

        if (_config.Kd is { } kd)
        {
            var (teacher, teacherTokenizer) = Checkpoint.Load(CheckpointPaths.Resolve(kd.Teacher), _config.ChatTemplate is { } chat ? ChatFormats.Named(chat) : null);
            if (TokenizerMatch.Difference(run.Tokenizer, teacherTokenizer) is { } difference)
            {
                teacher.Dispose();
                throw new ArgumentException($"--teacher {kd.Teacher}: logit distillation needs the student's tokenizer, but {difference}. Distill through text instead (reasoner distill, then train on its rows)");
            }

            teacher.MergeLora();
            teacher.eval();
            foreach (var parameter in teacher.parameters())
            {
                parameter.requires_grad = false;
            }

            (_teacher, _kd) = (teacher, new KdLoss(kd.Alpha, kd.Temperature, kd.Beta));
        }
    }

    public void Step(RunContext run, int step, double learningRate)
    {
        var network = _twin?.Compute ?? run.Model; // runs forward and backward
        run.Model.Lora?.SeedDropout(Math.Problems.Seeds.Mix(_config.Seed, 0x10A, step));
        double stepLoss = 0;
        (_kl, _crossEntropy, _balance, _load) = (0, 0, 0, null);
        (_onPolicyBatches, _onPolicyRows, _onPolicyTruncated) = (0, 0, 0);
        _twin?.LoadWeights();
        if (_routerCoefficient is not null)
        {
            network.Routing = [];
        }

        network.ZeroGrad();
        for (int micro = 0; micro < _config.GradAccum; micro++)
        {
            if (_batchIndex >= _batches.Count)
            {
                _epoch++;
                _batchIndex = 0;
                _batches = _data!.Batches(_config.Seed, _epoch, _config.BatchTokens);
            }

            using var scope = NewDisposeScope();
            var rows = _batches[_batchIndex++];
            bool onPolicy = _config.Kd is { } kd && OnPolicyBatch.Chosen(kd, _config.Seed, step, micro, _config.GradAccum);
            NextTokenBatch batch;
            if (onPolicy)
            {
                var samples = OnPolicyBatch.Sample(run.Model, run.Tokenizer, [.. rows.Select(i => _data!.Rows[i])], _config.Kd!, _config.MaxSeqLen, _config.Seed, step, micro, _config.GradAccum);
                batch = samples.Batch;
                (_onPolicyBatches, _onPolicyRows, _onPolicyTruncated) = (_onPolicyBatches + 1, _onPolicyRows + samples.Rows, _onPolicyTruncated + samples.Truncated);
            }
            else
            {
                batch = _data!.Tensors(rows, _config.Mode, run.Tokenizer.PadId, run.Model.Coupling, TextGenerator.RowRandom(_config.Seed, (step * _config.GradAccum) + micro).NextInt64());
            }

            var logits = network.Forward(batch.Inputs, batch.Positions).to_type(ScalarType.Float32);                    // (B, T, V)
            Tensor microLoss;
            if (_teacher is not null)
            {
                Tensor teacherLogits;
                using (no_grad())
                {
                    teacherLogits = _teacher.Forward(batch.Inputs).to_type(ScalarType.Float32);
                }

                var (mixed, crossEntropy, kl) = _kd!.Compute(logits, teacherLogits, batch.Targets, run.Tokenizer.VocabSize, onPolicy);
                microLoss = mixed;
                if (!onPolicy)
                {
                    _crossEntropy += crossEntropy.item<float>();
                }

                _kl += kl.item<float>() / _config.GradAccum;
            }
            else
            {
                microLoss = F.cross_entropy(logits.view(-1, logits.shape[2]), batch.Targets.view(-1), ignore_index: KdLoss.IgnoreIndex);
            }

            if (_routerCoefficient is not null)
            {
                var (balance, load) = network.TakeRouting();
                microLoss = microLoss.add(balance, _routerCoefficient);
                _balance += balance.item<float>() / _config.GradAccum;
                _load = _load is null ? load : [.. _load.Zip(load, (a, b) => a + b)];
            }

            microLoss.div(_accumulation!).backward();
            stepLoss += microLoss.item<float>() / _config.GradAccum;
            _tokens += batch.LossTokens;
        }

        using var stepScope = NewDisposeScope(); // gradients and everything else this step creates
        var gradients = _twin?.WideGradients() ?? run.Optimizer.Gradients();
        _gradNorm = AdamW.ClipGradients(gradients, _config.ClipGradNorm);
        run.Guard(stepLoss, _gradNorm, step, learningRate);
        run.Optimizer.Update(learningRate, gradients);
        (_loss, _learningRate) = (stepLoss, learningRate);
    }

    public IReadOnlyDictionary<string, double> Metrics(RunContext run, int step)
    {
        double now = run.Elapsed;
        _rate = (_tokens - _tokensAtLog) / System.Math.Max(1e-9, now - _lastLogTime);
        (_tokensAtLog, _lastLogTime) = (_tokens, now);
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = _loss, ["learning_rate"] = _learningRate, ["grad_norm"] = _gradNorm, ["tokens_per_second"] = _rate, ["elapsed_seconds"] = now, ["epoch"] = _epoch,
        };
        if (_teacher is not null)
        {
            metrics["kd_divergence"] = _kl;
            metrics["kd_on_policy"] = (double)_onPolicyBatches / _config.GradAccum;
            if (_onPolicyBatches < _config.GradAccum)
            {
                metrics["kd_cross_entropy"] = _crossEntropy / (_config.GradAccum - _onPolicyBatches); // on the data's completions
            }

            if (_onPolicyRows > 0)
            {
                metrics["kd_on_policy_truncated"] = (double)_onPolicyTruncated / _onPolicyRows;
            }
        }

        if (_load is not null)
        {
            metrics["router_balance_loss"] = _balance;
            var share = _load.Select(l => l / _config.GradAccum).ToArray();
            metrics["router_load_max"] = share.Max() * share.Length; // 1: every expert gets its share; E: one expert gets all
            for (int e = 0; e < share.Length; e++)
            {
                metrics[$"router_load_{e}"] = share[e];
            }
        }

        return metrics;
    }

    public void Progress(RunContext run, int step)
    {
        if (step % _config.LogEvery == 0 || step == 1)
        {
            _progress?.Invoke(new TrainProgress(step, _config.MaxSteps, _loss, _learningRate, _rate, run.Elapsed, run.EvalAccuracy));
        }
    }

    public SftState Snapshot(RunContext run, int step) => new()
    {
        Step = step, Epoch = _epoch, BatchInEpoch = _batchIndex, TokensSeen = _tokens, ElapsedSeconds = run.Elapsed, LastLoss = _loss, Seed = _config.Seed,
    };

    public void Finish(RunContext run, int steps)
    {
        Plots.ForRun(run.Folder.Directory);
        SftReport.Write(run.Folder.Directory, _config, steps, _loss, run, _tokens, _data!);
    }

    public void Dispose()
    {
        _twin?.Dispose();
        _accumulation?.Dispose();
        _teacher?.Dispose();
        _kd?.Dispose();
        _routerCoefficient?.Dispose();
    }
}
