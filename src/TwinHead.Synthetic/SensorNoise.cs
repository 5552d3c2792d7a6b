using System.Runtime.CompilerServices;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Camera sensor noise: signal-dependent (shot) plus constant (read) noise, partly shared across channels.</summary>
internal static class SensorNoise
{
    /// <summary>Shot-noise scale per 8-bit level: sqrt of the signal plus a read-noise floor.</summary>
    private static readonly float[] ShotScale = Enumerable.Range(0, 256).Select(v => MathF.Sqrt(v / 255f + 0.03f)).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Apply(SKBitmap bitmap, SampleRandom rng, float strength)
    {
        var state = (uint)rng.NextULong() | 1u;
        var scale = strength * 255f;
        var shotScale = stackalloc float[256];
        ShotScale.CopyTo(new Span<float>(shotScale, 256));
        var pixels = (byte*)bitmap.GetPixels();
        var end = pixels + (long)bitmap.RowBytes * bitmap.Height - 3;
        for (var p = pixels; p < end; p += 4)
        {
            // Two xorshift draws give four 16-bit uniforms: one shared (luma) term and three channel terms.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var a = state;
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var b = state;
            var shared = ((a & 0xFFFF) + (a >> 16) - 65535f) * (1f / 65535f) * 1.4f;
            var nr = (((b & 0xFF) + ((a >> 8) & 0xFF)) - 255f) * (1f / 255f);
            var ng = ((((b >> 8) & 0xFF) + ((a >> 24) & 0xFF)) - 255f) * (1f / 255f);
            var nb = ((((b >> 16) & 0xFF) + (b >> 24)) - 255f) * (1f / 255f);
            p[0] = Add(p[0], shared + nr, scale, shotScale);
            p[1] = Add(p[1], shared + ng, scale, shotScale);
            p[2] = Add(p[2], shared + nb, scale, shotScale);
        }
    }

    private static unsafe byte Add(byte v, float noise, float scale, float* shotScale)
    {
        var value = v + noise * scale * shotScale[v] + 0.5f;
        return value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)value;
    }
}
