namespace TwinHead.Imaging;

/// <summary>
/// Separable triangle-filter resampling whose support widens with the downscale factor, the algorithm of PIL's
/// <c>Image.resize(..., BILINEAR)</c> (which torchvision's Resize uses on PIL images): antialiased when shrinking,
/// plain bilinear when enlarging, 8-bit fixed-point weights, horizontal pass first.
/// </summary>
public static class ImageResizer
{
    /// <summary>Fixed-point fraction bits of the weights: 32 bits minus 8 for the pixel value minus 2 for headroom.</summary>
    private const int PrecisionBits = 22;

    /// <summary>Resizes to exactly <paramref name="width"/> x <paramref name="height"/> (no aspect preservation).</summary>
    /// <param name="image">The source image.</param>
    /// <param name="width">Target width (positive).</param>
    /// <param name="height">Target height (positive).</param>
    /// <returns>A new image; <paramref name="image"/> itself when it already has the requested size.</returns>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == image.Width && height == image.Height)
            return image;

        var current = image;
        if (width != image.Width)
            current = ResizeHorizontally(current, width);
        if (height != image.Height)
            current = ResizeVertically(current, height);
        return current;
    }

    private static unsafe RgbImage ResizeHorizontally(RgbImage image, int width)
    {
        var taps = FilterTaps.Compute(image.Width, width);
        int height = image.Height;
        var output = GC.AllocateUninitializedArray<byte>(width * height * 3);
        int inRowBytes = image.Width * 3, outRowBytes = width * 3;
        const int half = 1 << (PrecisionBits - 1);
        fixed (byte* src = image.Pixels)
        fixed (byte* dst = output)
        fixed (int* firstTap = taps.First)
        fixed (int* tapCount = taps.Count)
        fixed (int* weights = taps.Weights)
        {
            for (int y = 0; y < height; y++)
            {
                byte* inRow = src + (nint)y * inRowBytes;
                byte* d = dst + (nint)y * outRowBytes;
                for (int x = 0; x < width; x++, d += 3)
                {
                    byte* s = inRow + firstTap[x] * 3;
                    int* k = weights + x * taps.Stride;
                    int n = tapCount[x];
                    int r = half, g = half, b = half;
                    for (int i = 0; i < n; i++, s += 3)
                    {
                        int weight = k[i];
                        r += s[0] * weight;
                        g += s[1] * weight;
                        b += s[2] * weight;
                    }
                    d[0] = ClampToByte(r);
                    d[1] = ClampToByte(g);
                    d[2] = ClampToByte(b);
                }
            }
        }
        return new RgbImage(width, height, output);
    }

    private static unsafe RgbImage ResizeVertically(RgbImage image, int height)
    {
        var taps = FilterTaps.Compute(image.Height, height);
        int rowBytes = image.Width * 3;
        var output = GC.AllocateUninitializedArray<byte>(rowBytes * height);
        const int half = 1 << (PrecisionBits - 1);
        fixed (byte* src = image.Pixels)
        fixed (byte* dst = output)
        fixed (int* weights = taps.Weights)
        {
            for (int y = 0; y < height; y++)
            {
                byte* top = src + (nint)taps.First[y] * rowBytes;
                int* k = weights + y * taps.Stride;
                int n = taps.Count[y];
                byte* d = dst + (nint)y * rowBytes;
                for (int j = 0; j < rowBytes; j++)
                {
                    byte* s = top + j;
                    int sum = half;
                    for (int i = 0; i < n; i++, s += rowBytes)
                        sum += *s * k[i];
                    d[j] = ClampToByte(sum);
                }
            }
        }
        return new RgbImage(image.Width, height, output);
    }

    private static byte ClampToByte(int fixedPoint)
    {
        int value = fixedPoint >> PrecisionBits;
        return (byte)(value < 0 ? 0 : value > 255 ? 255 : value);
    }

    /// <summary>For each output index: the first input index, the number of inputs, and their fixed-point weights.</summary>
    private sealed class FilterTaps
    {
        public required int[] First { get; init; }
        public required int[] Count { get; init; }
        public required int[] Weights { get; init; }
        public required int Stride { get; init; }

        public static FilterTaps Compute(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale; // the triangle filter's support is 1, widened by the downscale factor
            int stride = (int)Math.Ceiling(support) * 2 + 1;
            var first = new int[outSize];
            var count = new int[outSize];
            var weights = new int[outSize * stride];
            Span<double> raw = stackalloc double[stride];
            double inverseFilterScale = 1.0 / filterScale;
            for (int o = 0; o < outSize; o++)
            {
                double center = (o + 0.5) * scale;
                int lo = Math.Max((int)(center - support + 0.5), 0);
                int n = Math.Min((int)(center + support + 0.5), inSize) - lo;
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    double t = Math.Abs((i + lo - center + 0.5) * inverseFilterScale);
                    raw[i] = t < 1.0 ? 1.0 - t : 0.0;
                    total += raw[i];
                }
                for (int i = 0; i < n; i++)
                {
                    double normalised = total != 0 ? raw[i] / total : 0;
                    weights[o * stride + i] = (int)(normalised * (1 << PrecisionBits) + (normalised < 0 ? -0.5 : 0.5));
                }
                first[o] = lo;
                count[o] = n;
            }
            return new FilterTaps { First = first, Count = count, Weights = weights, Stride = stride };
        }
    }
}
