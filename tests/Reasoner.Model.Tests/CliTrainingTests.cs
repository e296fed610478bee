using System.Diagnostics;
using System.Text.Json;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Math.Tests;
using Reasoner.Model.Network;
using Reasoner.Training.Evaluation;

namespace Reasoner.Model.Tests;

/// <summary>`reasoner train`, `eval` and `solve` as separate processes, including a SIGKILL in the middle of training.</summary>
public sealed class CliTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rows_longer_than_max_seq_len_are_left_out_with_a_warning_that_says_how_many_and_what_to_raise()
    {
        var data = Path.Combine(_dir, "long.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d,mul-2x2", Count = 40, Seed = 4, Style = Reasoner.Math.Tracing.TraceStyle.Digit }, data);
        var lengths = File.ReadAllLines(data).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!.Length).ToList();
        int limit = 120;
        Assert.Contains(lengths, n => n > limit); // some 2x2 products are longer than the limit, every 1-digit sum is shorter
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 1024 }));
        var (code, _, error) = Run(["train", "--data", data, "--model", model, "--max-steps", "1", "--max-seq-len", $"{limit}", "--out", Path.Combine(_dir, "short")]);
        Assert.True(code == 0, error);
        Assert.Matches(@"warning: \d+ of 40 training rows were longer than max_seq_len 120 tokens and were left out", error);
        Assert.Contains("Raise --max-seq-len", error, StringComparison.Ordinal);
        (code, _, error) = Run(["train", "--data", data, "--model", model, "--max-steps", "1", "--max-seq-len", "1024", "--out", Path.Combine(_dir, "long")]);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("warning", error, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_killed_with_sigkill_resumes_to_the_same_weights_as_an_uninterrupted_run()
    {
        var data = Path.Combine(_dir, "train.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 300, Seed = 4 }, data);
        var model = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(model, JsonSerializer.Serialize(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256 }));
        string[] common = ["train", "--data", data, "--model", model, "--max-steps", "80", "--checkpoint-every", "10", "--batch-tokens", "1024", "--seed", "3"];

        var straight = Path.Combine(_dir, "straight");
        Assert.Equal(0, Run([.. common, "--out", straight]).Code);

        var killed = Path.Combine(_dir, "killed");
        using (var process = Start([.. common, "--out", killed]))
        {
            var target = Path.Combine(killed, "checkpoints", "checkpoint-30");
            var clock = Stopwatch.StartNew();
            while (!Directory.Exists(target) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                Thread.Sleep(20);
            }

            Assert.False(process.HasExited, "training finished before it could be killed");
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }

        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(killed, "checkpoints")), d => d.EndsWith("checkpoint-80", StringComparison.Ordinal));
        var (code, output, error) = Run(["train", "--resume", killed]);
        Assert.True(code == 0, error);
        Assert.Contains("trained 80 steps", output);

        SameWeights.InCheckpoints(Path.Combine(straight, "checkpoints", "checkpoint-80"), Path.Combine(killed, "checkpoints", "checkpoint-80"), "after kill and resume");

        // The trained run also serves eval and solve.
        var test = Path.Combine(_dir, "test.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 20, Seed = 5, Split = Reasoner.Math.Problems.Split.Test }, test);
        (code, output, error) = Run(["eval", "--model", killed, "--data", test, "--samples", "2", "--max-new-tokens", "64", "--json"]);
        Assert.True(code == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(20, report.GetProperty("overall").GetProperty("n").GetInt32());
        Assert.True(report.GetProperty("overall").TryGetProperty("pass_at_k", out _));
        Assert.False(File.Exists(Path.Combine(killed, "checkpoints", "checkpoint-80", "eval.json"))); // never inside a checkpoint
        var written = Assert.Single(Directory.GetFiles(Path.Combine(killed, "eval"), "eval-*.json"));
        var samples = File.ReadAllLines(EvalReport.SamplesPath(written));
        Assert.Equal(20, samples.Length); // one line per problem, with its completion and verdict
        var first = JsonDocument.Parse(samples[0]).RootElement;
        Assert.Equal("level-1", first.GetProperty("difficulty").GetString());
        Assert.True(first.TryGetProperty("completion", out _) && first.TryGetProperty("correct", out _) && first.TryGetProperty("pass_at_k", out _));

        (code, _, error) = Run(["eval", "--model", killed, "--data", test, "--max-new-tokens", "64"]);
        Assert.True(code == 0, error);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(killed, "eval"), "eval-*.json").Length); // a second evaluation never overwrites the first
        (code, _, error) = Run(["eval", "--model", killed, "--data", test, "--out", written]);
        Assert.Equal(2, code);
        Assert.Contains("already holds a result", error, StringComparison.Ordinal);

        (code, output, error) = Run(["solve", "12+7", "--model", killed]);
        Assert.True(code == 0, error);
        Assert.Contains("verifier:", output);
    }

    [Fact]
    public void Loading_a_corrupted_checkpoint_from_the_cli_names_the_file_and_the_problem()
    {
        var checkpoint = Path.Combine(_dir, "ckpt");
        Checkpoint.Save(checkpoint, ModelTests.Tiny(), new Tokenization.CharTokenizer());
        File.WriteAllBytes(Path.Combine(checkpoint, "model.safetensors"), [1, 2, 3]);
        var (code, _, error) = Run(["solve", "1+1", "--model", checkpoint]);
        Assert.Equal(2, code);
        Assert.Contains("model.safetensors: truncated", error);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Pretrain_builds_a_base_model_and_grpo_starts_from_it_or_refuses_a_bad_config_with_what_to_change()
    {
        var run = Path.Combine(_dir, "base");
        var (code, output, error) = Run(["pretrain", "--count", "300", "--max-steps", "8", "--time-budget", "0", "--out", run]);
        Assert.True(code == 0, error);
        Assert.Contains("base checkpoint", output);
        var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "data", "pretrain.card.json"))).RootElement;
        Assert.Equal(300, card.GetProperty("rows").GetInt32());
        foreach (var task in new[] { "facts", "worked", "copy", "reverse", "sort" })
        {
            Assert.True(card.GetProperty("by_task").TryGetProperty(task, out _), task);
        }

        var prompts = Path.Combine(_dir, "prompts.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 20, Seed = 2 }, prompts);
        (code, _, error) = Run(["grpo", "--init-from", run, "--data", prompts, "-G", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("num_generations must be at least 2", error);
        (code, _, error) = Run(["grpo", "--init-from", run, "--data", prompts, "--rewards", "accuracy,cookie"]);
        Assert.Equal(2, code);
        Assert.Contains("unknown reward 'cookie'", error);

        var rl = Path.Combine(_dir, "rl");
        (code, output, error) = Run(["grpo", "--init-from", run, "--data", prompts, "--max-steps", "2", "--prompts", "2", "-G", "4", "--max-new-tokens", "16", "--out", rl]);
        Assert.True(code == 0, error);
        Assert.Contains("GRPO 2 steps", output);
        Assert.True(File.Exists(Path.Combine(rl, "reward.png")));
    }

    [Fact]
    public void A_config_file_and_flags_compose_as_in_trl_and_the_effective_config_is_what_the_run_saves()
    {
        var checkpoint = Path.Combine(_dir, "base");
        Checkpoint.Save(checkpoint, ModelTests.Tiny(), new Tokenization.CharTokenizer());
        var prompts = Path.Combine(_dir, "prompts.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 20, Seed = 2 }, prompts);

        // No micro_batch_rows: it defaults to the whole rollout batch (2 x 4), whatever prompts_per_step is.
        var file = Path.Combine(_dir, "cfg.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { init_from = checkpoint, data = prompts, prompts_per_step = 2, num_generations = 4, max_steps = 3, max_new_tokens = 8, epsilon = 0.2 }));
        var rl = Path.Combine(_dir, "rl");
        var (code, output, error) = Run(["grpo", "--config", file, "--epsilon", "0.28", "--max-steps", "1", "--out", rl]);
        Assert.True(code == 0, error);
        Assert.Contains("GRPO 1 steps", output);
        var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(rl, "config.json"))).RootElement;
        Assert.Equal(0.28, saved.GetProperty("epsilon").GetDouble());        // the flag beats the file
        Assert.Equal(0.28, saved.GetProperty("epsilon_high").GetDouble());   // unset: epsilon, as TRL
        Assert.Equal(1, saved.GetProperty("max_steps").GetInt32());
        Assert.Equal(2, saved.GetProperty("prompts_per_step").GetInt32());   // the file's value stays
        Assert.Equal(8, saved.GetProperty("micro_batch_rows").GetInt32());
        Assert.Equal(8, saved.GetProperty("max_new_tokens").GetInt32());

        // solve and eval read the run's dataset card: a problem outside it gets one warning line, and an answer anyway.
        (code, output, error) = Run(["solve", "123 + 4", "--model", rl]);
        Assert.True(code == 0, error);
        Assert.Contains("warning: '123 + 4' lies outside what this model was trained on (add-1d): it has a 3-digit operand of '+', and its training data has at most 1 digits there. Answering anyway.", error);
        Assert.Contains("verifier:", output);
        (_, _, error) = Run(["solve", "3 + 4", "--model", rl]);
        Assert.DoesNotContain("warning", error);
        var test = Path.Combine(_dir, "test.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d,level-3", Count = 6, Seed = 4, Split = Reasoner.Math.Problems.Split.Test }, test);
        (code, _, error) = Run(["eval", "--model", rl, "--data", test, "--max-new-tokens", "8", "--out", Path.Combine(_dir, "eval.json")]);
        Assert.True(code == 0, error);
        Assert.Contains("warning: 3 of 6 problems lie outside what this model was trained on (add-1d)", error);

        // A resumed run keeps the config it saved: flags beside --resume are refused, not silently dropped.
        (code, _, error) = Run(["grpo", "--resume", rl, "--epsilon", "0.3"]);
        Assert.Equal(2, code);
        Assert.Contains("other options cannot change it", error);

        // A misspelt field in a config file is named, not ignored.
        File.WriteAllText(file, "{\"init_from\": \"x\", \"max_step\": 3}");
        (code, _, error) = Run(["grpo", "--config", file]);
        Assert.Equal(2, code);
        Assert.Contains($"{file}:", error);
        Assert.Contains("max_step", error);
    }

    private static Process Start(string[] args) => ReasonerProcess.Start(args);

    private static (int Code, string Output, string Error) Run(string[] args) => ReasonerProcess.Run(args);
}
