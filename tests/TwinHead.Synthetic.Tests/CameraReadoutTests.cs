using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

/// <summary>
/// The camera model's vectorised passes (resampling with tone curve and vignette, Gaussian blur, Bayer demosaic) must
/// give exactly the pixels of plain one-pixel-at-a-time arithmetic: every generated dataset depends on them bit for bit.
/// </summary>
public class CameraReadoutTests
{
    [Theory]
    [InlineData(640, 640, 512, 512, false, 0f, 0f, (byte)0)]
    [InlineData(640, 480, 512, 384, true, 0f, 0f, (byte)60)]
    [InlineData(417, 321, 333, 257, true, 1.3f, 0.9f, (byte)35)]
    [InlineData(97, 61, 77, 49, false, 3.2f, 2.5f, (byte)70)]
    [InlineData(40, 30, 64, 48, true, 0f, 1.1f, (byte)10)]
    public void Develop_matches_the_one_pixel_at_a_time_reference(int sw, int sh, int w, int h, bool catmullRom, float sigmaX, float sigmaY, byte vignetteStrength)
    {
        using var sensor = Noise(sw, sh, seed: sw + sh);
        using var output = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var tone = Tones(seed: w);
        var vignette = new SensorReadout.Vignette(w * 0.4f, h * 0.6f, Math.Max(w, h) * 0.7f, 0.55f, vignetteStrength);

        SensorReadout.Develop(sensor, output, catmullRom, sigmaX, sigmaY, tone, vignette);

        var expected = Resample(Pixels(sensor), sw, sh, w, h, SensorReadout.BuildFilter(sw, w, catmullRom, 0), SensorReadout.BuildFilter(sh, h, catmullRom, 0), tone, vignette);
        expected = Resample(expected, w, h, w, h, SensorReadout.BuildFilter(w, w, false, sigmaX < 0.8f ? 0 : sigmaX),
            SensorReadout.BuildFilter(h, h, false, sigmaY < 0.8f ? 0 : sigmaY), Tones(identity: true), default);
        Assert.Equal(expected, Pixels(output));
    }

    [Theory]
    [InlineData(64, 48)]
    [InlineData(333, 257)]
    [InlineData(5, 4)]
    public void Bayer_mosaic_matches_the_whole_frame_reference(int w, int h)
    {
        using var bitmap = Noise(w, h, seed: 3 * w + h);
        var expected = Demosaic(Pixels(bitmap), w, h);

        BayerMosaic.Apply(bitmap);

        Assert.Equal(expected, Pixels(bitmap));
    }

    private static SKBitmap Noise(int w, int h, int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var random = new Random(seed);
        var pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        return bitmap;
    }

    private static byte[] Pixels(SKBitmap bitmap) => bitmap.GetPixelSpan().ToArray();

    private static byte[][] Tones(int seed = 0, bool identity = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 3).Select(_ =>
        {
            var gamma = identity ? 1 : 0.6 + random.NextDouble();
            return Enumerable.Range(0, 256).Select(i => (byte)Math.Round(255 * Math.Pow(i / 255.0, gamma))).ToArray();
        }).ToArray();
    }

    /// <summary>Separable fixed-point resampling: rows first (rounded to the intermediate precision), then columns.</summary>
    private static byte[] Resample(byte[] source, int sw, int sh, int w, int h, SensorReadout.Filter horizontal, SensorReadout.Filter vertical,
        byte[][] tone, SensorReadout.Vignette vignette)
    {
        const int intermediate = SensorReadout.IntermediateShift;
        const int final = 2 * SensorReadout.WeightBits - intermediate;
        var rows = new int[sh, w, 3];
        for (var y = 0; y < sh; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var k = 0; k < horizontal.Count[x]; k++)
                        sum += horizontal.Weights[x * horizontal.MaxCount + k] * source[(y * sw + horizontal.Start[x] + k) * 4 + c];
                    rows[y, x, c] = (sum + (1 << (intermediate - 1))) >> intermediate;
                }
            }
        }
        var result = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var keep = 256;
                if (vignette.Strength > 0)
                {
                    var inner = vignette.Inner * vignette.Radius;
                    var ramp = vignette.Strength / (255f * MathF.Max(1e-3f, vignette.Radius - inner));
                    float dx = x + 0.5f - vignette.CenterX, dy = y + 0.5f - vignette.CenterY;
                    keep -= (int)(256 * Math.Clamp((MathF.Sqrt(dx * dx + dy * dy) - inner) * ramp, 0, vignette.Strength / 255f) + 0.5f);
                }
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var k = 0; k < vertical.Count[y]; k++)
                        sum += vertical.Weights[y * vertical.MaxCount + k] * rows[vertical.Start[y] + k, x, c];
                    var level = Math.Clamp((sum + (1 << (final - 1))) >> final, 0, 255);
                    result[(y * w + x) * 4 + c] = (byte)((tone[c][level] * keep + 128) >> 8);
                }
                result[(y * w + x) * 4 + 3] = 255;
            }
        }
        return result;
    }

    /// <summary>RGGB sampling of the whole frame, then bilinear rebuilding of every interior pixel from it.</summary>
    private static byte[] Demosaic(byte[] pixels, int w, int h)
    {
        var raw = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var channel = (y & 1) == 0 ? ((x & 1) == 0 ? 0 : 1) : ((x & 1) == 0 ? 1 : 2);
                raw[y * w + x] = pixels[(y * w + x) * 4 + channel];
            }
        }
        var result = (byte[])pixels.Clone();
        int At(int x, int y) => raw[y * w + x];
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                var i = (y * w + x) * 4;
                var evenRow = (y & 1) == 0;
                var green = ((x & 1) == 0) != evenRow;
                var horizontal = (At(x - 1, y) + At(x + 1, y) + 1) >> 1;
                var vertical = (At(x, y - 1) + At(x, y + 1) + 1) >> 1;
                var cross = (At(x, y - 1) + At(x, y + 1) + At(x - 1, y) + At(x + 1, y) + 2) >> 2;
                var diagonal = (At(x - 1, y - 1) + At(x + 1, y - 1) + At(x - 1, y + 1) + At(x + 1, y + 1) + 2) >> 2;
                int red, greenValue, blue;
                if (green) (red, greenValue, blue) = evenRow ? (horizontal, At(x, y), vertical) : (vertical, At(x, y), horizontal);
                else (red, greenValue, blue) = evenRow ? (At(x, y), cross, diagonal) : (diagonal, cross, At(x, y));
                (result[i], result[i + 1], result[i + 2]) = ((byte)red, (byte)greenValue, (byte)blue);
            }
        }
        return result;
    }
}
