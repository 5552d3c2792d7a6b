using System.Runtime.InteropServices;
using SkiaSharp;

namespace TwinHead.Imaging.Tests.Fixtures;

/// <summary>Small deterministic images, and their encodings made with Skia.</summary>
internal static class TestImages
{
    public static readonly (byte R, byte G, byte B) Red = (220, 30, 30);
    public static readonly (byte R, byte G, byte B) Green = (30, 200, 40);
    public static readonly (byte R, byte G, byte B) Blue = (30, 40, 210);
    public static readonly (byte R, byte G, byte B) Yellow = (230, 220, 30);

    /// <summary>An image whose four quadrants have flat colours, so orientation and format tests read one pixel per quadrant.</summary>
    public static RgbImage Quadrants(int width, int height,
        (byte R, byte G, byte B) topLeft, (byte R, byte G, byte B) topRight,
        (byte R, byte G, byte B) bottomLeft, (byte R, byte G, byte B) bottomRight)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool right = x >= width / 2, bottom = y >= height / 2;
                var c = (right, bottom) switch
                {
                    (false, false) => topLeft,
                    (true, false) => topRight,
                    (false, true) => bottomLeft,
                    _ => bottomRight,
                };
                int i = (y * width + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = c;
            }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A smooth, deterministic pattern with detail in every channel (gradients plus a few sharp edges).</summary>
    public static RgbImage Pattern(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                pixels[i] = (byte)(x * 255 / (width - 1));
                pixels[i + 1] = (byte)(y * 255 / (height - 1));
                pixels[i + 2] = (byte)(((x / 8 + y / 8) % 2 == 0) ? 40 : 200);
            }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Uniform noise from a fixed seed: the hardest input for resampling code paths.</summary>
    public static RgbImage Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    public static (byte R, byte G, byte B) PixelAt(RgbImage image, int x, int y)
    {
        int i = (y * image.Width + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    public static SKBitmap ToBitmap(RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[p * 4] = image.Pixels[p * 3];
            rgba[p * 4 + 1] = image.Pixels[p * 3 + 1];
            rgba[p * 4 + 2] = image.Pixels[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    public static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality = 95)
    {
        using var bitmap = ToBitmap(image);
        return Encode(bitmap, format, quality);
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        return data.ToArray();
    }

    public static byte[] LosslessWebp(RgbImage image)
    {
        using var bitmap = ToBitmap(image);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100)) ?? throw new InvalidOperationException("Skia cannot encode lossless WebP");
        return data.ToArray();
    }

    /// <summary>Asserts that two colours differ by at most <paramref name="tolerance"/> per channel.</summary>
    public static void AssertColour((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance, string where)
    {
        bool close = Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance;
        Assert.True(close, $"{where}: expected about {expected}, got {actual}");
    }
}
