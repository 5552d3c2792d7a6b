using System.Buffers;
using System.Runtime.CompilerServices;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// The phone camera that "takes" every realistic sample, the same for all classes so that no class carries its own
/// processing signature: optics (defocus, vignetting), Bayer colour-filter mosaic with bilinear demosaicing,
/// white balance, auto exposure to a class-independent target, tone curve, downscaling, sharpening and sensor noise.
/// </summary>
internal static class CameraModel
{
    /// <summary>Develops a sensor-resolution scene into the output image.</summary>
    public static SKBitmap Develop(SKBitmap sensor, int width, int height, SampleRandom rng, SampleCues cues)
    {
        // Optics: defocus (mostly mild) and sometimes handshake, approximated by an anisotropic blur. Applied after
        // downscaling (in output pixels), which costs far less than a blur at sensor resolution.
        var blur = rng.Weighted([4, 5, 1.5, 0.6]) switch { 0 => 0f, 1 => rng.Range(0.3, 0.9), 2 => rng.Range(0.9, 1.8), _ => rng.Range(1.8, 3.2) };
        var shake = rng.Chance(0.15) ? rng.Range(0.5, 2.5) : 0f;
        cues.Blur = Math.Round(blur + shake * 0.5, 2);

        if (rng.Chance(0.8)) BayerMosaic.Apply(sensor);

        // Exposure and colour: measured on a thumbnail, applied as one lookup table while downscaling.
        var samples = MeteringSamples(sensor);
        var target = Math.Clamp(0.47 + rng.Gaussian() * 0.1, 0.22, 0.72);
        var gamma = (float)ExposureGamma(samples, target);
        // Phone tone mapping also evens out contrast (local tone mapping, HDR): pull the spread part-way towards a
        // target drawn from one distribution for every class, so contrast alone cannot tell a page from a scene.
        var (toned, spread) = MeanAndSpread(samples.Select(l => Math.Pow(l, gamma)));
        var targetSpread = Math.Clamp(0.19 + rng.Gaussian() * 0.05, 0.08, 0.32);
        var stretch = (float)Math.Clamp(Math.Pow(targetSpread / Math.Max(spread, 0.02), 0.85), 0.5, 1.8);
        target = toned;
        var warm = rng.Gaussian() * 0.06;
        var tint = rng.Gaussian() * 0.03;
        var gains = new[] { (float)(1 + warm), (float)(1 + tint), (float)(1 - warm) };
        var contrast = rng.Range(-0.1, 0.2);
        var lift = rng.Range(0, 0.05);
        var tone = ToneTables(gains, gamma, stretch, (float)target, contrast, lift);

        var output = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var sigmaX = (blur + (rng.Chance(0.5) ? shake : 0)) * width / (float)sensor.Width;
        var sigmaY = (blur + shake) * height / (float)sensor.Height;
        if (sigmaX + sigmaY <= 0.3f) sigmaX = sigmaY = 0;
        // Phones sharpen; a Catmull-Rom downscale sharpens edges as a side effect, at no extra pass.
        var catmullRom = rng.Chance(0.5);
        SensorReadout.Develop(sensor, output, catmullRom, sigmaX, sigmaY, tone, Vignette(width, height, rng));
        cues.Noise = Math.Round(rng.Range(0.004, 0.03), 4);
        SensorNoise.Apply(output, rng, (float)cues.Noise);
        return output;
    }

    /// <summary>
    /// The gamma that brings the metered mean to <paramref name="target"/>, found by bisection on the samples: mapping
    /// only the mean value would leave two-toned frames (a white page on a dark desk) brighter than single-toned ones.
    /// </summary>
    private static double ExposureGamma(double[] samples, double target)
    {
        double lo = Math.Log(0.3), hi = Math.Log(3.0);
        for (var iteration = 0; iteration < 14; iteration++)
        {
            var mid = (lo + hi) / 2;
            var gamma = Math.Exp(mid);
            double sum = 0;
            foreach (var l in samples) sum += Math.Pow(l, gamma);
            // A larger gamma darkens: move towards the target.
            if (sum / samples.Length > target) lo = mid; else hi = mid;
        }
        return Math.Exp((lo + hi) / 2);
    }

    /// <summary>Luma (0..1) of a sparse grid of pixels: the camera's metering pattern.</summary>
    private static double[] MeteringSamples(SKBitmap bitmap)
    {
        var px = PixelSpan.Of(bitmap);
        int stepX = Math.Max(1, bitmap.Width / 40), stepY = Math.Max(1, bitmap.Height / 40);
        var samples = new List<double>(1700);
        for (var y = stepY / 2; y < bitmap.Height; y += stepY)
        {
            var row = y * bitmap.RowBytes;
            for (var x = stepX / 2; x < bitmap.Width; x += stepX)
            {
                var i = row + x * 4;
                samples.Add((0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]) / 255.0);
            }
        }
        return samples.ToArray();
    }

    private static (double Mean, double Spread) MeanAndSpread(IEnumerable<double> values)
    {
        double sum = 0, sumSq = 0;
        var n = 0;
        foreach (var v in values)
        {
            sum += v;
            sumSq += v * v;
            n++;
        }
        var mean = sum / Math.Max(1, n);
        return (mean, Math.Sqrt(Math.Max(0, sumSq / Math.Max(1, n) - mean * mean)));
    }

    private static byte[][] ToneTables(float[] gains, float gamma, float stretch, float pivot, float contrast, float lift)
    {
        var tables = new byte[3][];
        for (var c = 0; c < 3; c++)
        {
            var table = new byte[256];
            for (var i = 0; i < 256; i++)
            {
                var x = MathF.Min(1, i / 255f * gains[c]);
                x = MathF.Pow(x, gamma);
                x = Math.Clamp(pivot + stretch * (x - pivot), 0, 1);
                // S-curve around mid-grey, then a raised black level as in phone processing.
                x += contrast * x * (1 - x) * (2 * x - 1) * 2;
                x = lift + (1 - lift) * x;
                table[i] = (byte)Math.Clamp(x * 255 + 0.5f, 0, 255);
            }
            tables[c] = table;
        }
        return tables;
    }

    private static SensorReadout.Vignette Vignette(int width, int height, SampleRandom rng)
    {
        var strength = (byte)rng.Int(0, 70);
        var cx = width * rng.Range(0.35, 0.65);
        var cy = height * rng.Range(0.35, 0.65);
        return new SensorReadout.Vignette(cx, cy, MathF.Max(width, height) * rng.Range(0.6, 0.95), 0.55f, strength);
    }

}

/// <summary>
/// Colour-filter-array simulation: keeps one channel per pixel in an RGGB pattern and rebuilds the others by
/// bilinear interpolation, which creates the colour fringes and false-colour moire of real sensors.
/// </summary>
internal static class BayerMosaic
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Apply(SKBitmap bitmap)
    {
        int w = bitmap.Width, h = bitmap.Height, stride = bitmap.RowBytes;
        if (w < 4 || h < 4) return;
        var px = (byte*)bitmap.GetPixels();
        // Raw single-channel samples of three rows at a time (R G on even rows, G B on odd rows): row y + 1 is read
        // before row y is rebuilt, so every raw sample comes from the untouched scene.
        var window = ArrayPool<byte>.Shared.Rent(3 * w);
        try
        {
            fixed (byte* rawStart = window)
            {
                Sample(px, rawStart, w, 0);
                Sample(px + stride, rawStart + w, w, 1);
                for (var y = 1; y < h - 1; y++)
                {
                    var r0 = rawStart + (y - 1) % 3 * w;
                    var r1 = rawStart + y % 3 * w;
                    var r2 = rawStart + (y + 1) % 3 * w;
                    Sample(px + (long)(y + 1) * stride, r2, w, y + 1);
                    Rebuild(px + (long)y * stride, r0, r1, r2, w, (y & 1) == 0);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private static unsafe void Sample(byte* src, byte* dst, int w, int y)
    {
        var first = (y & 1) == 0 ? 0 : 1;
        for (var x = 0; x < w; x += 2)
        {
            dst[x] = src[x * 4 + first];
            if (x + 1 < w) dst[x + 1] = src[x * 4 + 4 + first + 1];
        }
    }

    private static unsafe void Rebuild(byte* o, byte* r0, byte* r1, byte* r2, int w, bool evenRow)
    {
        // Even rows: red sites at even x, green at odd x; odd rows: green at even x, blue at odd x. Pixels go in
        // pairs of one green and one red or blue site, so the loop does not branch on the site.
        var x = 1;
        if (evenRow)
        {
            for (; x + 1 < w - 1; x += 2)
            {
                GreenSite(o + x * 4, r0, r1, r2, x, 0, 2);
                ColourSite(o + (x + 1) * 4, r0, r1, r2, x + 1, 0, 2);
            }
            if (x < w - 1) GreenSite(o + x * 4, r0, r1, r2, x, 0, 2);
        }
        else
        {
            for (; x + 1 < w - 1; x += 2)
            {
                ColourSite(o + x * 4, r0, r1, r2, x, 2, 0);
                GreenSite(o + (x + 1) * 4, r0, r1, r2, x + 1, 2, 0);
            }
            if (x < w - 1) ColourSite(o + x * 4, r0, r1, r2, x, 2, 0);
        }
    }

    /// <summary>
    /// A green site: red and blue from the row and column neighbours. <paramref name="rowColour"/> is the channel of
    /// the row's other sites (red on even rows), <paramref name="columnColour"/> the other one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void GreenSite(byte* q, byte* r0, byte* r1, byte* r2, int x, int rowColour, int columnColour)
    {
        q[1] = r1[x];
        q[rowColour] = (byte)((r1[x - 1] + r1[x + 1] + 1) >> 1);
        q[columnColour] = (byte)((r0[x] + r2[x] + 1) >> 1);
    }

    /// <summary>A red or blue site (<paramref name="own"/>): green from the four edge neighbours, the other colour from the diagonals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ColourSite(byte* q, byte* r0, byte* r1, byte* r2, int x, int own, int opposite)
    {
        q[own] = r1[x];
        q[1] = (byte)((r0[x] + r2[x] + r1[x - 1] + r1[x + 1] + 2) >> 2);
        q[opposite] = (byte)((r0[x - 1] + r0[x + 1] + r2[x - 1] + r2[x + 1] + 2) >> 2);
    }
}
