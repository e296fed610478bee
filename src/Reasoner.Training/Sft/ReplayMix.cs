// Replay mixing: a share of the training rows drawn from another dataset (general data, say), so narrow fine-tuning
// forgets less of what the base knew. FILE:SHARE means SHARE of the final rows come from FILE: for N main rows, k =
// round(N * SHARE / (1 - SHARE)) rows drawn from FILE with the run's seed, without repeats until FILE is used up.
using System.Globalization;
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Training.Sft;

public static class ReplayMix
{
    /// <summary>"FILE:SHARE" as (file, share); a share outside (0, 1) or a missing ':' is refused with the form to use.</summary>
    public static (string File, double Share) Parse(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon <= 0 || !double.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is <= 0 or >= 1)
        {
            throw new ArgumentException($"--mix '{spec}': write FILE:SHARE with 0 < SHARE < 1, e.g. pretrain.jsonl:0.2");
        }

        return (spec[..colon], share);
    }

    /// <summary>The replay rows to add to <paramref name="mainCount"/> main rows, in a seeded order.</summary>
    public static List<DatasetRecord> Draw(string spec, int mainCount, long seed)
    {
        var (file, share) = Parse(spec);
        var pool = DatasetReader.Read(file).ToList();
        if (pool.Count == 0)
        {
            throw new ArgumentException($"--mix {file}: the file has no rows");
        }

        int want = (int)System.Math.Round(mainCount * share / (1 - share));
        var random = Seeds.Random(Seeds.Mix(seed, (long)Seeds.Hash(file)));
        var rows = new List<DatasetRecord>(want);
        while (rows.Count < want)
        {
            rows.AddRange(pool.OrderBy(_ => random.Next()).Take(want - rows.Count));
        }

        return rows;
    }
}
