// Generation for a list of prompts on the one decoding engine (DecodeBatch): at most max_batch rows decode
// together, a finished row leaves at once and the next prompt takes its place (continuous batching), and each row
// samples from its own Random seeded by (seed, its index), so its text does not depend on the batch. Greedy /
// temperature / top-k / top-p. Without the KV cache (tests and comparisons), the whole sequence is recomputed each step.
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Model.Generation;

public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>0 means greedy (argmax).</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    public long Seed { get; init; } = 1;

    /// <summary>Rows decoded together; 0 puts every prompt in one batch.</summary>
    public int MaxBatch { get; init; }

    /// <summary>
    /// true: a finished row's place goes to the next prompt at once (continuous batching); false: the next prompts
    /// start only when the whole batch has finished (static batches, as before the one engine; for benchmarks).
    /// </summary>
    public bool Continuous { get; init; } = true;

    /// <summary>Turn the KV cache off (recomputes the whole sequence each step; for tests and comparisons).</summary>
    public bool UseCache { get; init; } = true;

    public GenerationOptions Validate()
    {
        if (MaxNewTokens <= 0 || Temperature < 0 || TopK < 0 || TopP is <= 0 or > 1 || MaxBatch < 0)
        {
            throw new ArgumentException("generation needs max_new_tokens > 0, temperature >= 0, top_k >= 0, 0 < top_p <= 1 and max_batch >= 0");
        }

        return this;
    }
}

public sealed class TextGenerator(CausalLM model, int padId, IReadOnlyCollection<int> stopIds, int? vocabSize = null)
{
    /// <summary>Generates a completion per prompt (token ids without the prompt and without the stop token).</summary>
    public List<List<int>> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        options.Validate();
        var outputs = prompts.Select(_ => new List<int>()).ToList();
        if (prompts.Count == 0)
        {
            return outputs;
        }

        using var noGrad = no_grad();
        model.eval();
        if (!options.UseCache)
        {
            Uncached(prompts, options, outputs);
            return outputs;
        }

        var rows = prompts.Select((p, i) => new Row(p, options, i)).ToList();
        int maxBatch = options.MaxBatch == 0 ? rows.Count : options.MaxBatch;
        using var batch = new DecodeBatch(model, padId, vocabSize);
        void Chosen(DecodeRow decoded, int id, Tensor logits, int index)
        {
            var row = (Row)decoded;
            if (stopIds.Contains(id))
            {
                row.Done = true;
                return;
            }

            outputs[row.Index].Add(id);
            row.Done = outputs[row.Index].Count >= options.MaxNewTokens;
        }

        int next = 0;
        while (next < rows.Count || batch.Rows.Count > 0)
        {
            batch.Compact();
            int room = System.Math.Min(maxBatch - batch.Rows.Count, rows.Count - next);
            if (room > 0 && (options.Continuous || batch.Rows.Count == 0))
            {
                batch.Join(rows.GetRange(next, room), Chosen);
                next += room;
                continue; // the newcomers' first tokens are chosen; a row may already be done
            }

            batch.Step(Chosen);
        }

        return outputs;
    }

    /// <summary>The reference path: the whole left-padded sequence through the model at every step, no cache.</summary>
    private void Uncached(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, List<List<int>> outputs)
    {
        var rows = prompts.Select((p, i) => new Row(p, options, i)).ToList();
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            var active = rows.Where(r => !r.Done).ToList();
            if (active.Count == 0)
            {
                break;
            }

            using var scope = NewDisposeScope();
            var sequences = active.Select(r => (IReadOnlyList<int>)r.Prompt.Concat(outputs[r.Index]).ToList()).ToList();
            var (ids, mask, positions) = DecodeBatch.LeftPadded(sequences, padId);
            if (model.Coupling is { } coupling)
            {
                positions = DecodeBatch.Placed(active.Select((r, i) => coupling.Sequence(sequences[i], r.Prompt.Count)).ToList(), ids.shape[1]);
            }

            var logits = DecodeBatch.Vocab(model.Forward(ids, positions, positions is null ? null : mask).select(1, ids.shape[1] - 1), vocabSize);

            var chosen = TokenChooser.Choose(logits, active);
            for (int r = 0; r < active.Count; r++)
            {
                if (stopIds.Contains(chosen[r]))
                {
                    active[r].Done = true;
                }
                else
                {
                    outputs[active[r].Index].Add(chosen[r]);
                }
            }
        }
    }

    /// <summary>The Random of row <paramref name="index"/> under <paramref name="seed"/> (SplitMix64 of both, so neighbouring seeds and rows draw unrelated streams).</summary>
    public static Random RowRandom(long seed, long index)
    {
        ulong z = unchecked((ulong)seed + (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return new Random((int)((z ^ (z >> 31)) & int.MaxValue));
    }

    private sealed class Row(IReadOnlyList<int> prompt, GenerationOptions options, int index)
        : DecodeRow(prompt, options.Temperature, options.TopK, options.TopP, RowRandom(options.Seed, index))
    {
        public int Index { get; } = index;
    }
}
