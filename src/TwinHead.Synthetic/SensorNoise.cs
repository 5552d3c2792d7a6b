using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Camera sensor noise: signal-dependent (shot) plus constant (read) noise, partly shared across channels.</summary>
internal static class SensorNoise
{
    /// <summary>Independent xorshift streams; pixel i draws from stream i mod Lanes, so 8 pixels are computed at once.</summary>
    private const int Lanes = 8;

    public static void Apply(SKBitmap bitmap, SampleRandom rng, float strength) => Apply(bitmap, rng, strength, Vector256.IsHardwareAccelerated);

    /// <summary>Adds the noise; <paramref name="useVectors"/> false forces the scalar path (tests compare the two).</summary>
    internal static unsafe void Apply(SKBitmap bitmap, SampleRandom rng, float strength, bool useVectors)
    {
        var states = stackalloc uint[Lanes];
        for (var k = 0; k < Lanes; k++) states[k] = (uint)rng.NextULong() | 1u;
        var scale = strength * 255f;
        var pixels = (uint*)bitmap.GetPixels();
        var count = (long)bitmap.RowBytes * bitmap.Height / 4;
        long done = 0;
        // The vector and scalar paths do the same integer and IEEE float operations in the same order, so every
        // machine draws the same noise.
        if (useVectors) done = ApplyVectors(pixels, count, states, scale);
        for (var i = done; i < count; i++) pixels[i] = Noisy(pixels[i], ref states[i % Lanes], scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long ApplyVectors(uint* pixels, long count, uint* states, float scale)
    {
        var state = Vector256.Load(states);
        var byteMask = Vector256.Create(0xFFu);
        var scaleV = Vector256.Create(scale);
        long i = 0;
        for (; i + Lanes <= count; i += Lanes)
        {
            // Two xorshift draws per pixel give four 16-bit uniforms: one shared (luma) term and three channel terms.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var a = state;
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var b = state;
            var shared = (Vector256.ConvertToSingle(((a & Vector256.Create(0xFFFFu)) + (a >> 16)).AsInt32()) - Vector256.Create(65535f))
                * Vector256.Create(1f / 65535f) * Vector256.Create(1.4f);
            var nr = Centered((b & byteMask) + ((a >> 8) & byteMask));
            var ng = Centered(((b >> 8) & byteMask) + ((a >> 24) & byteMask));
            var nb = Centered(((b >> 16) & byteMask) + (b >> 24));
            var px = Vector256.Load(pixels + i);
            var red = Channel(px & byteMask, shared + nr, scaleV);
            var green = Channel((px >> 8) & byteMask, shared + ng, scaleV);
            var blue = Channel((px >> 16) & byteMask, shared + nb, scaleV);
            (red | (green << 8) | (blue << 16) | (px & Vector256.Create(0xFF000000u))).Store(pixels + i);
        }
        state.Store(states);
        return i;
    }

    private static Vector256<float> Centered(Vector256<uint> sum) =>
        (Vector256.ConvertToSingle(sum.AsInt32()) - Vector256.Create(255f)) * Vector256.Create(1f / 255f);

    private static Vector256<uint> Channel(Vector256<uint> level, Vector256<float> noise, Vector256<float> scale)
    {
        var v = Vector256.ConvertToSingle(level.AsInt32());
        var shot = Vector256.Sqrt(v / Vector256.Create(255f) + Vector256.Create(0.03f));
        var value = v + noise * scale * shot + Vector256.Create(0.5f);
        value = Vector256.Min(Vector256.Max(value, Vector256<float>.Zero), Vector256.Create(255f));
        return Vector256.ConvertToInt32(value).AsUInt32();
    }

    private static uint Noisy(uint px, ref uint state, float scale)
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        var a = state;
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        var b = state;
        var shared = ((float)(int)((a & 0xFFFF) + (a >> 16)) - 65535f) * (1f / 65535f) * 1.4f;
        var nr = ((float)(int)((b & 0xFF) + ((a >> 8) & 0xFF)) - 255f) * (1f / 255f);
        var ng = ((float)(int)(((b >> 8) & 0xFF) + ((a >> 24) & 0xFF)) - 255f) * (1f / 255f);
        var nb = ((float)(int)(((b >> 16) & 0xFF) + (b >> 24)) - 255f) * (1f / 255f);
        var red = Channel(px & 0xFF, shared + nr, scale);
        var green = Channel((px >> 8) & 0xFF, shared + ng, scale);
        var blue = Channel((px >> 16) & 0xFF, shared + nb, scale);
        return red | (green << 8) | (blue << 16) | (px & 0xFF000000u);
    }

    private static uint Channel(uint level, float noise, float scale)
    {
        var v = (float)(int)level;
        var shot = MathF.Sqrt(v / 255f + 0.03f);
        var value = v + noise * scale * shot + 0.5f;
        return (uint)(int)Math.Clamp(value, 0f, 255f);
    }
}
