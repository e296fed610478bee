// The next token of every row of a batch from its logits (B, V): greedy rows by one argmax over the batch, sampled
// rows with temperature, top-k and top-p, each drawing from its own seeded Random.
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Model.Generation;

public static class TokenChooser
{
    public static int[] Choose(Tensor logits, IReadOnlyList<DecodeRow> rows)
    {
        using var scope = NewDisposeScope();
        var result = logits.argmax(1).data<long>().Select(v => (int)v).ToArray();
        var sampled = Enumerable.Range(0, rows.Count).Where(b => rows[b].Temperature > 0).ToList();
        if (sampled.Count == 0)
        {
            return result;
        }

        long vocab = logits.shape[1];
        double temperature = rows[sampled[0]].Temperature;
        if (sampled.Count == rows.Count && rows.All(r => r.Temperature == temperature))
        {
            // one softmax for the whole batch (rollouts: every row at one temperature)
            using var t = temperature.ToScalar(); // disposed here, never left to a finalizer mid-call
            var values = (logits / t).to_type(ScalarType.Float64).softmax(1).data<double>().ToArray();
            for (int b = 0; b < rows.Count; b++)
            {
                result[b] = Sample(new ArraySegment<double>(values, (int)(b * vocab), (int)vocab), rows[b].TopK, rows[b].TopP, rows[b].Random);
            }

            return result;
        }

        foreach (int b in sampled)
        {
            using var t = rows[b].Temperature.ToScalar();
            var probabilities = (logits[b] / t).to_type(ScalarType.Float64).softmax(0).data<double>().ToArray();
            result[b] = Sample(probabilities, rows[b].TopK, rows[b].TopP, rows[b].Random);
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
