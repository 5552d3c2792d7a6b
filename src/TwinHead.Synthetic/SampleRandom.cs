namespace TwinHead.Synthetic;

/// <summary>
/// Small, fast and platform-stable random source (xoshiro256**, seeded by SplitMix64). System.Random's sequence
/// is not promised to stay the same across runtimes, and the dataset must be reproducible from its seed.
/// </summary>
internal sealed class SampleRandom
{
    private ulong s0, s1, s2, s3;

    public SampleRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>Seed of item <paramref name="index"/> of a run seeded with <paramref name="seed"/>; independent of order.</summary>
    public static ulong Derive(long seed, long index, ulong stream = 0)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xD1B54A32D192ED03UL ^ stream * 0x8CB92BA72F3D8DD7UL);
        SplitMix(ref x);
        return SplitMix(ref x);
    }

    /// <summary>An independent generator for a sub-task, so adding draws in one part leaves the others unchanged.</summary>
    public SampleRandom Fork() => new(NextULong());

    public ulong NextULong()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public float Range(double min, double max) => (float)(min + (max - min) * NextDouble());

    /// <summary>Uniform integer in [min, max] (inclusive).</summary>
    public int Int(int min, int max) => min + (int)((NextULong() >> 33) % (ulong)(max - min + 1));

    /// <summary>Uniform integer in [0, count).</summary>
    public int Index(int count) => (int)((NextULong() >> 33) % (ulong)count);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Index(items.Count)];

    /// <summary>Index drawn with the given relative weights.</summary>
    public int Weighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>Standard normal draw (Box-Muller).</summary>
    public double Gaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x = unchecked(x + 0x9E3779B97F4A7C15UL);
        var z = x;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
