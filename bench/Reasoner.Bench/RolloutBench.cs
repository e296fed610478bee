// Rollout generation tokens/s on the R1 recipe's settings (P prompts x G completions, temperature 1, the recipe's
// max_new_tokens), the schedule GRPO used before the one decoding engine against continuous batching, in one run:
// - static: each step's P x G rows form one batch and the next step's rows wait until the whole batch has finished
//   (finished rows leave at once, as they always did), which is how every GRPO generation ran before;
// - continuous: the same rows, seeds and batch cap, but a finished row's place goes to the next row at once, which is
//   what a generation covering several batches (steps_per_generation, filter_groups' extra draws, eval) gets now.
// Both arms sample every row from its own seeded Random, so they generate the same texts; tokens/s is the ratio.
// Run: scripts/bench-rollouts.sh RUN_OR_CHECKPOINT PROMPTS.jsonl [STEPS]
using System.Diagnostics;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Runtime;
using Reasoner.Training.Runs;
using static TorchSharp.torch;

namespace Reasoner.Bench;

internal static class RolloutBench
{
    public static int Run(string model, string promptsPath, int steps, int prompts, int generations, int maxNewTokens, int threads)
    {
        TorchRuntime.EnsureLoaded();
        set_num_threads(threads);
        var (network, tokenizer) = Checkpoint.Load(CheckpointPaths.Resolve(model));
        var questions = DatasetReader.Read(promptsPath).Select(r => r.Prompt).Take(steps * prompts).ToList();
        if (questions.Count < steps * prompts)
        {
            Console.Error.WriteLine($"{promptsPath} holds {questions.Count} prompts; {steps} steps of {prompts} need {steps * prompts}");
            return 2;
        }

        // P prompts x G rows per step, a group's rows holding one prompt list (they share its prefill)
        var rows = questions.Select(q => (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, q)).SelectMany(p => Enumerable.Repeat(p, generations)).ToList();
        var generator = new TextGenerator(network, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer), tokenizer.VocabSize);
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens, Temperature = 1.0, Seed = 7, MaxBatch = prompts * generations };
        Console.WriteLine($"# rollouts: {model}, {steps} steps x {prompts} prompts x {generations} completions, temperature 1, max_new_tokens {maxNewTokens}, batch cap {prompts * generations} rows, {threads} thread(s); arms take turns, best of 2");
        Console.WriteLine("| schedule | tokens | seconds | tokens/s | mean completion | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var best = new Dictionary<bool, (long Tokens, double Seconds)>();
        List<List<int>>? first = null;
        int same = rows.Count;
        for (int repeat = 0; repeat < 2; repeat++)
        {
            foreach (bool continuous in new[] { false, true })
            {
                var clock = Stopwatch.StartNew();
                var outputs = generator.Generate(rows, options with { Continuous = continuous });
                double seconds = clock.Elapsed.TotalSeconds;
                long tokens = outputs.Sum(o => (long)System.Math.Min(o.Count + 1, maxNewTokens)); // the end token is generated too
                first ??= outputs;
                same = System.Math.Min(same, outputs.Zip(first).Count(p => p.First.SequenceEqual(p.Second)));

                if (!best.TryGetValue(continuous, out var b) || seconds < b.Seconds)
                {
                    best[continuous] = (tokens, seconds);
                }
            }
        }

        double baseline = best[false].Tokens / best[false].Seconds;
        foreach (bool continuous in new[] { false, true })
        {
            var (tokens, seconds) = best[continuous];
            Console.WriteLine($"| {(continuous ? "continuous (one engine)" : "static (before)")} | {tokens:N0} | {seconds:F1} | {tokens / seconds:F0} | {(double)tokens / rows.Count:F0} | {tokens / seconds / baseline:F2}x |");
        }

        // Each row draws from its own seeded Random, so the schedules differ only where a batch's float rounding moves a draw across a boundary.
        Console.WriteLine($"rows with the same text in every run: {same} of {rows.Count}");
        return 0;
    }
}
