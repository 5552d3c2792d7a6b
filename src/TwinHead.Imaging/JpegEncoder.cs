using System.Runtime.InteropServices;
using SkiaSharp;

namespace TwinHead.Imaging;

/// <summary>
/// Encodes bitmaps to JPEG with exactly the bytes Skia's encoder writes (<see cref="SKBitmap.Encode(SKEncodedImageFormat, int)"/>),
/// through the system's libjpeg-turbo when it is installed: Skia's bundled libjpeg has no SIMD code, and on a 512 px
/// generated image at quality 70-95 it took 2.4-4.2 ms where TurboJPEG takes 0.9-2.1 (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Skia sets libjpeg's defaults (4:2:0, ISLOW DCT, optimised Huffman tables) and adds an sRGB ICC profile after the JFIF
/// header; TurboJPEG is given the same settings and Skia's profile segments are spliced in. Whether the result is
/// byte-identical is checked once per process on two probe images; if it is not (another libjpeg-turbo version, or
/// <c>TJ_ARITHMETIC</c>/<c>TJ_RESTART</c> set), or the library is missing, every image goes through Skia as before. So
/// which library encoded a dataset never shows in its files. The choice sets <c>TJ_OPTIMIZE</c> with C's <c>setenv</c>,
/// which other threads' <c>getenv</c> calls do not tolerate: a program encoding from several threads reads
/// <see cref="Name"/> (which makes the choice) before it starts them.
/// </remarks>
public static class JpegEncoder
{
    private static readonly Lazy<SkiaSegments?> Splice = new(FindSkiaSegments);

    /// <summary>Which library compresses JPEGs in this process: "libjpeg-turbo via TurboJPEG (...)" or "Skia".</summary>
    public static string Name => Splice.Value is not null ? $"libjpeg-turbo via TurboJPEG ({TurboJpegLibrary.LibraryName})" : "Skia";

    /// <summary>The JPEG file Skia would write for <paramref name="bitmap"/> at <paramref name="quality"/> (0-100).</summary>
    /// <exception cref="InvalidOperationException">Skia could not encode the bitmap (an unsupported colour type).</exception>
    public static byte[] Encode(SKBitmap bitmap, int quality)
    {
        using var pixmap = bitmap.PeekPixels()
            ?? throw new InvalidOperationException($"a {bitmap.Width}x{bitmap.Height} bitmap without pixels cannot be encoded as JPEG");
        return Encode(pixmap, quality);
    }

    /// <summary>The JPEG file Skia would write for <paramref name="pixmap"/> at <paramref name="quality"/> (0-100).</summary>
    /// <exception cref="InvalidOperationException">Skia could not encode the pixels (an unsupported colour type).</exception>
    public static byte[] Encode(SKPixmap pixmap, int quality)
    {
        if (Splice.Value is { } splice && pixmap.ColorType == SKColorType.Rgba8888 && pixmap.Width > 0 && pixmap.Height > 0)
        {
            var turbo = EncodeWithTurbo(pixmap, quality);
            if (turbo is not null && splice.TryApply(turbo) is { } spliced) return spliced;
        }
        using var data = pixmap.Encode(SKEncodedImageFormat.Jpeg, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {pixmap.Width}x{pixmap.Height} {pixmap.ColorType} pixels as JPEG");
        return data.ToArray();
    }

    /// <summary>Skia's own encoder, as <see cref="SKBitmap.Encode(SKEncodedImageFormat, int)"/>; tests compare it with <see cref="Encode(SKBitmap, int)"/>.</summary>
    internal static byte[] EncodeWithSkia(SKBitmap bitmap, int quality)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}x{bitmap.Height} {bitmap.ColorType} bitmap as JPEG");
        return data.ToArray();
    }

    private static unsafe byte[]? EncodeWithTurbo(SKPixmap pixmap, int quality) =>
        TurboJpegLibrary.TryEncodeRgba((byte*)pixmap.GetPixels(), pixmap.Width, pixmap.RowBytes, pixmap.Height, Math.Clamp(quality, 0, 100));

    private static SkiaSegments? FindSkiaSegments()
    {
        if (!TurboJpegLibrary.CanEncode || !OptimisedHuffmanTables()) return null;
        SkiaSegments? found = null;
        foreach (var (width, height, quality) in (ReadOnlySpan<(int, int, int)>)[(61, 37, 83), (128, 96, 95)])
        {
            using var probe = Probe(width, height);
            var skia = EncodeWithSkia(probe, quality);
            using var pixels = probe.PeekPixels();
            var turbo = EncodeWithTurbo(pixels, quality);
            var splice = turbo is null ? null : SkiaSegments.Between(skia, turbo);
            if (splice is null || (found is not null && !found.Extra.AsSpan().SequenceEqual(splice.Extra))) return null;
            found = splice;
        }
        return found;
    }

    /// <summary>
    /// TurboJPEG 2.x optimises Huffman tables only when <c>TJ_OPTIMIZE=1</c> is in the C environment (.NET's
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach it), so it is set once, here.
    /// </summary>
    private static unsafe bool OptimisedHuffmanTables()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return false;
        if (!NativeLibrary.TryGetExport(libc, "setenv", out var export)) return false;
        var setenv = (delegate* unmanaged<byte*, byte*, int, int>)export;
        fixed (byte* name = "TJ_OPTIMIZE\0"u8)
        fixed (byte* value = "1\0"u8)
            return setenv(name, value, 1) == 0;
    }

    /// <summary>Noise over a gradient, so the probe exercises every Huffman table and both chroma planes.</summary>
    private static SKBitmap Probe(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = bitmap.GetPixelSpan();
        uint state = (uint)(width * 7919 + height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = y * bitmap.RowBytes + x * 4;
                for (var c = 0; c < 3; c++)
                {
                    state = state * 1664525 + 1013904223;
                    pixels[i + c] = (byte)Math.Clamp(x * 255 / width + (int)(state >> 27) - 16 + c * 20, 0, 255);
                }
                pixels[i + 3] = 255;
            }
        }
        return bitmap;
    }

    /// <summary>
    /// What Skia's file holds that TurboJPEG's does not: the bytes Skia writes right after the JFIF header (its ICC
    /// profile), everything else being equal.
    /// </summary>
    private sealed record SkiaSegments(int Offset, byte[] Extra)
    {
        /// <summary>The splice that turns <paramref name="turbo"/> into <paramref name="skia"/>, or null if there is none.</summary>
        public static SkiaSegments? Between(byte[] skia, byte[] turbo)
        {
            var offset = AfterJfifHeader(turbo);
            var extra = skia.Length - turbo.Length;
            if (offset < 0 || extra < 0 || AfterJfifHeader(skia) != offset) return null;
            var candidate = new SkiaSegments(offset, skia[offset..(offset + extra)]);
            return candidate.TryApply(turbo) is { } spliced && spliced.AsSpan().SequenceEqual(skia) ? candidate : null;
        }

        public byte[]? TryApply(byte[] turbo)
        {
            if (AfterJfifHeader(turbo) != Offset) return null;
            var result = new byte[turbo.Length + Extra.Length];
            turbo.AsSpan(0, Offset).CopyTo(result);
            Extra.CopyTo(result.AsSpan(Offset));
            turbo.AsSpan(Offset).CopyTo(result.AsSpan(Offset + Extra.Length));
            return result;
        }

        /// <summary>Offset just past SOI and the APP0 (JFIF) segment, or -1 if the file does not start so.</summary>
        private static int AfterJfifHeader(byte[] jpeg)
        {
            if (jpeg.Length < 6 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF || jpeg[3] != 0xE0) return -1;
            var end = 4 + (jpeg[4] << 8 | jpeg[5]);
            return end <= jpeg.Length ? end : -1;
        }
    }
}
