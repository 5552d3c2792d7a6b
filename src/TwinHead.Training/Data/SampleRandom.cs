namespace TwinHead.Training.Data;

/// <summary>
/// Deterministic randomness keyed by (seed, epoch, index), so a sample's augmentation and an epoch's order do not depend on
/// thread timing.
/// </summary>
public static class SampleRandom
{
    /// <summary>A generator for one sample of one epoch.</summary>
    public static Random For(int seed, int epoch, int index) => new(Mix(seed, epoch, index));

    /// <summary>SplitMix64-style mixing of three integers into a 32-bit seed.</summary>
    public static int Mix(int a, int b, int c)
    {
        var z = unchecked((ulong)(uint)a * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)b * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)c * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
