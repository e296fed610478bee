using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// train --teacher: cross-entropy mixed with a divergence to the teacher's softened distribution on completion tokens,
/// and GKD's on-policy variant (--kd-lmbda), where the student's own samples are scored by the teacher.
/// </summary>
[Collection(nameof(ProcessWideTorchState))] // compares runs bit for bit
public sealed class LogitDistillationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-kd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_loss_equals_a_hand_computed_value()
    {
        // One sequence of two positions over three ids; only the first position is a completion token (target 1).
        double[] student0 = [1.0, 2.0, 0.5], teacher0 = [0.2, 1.5, 1.0], student1 = [3.0, 0.0, 0.0], teacher1 = [0.0, 0.0, 3.0];
        const double alpha = 0.3, temperature = 2.0;

        double ce = -System.Math.Log(Softmax(student0, 1)[1]);
        var (p, q) = (Softmax(teacher0, temperature), Softmax(student0, temperature));
        double kl = Enumerable.Range(0, 3).Sum(i => p[i] * System.Math.Log(p[i] / q[i])) * temperature * temperature;
        double expected = ((1 - alpha) * ce) + (alpha * kl);

        using var scope = NewDisposeScope();
        var student = tensor(student0.Concat(student1).Select(v => (float)v).ToArray()).reshape(1, 2, 3);
        var teacher = tensor(teacher0.Concat(teacher1).Select(v => (float)v).ToArray()).reshape(1, 2, 3);
        var targets = tensor(new long[] { 1, KdLoss.IgnoreIndex }).reshape(1, 2);
        using var loss = new KdLoss(alpha, temperature);
        var (total, crossEntropy, divergence) = loss.Compute(student, teacher, targets, vocab: 3);

        Assert.Equal(ce, crossEntropy.item<float>(), 5);
        Assert.Equal(kl, divergence.item<float>(), 5);
        Assert.Equal(expected, total.item<float>(), 5);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.2)]
    public void The_divergence_chosen_by_beta_equals_a_hand_computed_value(double beta)
    {
        // One completion position over three ids. beta 1: KL(student || teacher); otherwise GKD's generalized JSD.
        double[] student0 = [1.0, 2.0, 0.5], teacher0 = [0.2, 1.5, 1.0];
        const double temperature = 2.0;
        var p = Softmax(teacher0, temperature);
        var q = Softmax(student0, temperature);
        static double Kl(double[] a, double[] b) => Enumerable.Range(0, a.Length).Sum(i => a[i] * System.Math.Log(a[i] / b[i]));
        var m = Enumerable.Range(0, 3).Select(i => (beta * p[i]) + ((1 - beta) * q[i])).ToArray();
        double divergence = (beta == 1 ? Kl(q, p) : (beta * Kl(p, m)) + ((1 - beta) * Kl(q, m))) * temperature * temperature;

        using var scope = NewDisposeScope();
        var student = tensor(student0.Select(v => (float)v).ToArray()).reshape(1, 1, 3);
        var teacher = tensor(teacher0.Select(v => (float)v).ToArray()).reshape(1, 1, 3);
        var targets = tensor(new long[] { 1 }).reshape(1, 1);
        using var loss = new KdLoss(0.3, temperature, beta);
        var offPolicy = loss.Compute(student, teacher, targets, vocab: 3);
        Assert.Equal(divergence, offPolicy.Kl.item<float>(), 5);
        Assert.Equal((0.7 * -System.Math.Log(Softmax(student0, 1)[1])) + (0.3 * divergence), offPolicy.Loss.item<float>(), 5);
        Assert.Equal(divergence, loss.Compute(student, teacher, targets, vocab: 3, onPolicy: true).Loss.item<float>(), 5); // no cross-entropy on own samples
    }

    private static double[] Softmax(double[] x, double t)
    {
        var e = x.Select(v => System.Math.Exp(v / t)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }

    [Fact]
    public void A_teacher_identical_to_the_student_adds_no_divergence()
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 4, 7, generator: new Generator(1));
        var targets = tensor(new long[] { 1, 2, -100, 3, -100, -100, 4, 5 }).reshape(2, 4);
        foreach (var beta in new[] { 0.0, 0.5, 1.0 })
        {
            using var loss = new KdLoss(0.5, 1.5, beta);
            Assert.Equal(0.0, loss.Compute(logits, logits, targets, 7).Kl.item<float>(), 6);
        }
    }

    private (TrainConfig Config, string Teacher) Setup(int teacherSteps = 10)
    {
        var data = Path.Combine(_dir, "data.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 200, Seed = 3 }, data);
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }));
        var config = new TrainConfig { Data = data, Model = model, MaxSteps = 10, BatchTokens = 1_024, WarmupSteps = 2, CheckpointEvery = 10, EvalEvery = 1_000, LogEvery = 5, Seed = 7 };
        var teacher = Path.Combine(_dir, "teacher");
        SftTrainer.Run(config with { MaxSteps = teacherSteps }, teacher);
        return (config, teacher);
    }

    [Fact]
    public void A_run_with_a_teacher_logs_its_divergence_and_saves_the_kd_config()
    {
        var (config, teacher) = Setup();
        var run = Path.Combine(_dir, "student");
        SftTrainer.Run(config with { Seed = 8, Kd = new KdSettings { Teacher = teacher, Alpha = 0.7, Temperature = 2 } }, run);

        var metrics = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).Where(m => m["kd_divergence"] is not null).ToList();
        Assert.NotEmpty(metrics);
        Assert.All(metrics, m => Assert.True(m["kd_divergence"]!.GetValue<double>() > 0 && double.IsFinite(m["kd_cross_entropy"]!.GetValue<double>())));
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["kd"]!;
        Assert.Equal(0.7, saved["alpha"]!.GetValue<double>());
        Assert.True(Path.IsPathRooted(saved["teacher"]!.GetValue<string>()));
    }

    [Fact]
    public void A_teacher_with_another_tokenizer_is_refused_by_name()
    {
        var (config, _) = Setup();
        var other = Path.Combine(_dir, "other");
        var tokenizer = new CharTokenizer();
        manual_seed(1);
        using (var model = new CausalLM(new ModelConfig { VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }))
        {
            Checkpoint.Save(other, model, tokenizer);
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(other, "tokenizer.json")))!;
        var vocab = json["model"]!["vocab"]!.AsObject();
        var first = vocab.First(v => v.Key == "7");
        var (key, id) = (first.Key, first.Value!.GetValue<int>());
        var swap = vocab.First(v => v.Key == "8");
        (vocab[key], vocab[swap.Key]) = (swap.Value!.GetValue<int>(), id); // '7' and '8' trade ids
        File.WriteAllText(Path.Combine(other, "tokenizer.json"), json.ToJsonString());

        var error = Assert.Throws<ArgumentException>(() => SftTrainer.Run(config with { Kd = new KdSettings { Teacher = other } }, Path.Combine(_dir, "refused")));
        Assert.Contains("needs the student's tokenizer", error.Message, StringComparison.Ordinal);
        Assert.Contains("'7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_policy_steps_train_on_the_students_own_samples_and_bring_it_closer_to_the_teacher()
    {
        var (config, teacher) = Setup(teacherSteps: 60);
        var run = Path.Combine(_dir, "gkd");
        SftTrainer.Run(config with { Seed = 8, MaxSteps = 40, LogEvery = 1, Kd = new KdSettings { Teacher = teacher, Lmbda = 1, Beta = 0.5, MaxNewTokens = 24 } }, run);

        var metrics = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).Where(m => m["kd_divergence"] is not null).ToList();
        Assert.All(metrics, m => Assert.Equal(1.0, m["kd_on_policy"]!.GetValue<double>()));
        Assert.All(metrics, m => Assert.Null(m["kd_cross_entropy"])); // no data completion was trained on
        Assert.All(metrics, m => Assert.InRange(m["kd_on_policy_truncated"]!.GetValue<double>(), 0, 1));
        double first = metrics.Take(5).Average(m => m["kd_divergence"]!.GetValue<double>());
        double last = metrics.TakeLast(5).Average(m => m["kd_divergence"]!.GetValue<double>());
        Assert.True(last < 0.8 * first, $"the divergence on the student's own samples did not fall: {first:F4} -> {last:F4}");
        Assert.Contains("on-policy share (lmbda) 1", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_resumed_on_policy_run_reaches_exactly_the_same_weights_as_an_uninterrupted_one()
    {
        var (config, teacher) = Setup();
        config = config with { Seed = 8, MaxSteps = 12, CheckpointEvery = 5, Kd = new KdSettings { Teacher = teacher, Lmbda = 0.5, MaxNewTokens = 16 } };
        var straight = SftTrainer.Run(config, Path.Combine(_dir, "straight"));
        var interrupted = Path.Combine(_dir, "interrupted");
        SftTrainer.Run(config, interrupted, stopAfterStep: 8); // killed after step 8: the last checkpoint is step 5
        var resumed = SftTrainer.Run(config, interrupted, resume: true);

        var shares = File.ReadLines(Path.Combine(interrupted, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!["kd_on_policy"]?.GetValue<double>()).OfType<double>().ToList();
        Assert.Contains(1.0, shares); // both kinds of step happened
        Assert.Contains(0.0, shares);
        SameWeights.InCheckpoints(straight.FinalCheckpoint, resumed.FinalCheckpoint);
    }

    [Fact]
    public void The_on_policy_share_follows_lmbda_and_is_the_same_on_every_run()
    {
        var kd = new KdSettings { Teacher = "t", Lmbda = 0.3 };
        var chosen = Enumerable.Range(1, 2_000).Select(step => OnPolicyBatch.Chosen(kd, 5, step, 0, 1)).ToList();
        Assert.InRange(chosen.Count(c => c), 520, 680);
        Assert.Equal(chosen, Enumerable.Range(1, 2_000).Select(step => OnPolicyBatch.Chosen(kd, 5, step, 0, 1)));
        Assert.DoesNotContain(true, Enumerable.Range(1, 100).Select(step => OnPolicyBatch.Chosen(kd with { Lmbda = 0 }, 5, step, 0, 1)));
        Assert.Contains("--kd-beta and --kd-lmbda must be in [0, 1]", Assert.Throws<ArgumentException>(() => (kd with { Lmbda = double.NaN }).Validate()).Message, StringComparison.Ordinal);
    }
}
