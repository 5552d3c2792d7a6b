using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        fixed (byte* src = image.Pixels)
        fixed (byte* dst = output)
        fixed (int* firstTap = taps.First)
        fixed (int* tapCount = taps.Count)
        fixed (int* weights = taps.Weights)
        {
            // The vector path reads and writes 4 bytes per 3-byte pixel, so the last row (whose spare byte would lie
            // past the end of the buffers) goes through the scalar path.
            int vectorRows = Vector128.IsHardwareAccelerated ? height - 1 : 0;
            for (int y = 0; y < height; y++)
            {
                byte* inRow = src + (nint)y * inRowBytes;
                byte* outRow = dst + (nint)y * outRowBytes;
                if (y < vectorRows)
                    HorizontalRowVector(inRow, outRow, width, firstTap, tapCount, weights, taps.Stride);
                else
                    HorizontalRowScalar(inRow, outRow, width, firstTap, tapCount, weights, taps.Stride);
            }
        }
        return new RgbImage(width, height, output);
    }

    private static unsafe void HorizontalRowVector(byte* inRow, byte* outRow, int width, int* firstTap, int* tapCount, int* weights, int stride)
    {
        var half = Vector128.Create(1 << (PrecisionBits - 1));
        var zero = Vector128<int>.Zero;
        var max = Vector128.Create(255);
        byte* d = outRow;
        for (int x = 0; x < width; x++, d += 3)
        {
            byte* s = inRow + firstTap[x] * 3;
            int* k = weights + x * stride;
            int n = tapCount[x];
            var sum = half;
            if (Sse41.IsSupported)
            {
                // One pmovzxbd per tap: load 4 bytes and zero-extend them to 4 ints.
                for (int i = 0; i < n; i++, s += 3)
                    sum += Sse41.ConvertToVector128Int32(s) * Vector128.Create(k[i]);
            }
            else
            {
                for (int i = 0; i < n; i++, s += 3)
                {
                    var pixel = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(s)).AsByte();
                    sum += Vector128.WidenLower(Vector128.WidenLower(pixel)).AsInt32() * Vector128.Create(k[i]);
                }
            }
            var clamped = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(sum, PrecisionBits), zero), max);
            var packed = Vector128.Narrow(Vector128.Narrow(clamped, clamped).AsUInt16(), Vector128<ushort>.Zero);
            Unsafe.WriteUnaligned(d, packed.AsUInt32().ToScalar());
        }
    }

    private static unsafe void HorizontalRowScalar(byte* inRow, byte* outRow, int width, int* firstTap, int* tapCount, int* weights, int stride)
    {
        const int half = 1 << (PrecisionBits - 1);
        byte* d = outRow;
        for (int x = 0; x < width; x++, d += 3)
        {
            byte* s = inRow + firstTap[x] * 3;
            int* k = weights + x * stride;
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
                int j = Vector256.IsHardwareAccelerated ? VerticalRowVector(top, d, rowBytes, k, n) : 0;
                for (; j < rowBytes; j++)
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

    /// <summary>Output bytes 32 at a time; returns how many were done (the rest is left to the scalar loop).</summary>
    private static unsafe int VerticalRowVector(byte* top, byte* d, int rowBytes, int* k, int n)
    {
        var half = Vector256.Create(1 << (PrecisionBits - 1));
        var zero = Vector256<int>.Zero;
        var max = Vector256.Create(255);
        int j = 0;
        for (; j + 32 <= rowBytes; j += 32)
        {
            Vector256<int> a0 = half, a1 = half, a2 = half, a3 = half;
            byte* s = top + j;
            for (int i = 0; i < n; i++, s += rowBytes)
            {
                var weight = Vector256.Create(k[i]);
                var (low, high) = Vector256.Widen(Vector256.Load(s));
                var (q0, q1) = Vector256.Widen(low);
                var (q2, q3) = Vector256.Widen(high);
                a0 += q0.AsInt32() * weight;
                a1 += q1.AsInt32() * weight;
                a2 += q2.AsInt32() * weight;
                a3 += q3.AsInt32() * weight;
            }
            a0 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a0, PrecisionBits), zero), max);
            a1 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a1, PrecisionBits), zero), max);
            a2 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a2, PrecisionBits), zero), max);
            a3 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(a3, PrecisionBits), zero), max);
            var bytes = Vector256.Narrow(Vector256.Narrow(a0, a1).AsUInt16(), Vector256.Narrow(a2, a3).AsUInt16());
            bytes.Store(d + j);
        }
        return j;
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
