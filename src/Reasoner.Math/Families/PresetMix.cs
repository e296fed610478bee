// A comma-separated preset list with optional whole-number weights, "add-upto-4d:3,sub-upto-2d:1": problems are drawn
// round-robin over a cycle in which a preset of weight w holds w slots, spread out (smooth weighted round-robin, as
// nginx balances upstreams), so "a:3,b:1" draws a, a, b, a, then again. Without weights the cycle is the list itself,
// so an unweighted list draws exactly what it drew before weights existed.
using System.Globalization;

namespace Reasoner.Math.Families;

public static class PresetMix
{
    /// <summary>Each entry's name and weight (1 when none is given), in the order written.</summary>
    public static IReadOnlyList<(string Name, int Weight)> Parse(string names)
    {
        var entries = new List<(string, int)>();
        foreach (var entry in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = entry.LastIndexOf(':');
            string suffix = colon > 0 ? entry[(colon + 1)..].Trim() : string.Empty;
            if (suffix.Length == 0 || !double.TryParse(suffix, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                entries.Add((entry, 1)); // no weight (a colon in a path, "C:\presets\x.json", stays part of the name)
                continue;
            }

            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int weight) || weight < 1 || weight > 1000)
            {
                throw new ArgumentException($"preset weight '{entry}': a weight is a whole number from 1 to 1000 (add-upto-4d:3,sub-upto-2d:1)");
            }

            entries.Add((entry[..colon].Trim(), weight));
        }

        return entries.Count > 0 ? entries : throw new ArgumentException("no preset given");
    }

    /// <summary>The names alone, in the order written.</summary>
    public static IEnumerable<string> Names(string names) => Parse(names).Select(e => e.Name);

    /// <summary>
    /// One cycle of entry indices: entry i appears weights[i] times, each time to the entry furthest behind its share
    /// (the first on ties). All weights 1 give 0, 1, ..., n - 1.
    /// </summary>
    public static IReadOnlyList<int> Cycle(IReadOnlyList<int> weights)
    {
        int total = weights.Sum();
        var current = new long[weights.Count];
        var cycle = new List<int>(total);
        for (int slot = 0; slot < total; slot++)
        {
            int best = 0;
            for (int i = 0; i < weights.Count; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            cycle.Add(best);
        }

        return cycle;
    }

    /// <summary>Resolves each entry (one name may stand for several presets) and lays them out over the weighted cycle.</summary>
    public static IReadOnlyList<T> Expand<T>(string names, Func<string, IReadOnlyList<T>> resolve)
    {
        var resolved = new List<T>();
        var weights = new List<int>();
        foreach (var (name, weight) in Parse(names))
        {
            foreach (var spec in resolve(name))
            {
                resolved.Add(spec);
                weights.Add(weight);
            }
        }

        return Cycle(weights).Select(i => resolved[i]).ToList();
    }
}
