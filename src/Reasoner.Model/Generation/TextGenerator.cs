// Batched generation for prompts of different lengths: left padding, a padding-aware attention mask,
// positions that skip the padding, a KV cache, and greedy / temperature / top-k / top-p sampling with a seed.
// Rows that reach a stop token leave the batch (their cache rows are dropped), so long tails cost little.
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

    /// <summary>Turn the KV cache off (recomputes the whole sequence each step; for tests and comparisons).</summary>
    public bool UseCache { get; init; } = true;

    public GenerationOptions Validate()
    {
        if (MaxNewTokens <= 0 || Temperature < 0 || TopK < 0 || TopP is <= 0 or > 1)
        {
            throw new ArgumentException("generation needs max_new_tokens > 0, temperature >= 0, top_k >= 0 and 0 < top_p <= 1");
        }

        return this;
    }
}

public sealed class TextGenerator(CausalLM model, int padId, IReadOnlyCollection<int> stopIds)
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

        var random = new Random((int)(options.Seed & int.MaxValue));
        using var noGrad = no_grad();
        model.eval();
        int width = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count, width];
        var mask = new long[prompts.Count, width];
        for (int r = 0; r < prompts.Count; r++)
        {
            int offset = width - prompts[r].Count; // left padding
            for (int c = 0; c < width; c++)
            {
                ids[r, c] = c < offset ? padId : prompts[r][c - offset];
                mask[r, c] = c < offset ? 0 : 1;
            }
        }

        // Without padding (prompts of one length), positions follow from the cache and no padding mask is needed.
        bool padded = prompts.Any(p => p.Count != width);
        var active = Enumerable.Range(0, prompts.Count).ToList(); // original row of each batch row
        using var cache = options.UseCache ? new KvCache(model.Config.NumHiddenLayers) : null;
        var sequence = tensor(ids);
        var keyMask = tensor(mask);
        var input = sequence;
        for (int step = 0; step < options.MaxNewTokens && active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            Tensor? stepPositions = null;
            if (padded)
            {
                var positions = (keyMask.cumsum(1, ScalarType.Int64) - HeldScalars.One).clamp_min(HeldScalars.Zero);
                stepPositions = options.UseCache && step > 0 ? positions.narrow(1, positions.shape[1] - 1, 1) : positions;
            }

            var logits = model.Forward(input, stepPositions, padded ? keyMask : null, cache); // (B, T, V)
            var last = logits.select(1, logits.shape[1] - 1);                             // (B, V)
            var next = Choose(last, options, random);
            var finished = new List<int>();
            for (int b = 0; b < next.Length; b++)
            {
                if (stopIds.Contains(next[b]))
                {
                    finished.Add(b);
                }
                else
                {
                    outputs[active[b]].Add(next[b]);
                }
            }

            var nextTensor = tensor(next.Select(n => (long)n).ToArray()).unsqueeze(1);  // (B, 1)
            var newSequence = cat([sequence, nextTensor], 1);
            var newMask = cat([keyMask, ones_like(nextTensor)], 1);
            if (finished.Count > 0)
            {
                var keep = Enumerable.Range(0, next.Length).Except(finished).Select(b => (long)b).ToArray();
                active = keep.Select(b => active[(int)b]).ToList();
                if (keep.Length == 0)
                {
                    break;
                }

                var rows = tensor(keep);
                newSequence = newSequence.index_select(0, rows);
                newMask = newMask.index_select(0, rows);
                nextTensor = nextTensor.index_select(0, rows);
                cache?.Select(rows);
            }

            var previousInput = input;
            Swap(ref sequence, newSequence);
            Swap(ref keyMask, newMask);
            input = options.UseCache ? nextTensor.DetachFromDisposeScope() : sequence;
            if (options.UseCache && step > 0)
            {
                previousInput.Dispose(); // the previous step's single-token input; at step 0 the input was the sequence, freed by Swap
            }
        }

        if (!ReferenceEquals(input, sequence))
        {
            input.Dispose();
        }

        sequence.Dispose();
        keyMask.Dispose();
        return outputs;
    }

    /// <summary>Keeps a tensor across steps (out of the step's dispose scope) and frees the one it replaces.</summary>
    private static void Swap(ref Tensor slot, Tensor value)
    {
        value.DetachFromDisposeScope();
        var old = slot;
        slot = value;
        old.Dispose();
    }

    private static int[] Choose(Tensor logits, GenerationOptions options, Random random)
    {
        if (options.Temperature == 0)
        {
            return logits.argmax(1).data<long>().Select(v => (int)v).ToArray();
        }

        long rows = logits.shape[0], vocab = logits.shape[1];
        using var temperature = options.Temperature.ToScalar(); // disposed here, never left to a finalizer mid-call
        var values = (logits / temperature).to_type(ScalarType.Float64).softmax(1).data<double>().ToArray();
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            result[r] = Sample(new ArraySegment<double>(values, (int)(r * vocab), (int)vocab), options.TopK, options.TopP, random);
        }

        return result;
    }

    /// <summary>Top-k (0 keeps all), then top-p (nucleus) filtering, then one draw from what is left.</summary>
    public static int Sample(IReadOnlyList<double> probabilities, int topK, double topP, Random random)
    {
        var order = Enumerable.Range(0, probabilities.Count).OrderByDescending(i => probabilities[i]).ToList();
        if (topK > 0)
        {
            order = order.Take(topK).ToList();
        }

        var kept = new List<int>();
        double mass = 0;
        foreach (var i in order)
        {
            kept.Add(i);
            mass += probabilities[i];
            if (mass >= topP)
            {
                break;
            }
        }

        double draw = random.NextDouble() * kept.Sum(i => probabilities[i]);
        foreach (var i in kept)
        {
            draw -= probabilities[i];
            if (draw <= 0)
            {
                return i;
            }
        }

        return kept[^1];
    }
}
