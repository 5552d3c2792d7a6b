using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Camera sensor noise: signal-dependent (shot) plus constant (read) noise, partly shared across channels.</summary>
internal static class SensorNoise
{
    public static void Apply(SKBitmap bitmap, SampleRandom rng, float strength)
    {
        var pixels = PixelSpan.Of(bitmap);
        var state = (uint)rng.NextULong() | 1u;
        var scale = strength * 255f;
        for (var i = 0; i + 3 < pixels.Length; i += 4)
        {
            var shared = Noise(ref state) * 0.6f;
            for (var c = 0; c < 3; c++)
            {
                var v = pixels[i + c];
                var shot = MathF.Sqrt(v * (1f / 255f) + 0.03f);
                var value = v + (shared + Noise(ref state) * 0.5f) * scale * shot;
                pixels[i + c] = (byte)Math.Clamp(value + 0.5f, 0f, 255f);
            }
        }
    }

    /// <summary>Roughly normal noise (sum of two uniforms) from a xorshift32 state: cheap enough for every pixel.</summary>
    private static float Noise(ref uint state)
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        var a = (state & 0xFFFF) * (1f / 65535f);
        var b = (state >> 16) * (1f / 65535f);
        return (a + b - 1f) * 2.4f;
    }
}
