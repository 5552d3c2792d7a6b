using System.Runtime.InteropServices;
using SkiaSharp;

namespace TwinHead.Imaging;

/// <summary>
/// Training augmentations on RGB images at the model input size. Every random draw comes from the given
/// <see cref="Random"/> in a fixed order (crop, flip, rotation, brightness, contrast, saturation, blur, JPEG), and only
/// for enabled augmentations, so a seeded Random reproduces the result exactly.
/// </summary>
public static class ImageAugmenter
{
    /// <summary>Applies the enabled augmentations and returns a new image of the same size.</summary>
    /// <param name="image">The input image (not modified).</param>
    /// <param name="options">Which augmentations, how strong.</param>
    /// <param name="random">Source of randomness.</param>
    public static RgbImage Apply(RgbImage image, AugmentationOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();

        var current = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        if (options.RandomResizedCropMinScale < 1f)
            current = RandomResizedCrop(current, options.RandomResizedCropMinScale, random);
        if (options.HorizontalFlip && random.NextDouble() < 0.5)
            FlipHorizontally(current);
        if (options.MaxRotationDegrees > 0f)
        {
            double angle = (random.NextDouble() * 2 - 1) * options.MaxRotationDegrees;
            current = Rotate(current, angle);
        }
        if (options.BrightnessJitter > 0f)
            AdjustBrightness(current, JitterFactor(options.BrightnessJitter, random));
        if (options.ContrastJitter > 0f)
            AdjustContrast(current, JitterFactor(options.ContrastJitter, random));
        if (options.SaturationJitter > 0f)
            AdjustSaturation(current, JitterFactor(options.SaturationJitter, random));
        if (options.GaussianBlurProbability > 0f && random.NextDouble() < options.GaussianBlurProbability)
            current = GaussianBlur(current, 0.1 + random.NextDouble() * 1.9);
        if (options.JpegQualityMin > 0f)
        {
            int quality = (int)Math.Round(options.JpegQualityMin + random.NextDouble() * (100 - options.JpegQualityMin));
            current = JpegRoundTrip(current, quality);
        }
        return current;
    }

    /// <summary>
    /// Rotates counter-clockwise by <paramref name="degrees"/> about the image centre onto a same-size black canvas, sampling
    /// bilinearly (the geometry of torchvision's <c>rotate</c>; a positive angle turns the content counter-clockwise).
    /// </summary>
    /// <param name="image">The input image (not modified).</param>
    /// <param name="degrees">Angle in degrees; 0 returns an identical copy.</param>
    public static unsafe RgbImage Rotate(RgbImage image, double degrees)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        if (degrees == 0)
            return new RgbImage(w, h, (byte[])image.Pixels.Clone());
        double radians = degrees * Math.PI / 180.0;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        double cx = w / 2.0, cy = h / 2.0;
        var output = new byte[w * h * 3]; // zero: the black fill
        int rowBytes = w * 3;
        fixed (byte* src = image.Pixels)
        fixed (byte* dst = output)
        {
            byte* d = dst;
            for (int y = 0; y < h; y++)
            {
                double dy = y + 0.5 - cy;
                // Source position in pixel-index coordinates (pixel i centred at i) for destination (x, y).
                double sxRow = -sin * dy + cx - 0.5, syRow = cos * dy + cy - 0.5;
                for (int x = 0; x < w; x++, d += 3)
                {
                    double dx = x + 0.5 - cx;
                    double sx = sxRow + cos * dx, sy = syRow + sin * dx;
                    if (sx < -0.5 || sy < -0.5 || sx >= w - 0.5 || sy >= h - 0.5)
                        continue;
                    int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                    double fx = sx - x0, fy = sy - y0;
                    int xa = Math.Max(x0, 0), xb = Math.Min(x0 + 1, w - 1);
                    int ya = Math.Max(y0, 0), yb = Math.Min(y0 + 1, h - 1);
                    byte* p00 = src + ya * rowBytes + xa * 3, p01 = src + ya * rowBytes + xb * 3;
                    byte* p10 = src + yb * rowBytes + xa * 3, p11 = src + yb * rowBytes + xb * 3;
                    double w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                    for (int c = 0; c < 3; c++)
                        d[c] = (byte)(p00[c] * w00 + p01[c] * w01 + p10[c] * w10 + p11[c] * w11 + 0.5);
                }
            }
        }
        return new RgbImage(w, h, output);
    }

    private static float JitterFactor(float jitter, Random random)
    {
        double low = Math.Max(0.0, 1.0 - jitter), high = 1.0 + jitter;
        return (float)(low + random.NextDouble() * (high - low));
    }

    private static RgbImage RandomResizedCrop(RgbImage image, float minScale, Random random)
    {
        int w = image.Width, h = image.Height;
        double area = (double)w * h;
        double logLow = Math.Log(3.0 / 4.0), logHigh = Math.Log(4.0 / 3.0);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * (minScale + random.NextDouble() * (1.0 - minScale));
            double aspect = Math.Exp(logLow + random.NextDouble() * (logHigh - logLow));
            int cropW = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int cropH = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (cropW > 0 && cropH > 0 && cropW <= w && cropH <= h)
            {
                int top = random.Next(h - cropH + 1), left = random.Next(w - cropW + 1);
                return ImageResizer.Resize(Crop(image, left, top, cropW, cropH), w, h);
            }
        }
        return image; // no crop fitted: the whole image (aspect 3/4..4/3 of a square input always fits in practice)
    }

    private static RgbImage Crop(RgbImage image, int left, int top, int width, int height)
    {
        var pixels = GC.AllocateUninitializedArray<byte>(width * height * 3);
        int inRow = image.Width * 3, outRow = width * 3;
        for (int y = 0; y < height; y++)
            image.Pixels.AsSpan((top + y) * inRow + left * 3, outRow).CopyTo(pixels.AsSpan(y * outRow, outRow));
        return new RgbImage(width, height, pixels);
    }

    private static void FlipHorizontally(RgbImage image)
    {
        int w = image.Width, rowBytes = w * 3;
        var p = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int row = y * rowBytes;
            for (int a = 0, b = w - 1; a < b; a++, b--)
            {
                int ia = row + a * 3, ib = row + b * 3;
                (p[ia], p[ib]) = (p[ib], p[ia]);
                (p[ia + 1], p[ib + 1]) = (p[ib + 1], p[ia + 1]);
                (p[ia + 2], p[ib + 2]) = (p[ib + 2], p[ia + 2]);
            }
        }
    }

    /// <summary>Blend with black: v * factor.</summary>
    private static void AdjustBrightness(RgbImage image, float factor)
    {
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
            table[v] = ClampToByte(v * factor);
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i++)
            p[i] = table[p[i]];
    }

    /// <summary>Blend with the mean luma (rounded, as PIL's ImageEnhance.Contrast): mean + factor * (v - mean).</summary>
    private static void AdjustContrast(RgbImage image, float factor)
    {
        var p = image.Pixels;
        long lumaSum = 0;
        for (int i = 0; i < p.Length; i += 3)
            lumaSum += Luma(p[i], p[i + 1], p[i + 2]);
        int mean = (int)((double)lumaSum / (p.Length / 3) + 0.5);
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
            table[v] = ClampToByte(mean + factor * (v - mean));
        for (int i = 0; i < p.Length; i++)
            p[i] = table[p[i]];
    }

    /// <summary>Blend each pixel with its own luma: grey + factor * (v - grey).</summary>
    private static void AdjustSaturation(RgbImage image, float factor)
    {
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            int grey = Luma(p[i], p[i + 1], p[i + 2]);
            p[i] = ClampToByte(grey + factor * (p[i] - grey));
            p[i + 1] = ClampToByte(grey + factor * (p[i + 1] - grey));
            p[i + 2] = ClampToByte(grey + factor * (p[i + 2] - grey));
        }
    }

    /// <summary>ITU-R 601 luma in integer arithmetic, as PIL's RGB to L conversion.</summary>
    private static int Luma(int r, int g, int b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    private static byte ClampToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>Separable Gaussian, radius ceil(3 sigma), edges extended by reflection (as torchvision's gaussian_blur pads).</summary>
    private static RgbImage GaussianBlur(RgbImage image, double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        Span<float> kernel = stackalloc float[2 * radius + 1];
        float total = 0;
        for (int i = -radius; i <= radius; i++)
            total += kernel[i + radius] = (float)Math.Exp(-(i * i) / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++)
            kernel[i] /= total;

        int w = image.Width, h = image.Height;
        var horizontal = new float[w * h * 3];
        var src = image.Pixels;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++)
                        sum += kernel[k + radius] * src[(y * w + Reflect(x + k, w)) * 3 + c];
                    horizontal[(y * w + x) * 3 + c] = sum;
                }
        var output = GC.AllocateUninitializedArray<byte>(w * h * 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++)
                        sum += kernel[k + radius] * horizontal[(Reflect(y + k, h) * w + x) * 3 + c];
                    output[(y * w + x) * 3 + c] = ClampToByte(sum);
                }
        return new RgbImage(w, h, output);
    }

    private static int Reflect(int i, int size)
    {
        if (size == 1) return 0;
        while (i < 0 || i >= size)
            i = i < 0 ? -i : 2 * (size - 1) - i;
        return i;
    }

    private static unsafe RgbImage JpegRoundTrip(RgbImage image, int quality)
    {
        int w = image.Width, h = image.Height, count = w * h;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        void* rgba = NativeMemory.Alloc((nuint)count * 4);
        try
        {
            byte* d = (byte*)rgba;
            fixed (byte* s0 = image.Pixels)
            {
                byte* s = s0;
                for (int i = 0; i < count; i++, s += 3, d += 4)
                {
                    d[0] = s[0];
                    d[1] = s[1];
                    d[2] = s[2];
                    d[3] = 255;
                }
            }
            using var pixmap = new SKPixmap(info, (IntPtr)rgba);
            using var encoded = pixmap.Encode(SKEncodedImageFormat.Jpeg, quality)
                ?? throw new InvalidOperationException($"Skia could not encode a {w}x{h} JPEG at quality {quality}");
            return ImageDecoder.Decode(encoded.AsSpan(), w, h, ImageDecodeLimits.Default, "JPEG augmentation");
        }
        finally
        {
            NativeMemory.Free(rgba);
        }
    }
}
