using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// The camera's readout from sensor to output resolution in managed separable fixed-point passes: resampling
/// (bilinear, or Catmull-Rom which sharpens edges as phones do) with the tone curve and the vignette applied per
/// pixel, then the defocus/handshake Gaussian blur at output resolution. It replaces three Skia draws (a downscale
/// through a table colour filter, a radial gradient and a blur image filter) that cost several times more with
/// Skia's portable raster pipeline, in the same order, so aliasing (moire) survives the blur as before.
/// </summary>
internal static class SensorReadout
{
    /// <summary>Fraction bits of the filter weights (weights of one output pixel sum to 1 &lt;&lt; WeightBits).</summary>
    internal const int WeightBits = 14;

    /// <summary>Bits dropped after the horizontal pass, so that the vertical pass cannot overflow 32-bit sums.</summary>
    internal const int IntermediateShift = 6;

    private const int FinalShift = 2 * WeightBits - IntermediateShift;

    /// <summary>
    /// Per output pixel: the first source pixel, how many follow, and their weights (row-major, MaxCount each).
    /// <see cref="Pairs"/> holds the same weights two to an int (16 bits each, odd counts padded with 0,
    /// (MaxCount + 1) / 2 per pixel) for the horizontal pass, or null if a weight does not fit in 16 bits.
    /// </summary>
    internal sealed record Filter(int[] Start, int[] Count, int[] Weights, int MaxCount, int[]? Pairs);

    /// <summary>Radial darkening towards the corners: none inside Inner * Radius, Strength (0..255) at Radius and beyond.</summary>
    internal readonly record struct Vignette(float CenterX, float CenterY, float Radius, float Inner, byte Strength);

    private static readonly byte[] Identity = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    /// <summary>
    /// Fills <paramref name="output"/> (opaque RGBA) from <paramref name="sensor"/>: resampled, mapped through the
    /// per-channel <paramref name="tone"/> tables, vignetted, then blurred by the Gaussian sigmas (output pixels).
    /// </summary>
    public static void Develop(SKBitmap sensor, SKBitmap output, bool catmullRom, float sigmaX, float sigmaY, byte[][] tone, Vignette vignette)
    {
        int w = output.Width, h = output.Height;
        Resample(sensor, output, BuildFilter(sensor.Width, w, catmullRom, 0), BuildFilter(sensor.Height, h, catmullRom, 0), tone, vignette);
        // Skia's blur, which the generator used before, leaves an axis untouched below this sigma (its box window
        // rounds to one pixel); keeping that threshold keeps the dataset's look, and skips most blur passes.
        const float minimumSigma = 0.8f;
        if (sigmaX < minimumSigma) sigmaX = 0;
        if (sigmaY < minimumSigma) sigmaY = 0;
        if (sigmaX > 0 || sigmaY > 0)
        {
            // Same-size filters of tent kernels at pixel centres are pure Gaussians; the pass reads all rows before writing.
            Resample(output, output, BuildFilter(w, w, false, sigmaX), BuildFilter(h, h, false, sigmaY), [Identity, Identity, Identity], default);
        }
    }

    /// <summary>Fills <paramref name="target"/> (opaque RGBA) with <paramref name="source"/> resized by bilinear interpolation.</summary>
    public static void Enlarge(SKBitmap source, SKBitmap target) =>
        Resample(source, target, BuildFilter(source.Width, target.Width, false, 0), BuildFilter(source.Height, target.Height, false, 0),
            [Identity, Identity, Identity], default);

    private static unsafe void Resample(SKBitmap source, SKBitmap target, Filter horizontal, Filter vertical, byte[][] tone, Vignette vignette)
    {
        int sh = source.Height, w = target.Width, h = target.Height;
        // Four ints per pixel (alpha unused) so that one 128-bit vector holds a pixel in the horizontal pass.
        var rowLength = w * 4;
        // Rows a multiple of 4 kB apart would share cache sets, and the vertical pass reads a column of many rows at once.
        var rowStride = rowLength % 1024 == 0 ? rowLength + 16 : rowLength;
        var rows = ArrayPool<int>.Shared.Rent(sh * rowStride);
        var sums = ArrayPool<int>.Shared.Rent(rowLength);
        var keeps = ArrayPool<int>.Shared.Rent(w);
        // The three tone curves side by side as ints (red, green, blue), so the vector loop can gather lane c from curve c.
        var curves = stackalloc int[3 * 256];
        for (var i = 0; i < 256; i++) (curves[i], curves[256 + i], curves[512 + i]) = (tone[0][i], tone[1][i], tone[2][i]);
        try
        {
            fixed (int* rowsStart = rows)
            fixed (int* sumStart = sums)
            fixed (int* keep = keeps)
            fixed (int* hw = horizontal.Weights)
            fixed (int* vw = vertical.Weights)
            {
                var from = (byte*)source.GetPixels();
                for (var y = 0; y < sh; y++)
                {
                    HorizontalRow(from + (long)y * source.RowBytes, rowsStart + (long)y * rowStride, w, horizontal, hw);
                }
                var to = (byte*)target.GetPixels();
                var darkens = vignette.Strength > 0;
                for (var y = 0; y < h; y++)
                {
                    VerticalRow(rowsStart, rowStride, sumStart, rowLength, vertical.Start[y], vertical.Count[y], vw + y * vertical.MaxCount);
                    if (darkens) VignetteRow(keep, w, y, vignette);
                    FinishRow(sumStart, to + (long)y * target.RowBytes, w, curves, darkens ? keep : null);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(keeps);
        }
    }

    // Hot loops: compiled optimised at once, since a short run would spend its first images in unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void HorizontalRow(byte* source, int* target, int width, Filter filter, int* weights)
    {
        const int round = 1 << (IntermediateShift - 1);
        if (Ssse3.IsSupported && filter.Pairs is { } pairs)
        {
            // Two neighbouring source pixels per step: their bytes interleaved to 16-bit (r r g g b b a a) and
            // multiplied by the two taps' weights with pairwise adds (pmaddwd), the exact sums of the one-tap loop.
            var interleave = Vector128.Create((byte)0, 0x80, 4, 0x80, 1, 0x80, 5, 0x80, 2, 0x80, 6, 0x80, 3, 0x80, 7, 0x80);
            var half = Vector128.Create(round);
            var perPixel = (filter.MaxCount + 1) / 2;
            fixed (int* pairStart = pairs)
            {
                for (var x = 0; x < width; x++, target += 4)
                {
                    var p = source + filter.Start[x] * 4;
                    var wp = pairStart + x * perPixel;
                    var sum = Vector128<int>.Zero;
                    var k = filter.Count[x];
                    for (; k >= 2; k -= 2, p += 8)
                    {
                        var twoPixels = Ssse3.Shuffle(Sse2.LoadScalarVector128((long*)p).AsByte(), interleave).AsInt16();
                        sum += Sse2.MultiplyAddAdjacent(twoPixels, Vector128.Create(*wp++).AsInt16());
                    }
                    if (k == 1)
                    {
                        var onePixel = Ssse3.Shuffle(Sse2.LoadScalarVector128((int*)p).AsByte(), interleave).AsInt16();
                        sum += Sse2.MultiplyAddAdjacent(onePixel, Vector128.Create(*wp).AsInt16());
                    }
                    Sse2.Store(target, Sse2.ShiftRightArithmetic(sum + half, IntermediateShift));
                }
            }
            return;
        }
        for (var x = 0; x < width; x++, target += 4)
        {
            var p = source + filter.Start[x] * 4;
            var wp = weights + x * filter.MaxCount;
            int r = 0, g = 0, b = 0;
            for (var k = filter.Count[x]; k > 0; k--, p += 4)
            {
                var weight = *wp++;
                r += weight * p[0];
                g += weight * p[1];
                b += weight * p[2];
            }
            target[0] = (r + round) >> IntermediateShift;
            target[1] = (g + round) >> IntermediateShift;
            target[2] = (b + round) >> IntermediateShift;
        }
    }

    /// <summary>
    /// One output row of the vertical pass. Each vector of sums is accumulated over all taps in a register and stored
    /// once: adding tap by tap into the whole row read and wrote it once per tap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void VerticalRow(int* rows, int rowStride, int* sums, int rowLength, int start, int count, int* weights)
    {
        var first = rows + (long)start * rowStride;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<int>.Count <= rowLength; i += Vector256<int>.Count)
            {
                var p = first + i;
                var sum = Vector256<int>.Zero;
                for (var k = 0; k < count; k++, p += rowStride) sum += Vector256.Create(weights[k]) * Vector256.Load(p);
                sum.Store(sums + i);
            }
        }
        for (; i < rowLength; i++)
        {
            var p = first + i;
            var sum = 0;
            for (var k = 0; k < count; k++, p += rowStride) sum += weights[k] * *p;
            sums[i] = sum;
        }
    }

    /// <summary>Tone curve per channel (<paramref name="curves"/>: red, green, blue, 256 entries each) and the vignette's
    /// factor (256 = untouched, or none), to 8-bit opaque RGBA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FinishRow(int* sums, byte* target, int width, int* curves, int* keeps)
    {
        const int round = 1 << (FinalShift - 1);
        var x = Avx2.IsSupported ? FinishVectors(sums, target, width, curves, keeps) : 0;
        sums += 4 * x;
        target += 4 * x;
        for (; x < width; x++, sums += 4, target += 4)
        {
            var keep = keeps is null ? 256 : keeps[x];
            target[0] = (byte)((curves[Clamp((sums[0] + round) >> FinalShift)] * keep + 128) >> 8);
            target[1] = (byte)((curves[256 + Clamp((sums[1] + round) >> FinalShift)] * keep + 128) >> 8);
            target[2] = (byte)((curves[512 + Clamp((sums[2] + round) >> FinalShift)] * keep + 128) >> 8);
            target[3] = 255;
        }
    }

    /// <summary>
    /// Eight pixels of <see cref="FinishRow"/> at a time (two per vector of sums); returns where the scalar loop goes on.
    /// Integer arithmetic throughout, so the bytes are the scalar loop's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int FinishVectors(int* sums, byte* target, int width, int* curves, int* keeps)
    {
        var x = 0;
        for (; x + 8 <= width; x += 8, sums += 32, target += 32)
        {
            var keep = keeps is null ? default : Vector256.Load(keeps + x);
            var pair0 = Finish(Vector256.Load(sums), curves, keeps is not null, keep, 0);
            var pair1 = Finish(Vector256.Load(sums + 8), curves, keeps is not null, keep, 2);
            var pair2 = Finish(Vector256.Load(sums + 16), curves, keeps is not null, keep, 4);
            var pair3 = Finish(Vector256.Load(sums + 24), curves, keeps is not null, keep, 6);
            Vector256.Narrow(Vector256.Narrow(pair0, pair1), Vector256.Narrow(pair2, pair3)).AsByte().Store(target);
        }
        return x;
    }

    /// <summary>Two pixels' sums (four lanes each, the fourth unused) to toned, vignetted, opaque channel values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Finish(Vector256<int> sum, int* curves, bool darkens, Vector256<int> keep, int pixel)
    {
        var level = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(sum + Vector256.Create(1 << (FinalShift - 1)), FinalShift), Vector256<int>.Zero), Vector256.Create(255));
        // Lane c of each pixel looks up curve c; the alpha lane reads the red curve and is then set to 255.
        var toned = Avx2.GatherVector256(curves, level + Vector256.Create(0, 256, 512, 0, 0, 256, 512, 0), 4);
        if (darkens)
        {
            var factor = Avx2.PermuteVar8x32(keep, Vector256.Create(pixel, pixel, pixel, pixel, pixel + 1, pixel + 1, pixel + 1, pixel + 1));
            toned = Vector256.ShiftRightArithmetic(toned * factor + Vector256.Create(128), 8);
        }
        return (toned & Vector256.Create(-1, -1, -1, 0, -1, -1, -1, 0)) | Vector256.Create(0, 0, 0, 255, 0, 0, 0, 255);
    }

    /// <summary>
    /// The vignette's factor for each pixel of row <paramref name="y"/>: 256 = untouched, darkened linearly from the
    /// inner radius, as the original black radial gradient did. The vector loop does the scalar loop's float operations
    /// in the same order (IEEE square root in both), so the factors are the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void VignetteRow(int* keeps, int width, int y, Vignette vignette)
    {
        var dy = y + 0.5f - vignette.CenterY;
        var inner = vignette.Inner * vignette.Radius;
        var ramp = vignette.Strength / (255f * MathF.Max(1e-3f, vignette.Radius - inner));
        var limit = vignette.Strength / 255f;
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
            var dy2 = Vector256.Create(dy * dy);
            for (; x + Vector256<float>.Count <= width; x += Vector256<float>.Count)
            {
                var dx = Vector256.Create((float)x) + lane + Vector256.Create(0.5f) - Vector256.Create(vignette.CenterX);
                var distance = Vector256.Sqrt(dx * dx + dy2);
                var darkness = Vector256.Min(Vector256.Max((distance - Vector256.Create(inner)) * Vector256.Create(ramp), Vector256<float>.Zero), Vector256.Create(limit));
                var keep = Vector256.Create(256) - Vector256.ConvertToInt32(Vector256.Create(256f) * darkness + Vector256.Create(0.5f));
                keep.Store(keeps + x);
            }
        }
        for (; x < width; x++)
        {
            var dx = x + 0.5f - vignette.CenterX;
            var distance = MathF.Sqrt(dx * dx + dy * dy);
            keeps[x] = 256 - (int)(256 * Math.Clamp((distance - inner) * ramp, 0, limit) + 0.5f);
        }
    }

    private static int Clamp(int v) => v < 0 ? 0 : v > 255 ? 255 : v;

    /// <summary>
    /// Weights that take <paramref name="sourceSize"/> pixels to <paramref name="outputSize"/>: the resampling kernel
    /// at each output centre, convolved with a discrete Gaussian of <paramref name="sigma"/> source pixels; taps that
    /// fall outside the image are folded onto the edge pixel (clamp).
    /// </summary>
    internal static Filter BuildFilter(int sourceSize, int outputSize, bool catmullRom, float sigma)
    {
        var scale = sourceSize / (float)outputSize;
        var radius = sigma > 0.05f ? (int)MathF.Ceiling(3 * sigma) : 0;
        var gauss = new float[2 * radius + 1];
        float total = 0;
        for (var d = -radius; d <= radius; d++) total += gauss[d + radius] = radius == 0 ? 1 : MathF.Exp(-d * d / (2 * sigma * sigma));
        for (var d = 0; d < gauss.Length; d++) gauss[d] /= total;

        var support = catmullRom ? 2 : 1;
        var span = 2 * support + 2 * radius;
        var maxCount = Math.Min(span, sourceSize);
        var start = new int[outputSize];
        var count = new int[outputSize];
        var weights = new int[outputSize * maxCount];
        var composite = new float[span];
        var clamped = new float[sourceSize];
        for (var o = 0; o < outputSize; o++)
        {
            var center = (o + 0.5f) * scale - 0.5f;
            var first = (int)MathF.Floor(center) - support + 1;
            Array.Clear(composite);
            for (var k = 0; k < 2 * support; k++)
            {
                var r = Kernel(first + k - center, catmullRom);
                if (r == 0) continue;
                for (var d = -radius; d <= radius; d++) composite[k + radius - d] += r * gauss[d + radius];
            }
            var lo = first - radius;
            int min = int.MaxValue, max = int.MinValue;
            for (var k = 0; k < span; k++)
            {
                if (composite[k] == 0) continue;
                var i = Math.Clamp(lo + k, 0, sourceSize - 1);
                clamped[i] += composite[k];
                min = Math.Min(min, i);
                max = Math.Max(max, i);
            }
            start[o] = min;
            count[o] = max - min + 1;
            float sum = 0;
            for (var i = min; i <= max; i++) sum += clamped[i];
            var fixedSum = 0;
            var largest = 0;
            var row = o * maxCount;
            for (var i = min; i <= max; i++)
            {
                var q = (int)MathF.Round(clamped[i] / sum * (1 << WeightBits));
                weights[row + i - min] = q;
                fixedSum += q;
                if (Math.Abs(q) > Math.Abs(weights[row + largest])) largest = i - min;
                clamped[i] = 0;
            }
            // Rounding leftovers go to the largest tap, so flat areas keep their exact level.
            weights[row + largest] += (1 << WeightBits) - fixedSum;
        }
        return new Filter(start, count, weights, maxCount, PairUp(count, weights, maxCount));
    }

    private static int[]? PairUp(int[] count, int[] weights, int maxCount)
    {
        var perPixel = (maxCount + 1) / 2;
        var pairs = new int[count.Length * perPixel];
        for (var o = 0; o < count.Length; o++)
        {
            for (var k = 0; k < count[o]; k++)
            {
                var weight = weights[o * maxCount + k];
                if (weight is < short.MinValue or > short.MaxValue) return null;
                pairs[o * perPixel + k / 2] |= k % 2 == 0 ? (ushort)weight : weight << 16;
            }
        }
        return pairs;
    }

    /// <summary>Bilinear (tent) or Catmull-Rom cubic (B = 0, C = 0.5) kernel at offset <paramref name="t"/>.</summary>
    private static float Kernel(float t, bool catmullRom)
    {
        var a = MathF.Abs(t);
        if (!catmullRom) return MathF.Max(0, 1 - a);
        if (a < 1) return (1.5f * a - 2.5f) * a * a + 1;
        if (a < 2) return ((-0.5f * a + 2.5f) * a - 4) * a + 2;
        return 0;
    }
}
