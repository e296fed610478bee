// Deterministic seeds and hashes: an item's seed mixes the run seed, the split and the index
// (SplitMix64), so any single item can be regenerated alone from its recorded seed.
namespace Reasoner.Math.Problems;

public static class Seeds
{
    public static long Mix(long seed, long a, long b = 0)
    {
        ulong x = (ulong)seed;
        x = SplitMix(x ^ SplitMix((ulong)a));
        x = SplitMix(x ^ SplitMix((ulong)b + 0x9E3779B97F4A7C15UL));
        return (long)(x & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    /// <summary>A Random seeded from a 64-bit seed, stable across .NET versions (Random(int) is documented stable).</summary>
    public static Random Random(long seed) => new((int)(seed ^ (seed >> 32)) & int.MaxValue);

    /// <summary>FNV-1a 64 over UTF-16 code units: stable across runs and platforms (string.GetHashCode is not).</summary>
    public static ulong Hash(string text, ulong salt = 0)
    {
        ulong hash = 14695981039346656037UL ^ salt;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return SplitMix(hash);
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
