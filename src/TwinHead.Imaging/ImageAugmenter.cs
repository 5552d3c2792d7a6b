using System.Runtime.InteropServices;
using SkiaSharp;

namespace TwinHead.Imaging;

/// <summary>
/// Training augmentations on RGB images at the model input size. Every random draw comes from the given
/// <see cref="Random"/> in a fixed order (aspect stretch, crop, flip, rotation, brightness, contrast, chroma, saturation, blur, noise, JPEG), and only
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
        if (options.AspectStretchMax > 1f)
            current = AspectStretch(current, options.AspectStretchMax, random);
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
        if (options.ChromaMax > 0f)
            MatchChroma(current, options.ChromaMin, options.ChromaMax, random);
        if (options.SaturationJitter > 0f)
            AdjustSaturation(current, JitterFactor(options.SaturationJitter, random));
        if (options.GaussianBlurProbability > 0f && random.NextDouble() < options.GaussianBlurProbability)
            current = GaussianBlur(current, 0.1 + random.NextDouble() * 1.9);
        if (options.NoiseMax > 0f)
            AddGaussianNoise(current, (float)(random.NextDouble() * options.NoiseMax), random);
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
        // Source positions in 16.16 fixed point, in pixel-index coordinates (pixel i centred at i): stepping by a
        // constant per destination pixel keeps the inner loop to integer adds; rows start from an exact position.
        const double one = 65536.0;
        int stepX = (int)Math.Round(cos * one), stepY = (int)Math.Round(sin * one);
        int minInside = -32768, maxX = (w << 16) - 32768, maxY = (h << 16) - 32768;
        var output = new byte[w * h * 3]; // zero: the black fill
        int rowBytes = w * 3;
        fixed (byte* src = image.Pixels)
        fixed (byte* dst = output)
        {
            byte* d = dst;
            for (int y = 0; y < h; y++)
            {
                double dy = y + 0.5 - cy, dx0 = 0.5 - cx;
                int sx = (int)Math.Round((cos * dx0 - sin * dy + cx - 0.5) * one);
                int sy = (int)Math.Round((sin * dx0 + cos * dy + cy - 0.5) * one);
                for (int x = 0; x < w; x++, d += 3, sx += stepX, sy += stepY)
                {
                    if (sx < minInside || sy < minInside || sx >= maxX || sy >= maxY)
                        continue;
                    int x0 = sx >> 16, y0 = sy >> 16;
                    int fx = (sx >> 8) & 0xFF, fy = (sy >> 8) & 0xFF;
                    int xa = Math.Max(x0, 0) * 3, xb = Math.Min(x0 + 1, w - 1) * 3;
                    byte* rowA = src + Math.Max(y0, 0) * rowBytes, rowB = src + Math.Min(y0 + 1, h - 1) * rowBytes;
                    for (int c = 0; c < 3; c++)
                    {
                        int upper = rowA[xa + c] * (256 - fx) + rowA[xb + c] * fx;
                        int lower = rowB[xa + c] * (256 - fx) + rowB[xb + c] * fx;
                        d[c] = (byte)((upper * (256 - fy) + lower * fy + 32768) >> 16);
                    }
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

    /// <summary>
    /// The largest window of a random aspect ratio in [1/max, max], at a random position, stretched back to the image's
    /// shape: the distortion a photo framed at that ratio gets when it is stretched to the model's input.
    /// </summary>
    private static RgbImage AspectStretch(RgbImage image, float max, Random random)
    {
        int w = image.Width, h = image.Height;
        double aspect = Math.Exp((random.NextDouble() * 2 - 1) * Math.Log(max));
        var (cropW, cropH) = aspect >= (double)w / h
            ? (w, Math.Max(1, (int)Math.Round(w / aspect)))
            : (Math.Max(1, (int)Math.Round(h * aspect)), h);
        int top = random.Next(h - cropH + 1), left = random.Next(w - cropW + 1);
        return cropW == w && cropH == h ? image : ImageResizer.Resize(Crop(image, left, top, cropW, cropH), w, h);
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
    internal static void AdjustBrightness(RgbImage image, float factor)
    {
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
            table[v] = ClampToByte(v * factor);
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i++)
            p[i] = table[p[i]];
    }

    /// <summary>Blend with the mean luma (rounded, as PIL's ImageEnhance.Contrast): mean + factor * (v - mean).</summary>
    internal static void AdjustContrast(RgbImage image, float factor)
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
    internal static void AdjustSaturation(RgbImage image, float factor)
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

    /// <summary>Largest saturation gain <see cref="MatchChroma"/> applies: a nearly grey image stays nearly grey instead of
    /// having its noise turned into colour.</summary>
    private const float MaxChromaGain = 4f;

    /// <summary>
    /// Scales saturation so the mean chroma becomes a target drawn log-uniformly from [min, max]. Blending with luma scales
    /// each pixel's channel spread by the same factor, so the image keeps its hues and relative colourfulness; only the
    /// overall level is replaced (exactly, unless channels clip at 0 or 255 or the gain cap is reached).
    /// </summary>
    private static void MatchChroma(RgbImage image, float min, float max, Random random)
    {
        var target = min * Math.Pow(max / (double)min, random.NextDouble());
        var chroma = MeanChroma(image);
        if (chroma <= 0) return;
        AdjustSaturation(image, (float)Math.Min(target / chroma, MaxChromaGain));
    }

    /// <summary>Mean over pixels of (max channel - min channel) / 255.</summary>
    /// <param name="image">An RGB image.</param>
    public static double MeanChroma(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var p = image.Pixels;
        long spread = 0;
        for (int i = 0; i < p.Length; i += 3)
            spread += Math.Max(p[i], Math.Max(p[i + 1], p[i + 2])) - Math.Min(p[i], Math.Min(p[i + 1], p[i + 2]));
        return p.Length == 0 ? 0 : spread / (p.Length / 3 * 255.0);
    }

    /// <summary>Adds independent Gaussian noise of standard deviation <paramref name="sd"/> (8-bit levels) to every channel of every pixel.</summary>
    internal static void AddGaussianNoise(RgbImage image, float sd, Random random)
    {
        var p = image.Pixels;
        for (var i = 0; i < p.Length; i += 2)
        {
            // Box-Muller: two independent normal draws per pair of uniforms.
            var radius = sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            p[i] = ClampToByte((float)(p[i] + radius * Math.Cos(angle)));
            if (i + 1 < p.Length) p[i + 1] = ClampToByte((float)(p[i + 1] + radius * Math.Sin(angle)));
        }
    }

    /// <summary>ITU-R 601 luma in integer arithmetic, as PIL's RGB to L conversion.</summary>
    private static int Luma(int r, int g, int b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    private static byte ClampToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>Separable Gaussian, radius ceil(3 sigma), edges extended by reflection (as torchvision's gaussian_blur pads).</summary>
    internal static RgbImage GaussianBlur(RgbImage image, double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        Span<float> kernel = stackalloc float[2 * radius + 1];
        float total = 0;
        for (int i = -radius; i <= radius; i++)
            total += kernel[i + radius] = (float)Math.Exp(-(i * i) / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++)
            kernel[i] /= total;

        int w = image.Width, h = image.Height, rowBytes = w * 3;
        // Reflected offsets, precomputed so the inner loops index without edge logic.
        var columnOffsets = new int[w + 2 * radius];
        for (int i = 0; i < columnOffsets.Length; i++)
            columnOffsets[i] = Reflect(i - radius, w) * 3;
        var rowOffsets = new int[h + 2 * radius];
        for (int i = 0; i < rowOffsets.Length; i++)
            rowOffsets[i] = Reflect(i - radius, h) * rowBytes;

        var src = image.Pixels;
        var horizontal = new float[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            int row = y * rowBytes;
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = 0; k < kernel.Length; k++)
                        sum += kernel[k] * src[row + columnOffsets[x + k] + c];
                    horizontal[row + x * 3 + c] = sum;
                }
        }
        var output = GC.AllocateUninitializedArray<byte>(w * h * 3);
        for (int y = 0; y < h; y++)
            for (int j = 0; j < rowBytes; j++)
            {
                float sum = 0;
                for (int k = 0; k < kernel.Length; k++)
                    sum += kernel[k] * horizontal[rowOffsets[y + k] + j];
                output[y * rowBytes + j] = ClampToByte(sum);
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

    internal static unsafe RgbImage JpegRoundTrip(RgbImage image, int quality)
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
            var encoded = JpegEncoder.Encode(pixmap, quality);
            return ImageDecoder.Decode(encoded, w, h, ImageDecodeLimits.Default, "JPEG augmentation");
        }
        finally
        {
            NativeMemory.Free(rgba);
        }
    }
}
