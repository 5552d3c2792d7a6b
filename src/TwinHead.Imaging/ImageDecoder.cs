using System.Runtime.InteropServices;
using SkiaSharp;

namespace TwinHead.Imaging;

/// <summary>
/// Decodes any format Skia reads (JPEG including CMYK, PNG including grey, 16-bit and alpha, GIF first frame, WebP, BMP, ICO)
/// to upright 8-bit RGB.
/// </summary>
/// <remarks>
/// <para>EXIF orientation is applied (all eight origins), fused into the RGBA to RGB pass so it costs no extra copy.</para>
/// <para>Transparent pixels are composited over white: transparent images in this domain are mostly scans, forms and
/// screenshots whose dark ink sits on a transparent background, which over black would become invisible; paper is white.</para>
/// <para>JPEGs are decoded by libjpeg's DCT scaling at 1/8, 1/4 or 1/2, chosen by PIL <c>draft</c>'s rule (the largest
/// reduction that the minimum size fits into a whole number of times), so the result is never smaller than the minimum
/// and matches the reference pipeline; this is the bulk of the speed on phone photos.</para>
/// <para>JPEG pixels come from the system's libjpeg-turbo (TurboJPEG API) when it is installed, the library PIL uses, with
/// identical output and a faster decode than Skia's bundled copy; Skia decodes them otherwise, and every file TurboJPEG
/// does not decode cleanly. <see cref="JpegDecoderName"/> says which is in use.</para>
/// <para>Embedded colour profiles are not applied (like PIL, so training data made by the Python reference matches).</para>
/// <para>Truncated files are rejected (<see cref="ImageDecodeFailure.Corrupt"/>), as PIL does by default: a partially
/// decoded photo would be classified with a filled-in band as though it were real content.</para>
/// </remarks>
public static class ImageDecoder
{
    /// <summary>
    /// Which library decodes JPEG pixels in this process: the system's libjpeg-turbo through TurboJPEG (Debian package
    /// <c>libturbojpeg0</c>) when it can be loaded and <c>TWINHEAD_JPEG_DECODER</c> is not <c>skia</c>, else Skia.
    /// </summary>
    public static string JpegDecoderName => TurboJpegLibrary.LibraryName is { } name ? $"libjpeg-turbo via TurboJPEG ({name})" : "Skia";

    /// <summary>Decodes <paramref name="encoded"/> to upright RGB, scaled down where the codec supports it to no less than the minimum size.</summary>
    /// <param name="encoded">The encoded file bytes.</param>
    /// <param name="minWidth">Smallest upright width the caller needs (0 for the smallest the codec can give).</param>
    /// <param name="minHeight">Smallest upright height the caller needs.</param>
    /// <param name="limits">Bounds checked on the byte count and on the header's declared size before pixels are allocated.</param>
    /// <param name="source">Name used in error messages: the file path, or "upload".</param>
    /// <exception cref="ImageDecodeException">The input is empty, not an image, corrupt, too large or unsupported.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, int minWidth, int minHeight, ImageDecodeLimits limits, string source) =>
        Decode(encoded, minWidth, minHeight, limits, source, allowTurboJpeg: true);

    /// <summary>As the public overload; <paramref name="allowTurboJpeg"/> false forces Skia, so tests can compare the two paths.</summary>
    internal static unsafe RgbImage Decode(ReadOnlySpan<byte> encoded, int minWidth, int minHeight, ImageDecodeLimits limits, string source, bool allowTurboJpeg)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(minWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(minHeight);
        if (encoded.IsEmpty)
            throw new ImageDecodeException(source, ImageDecodeFailure.Empty, "the image is empty (0 bytes)");
        if (encoded.Length > limits.MaxBytes)
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"the image is {encoded.Length:N0} bytes, more than the limit of {limits.MaxBytes:N0}");

        fixed (byte* encodedPointer = encoded)
        {
            // The SKData borrows the pinned bytes (no copy); it and the codec die before the pin is released.
            using var data = SKData.Create((IntPtr)encodedPointer, encoded.Length);
            using var codec = data is null ? null : SKCodec.Create(data);
            if (codec is null)
                throw Unrecognised(encoded, source);
            return DecodeWith(codec, allowTurboJpeg ? encodedPointer : null, encoded.Length, minWidth, minHeight, limits, source);
        }
    }

    /// <summary>Reads and decodes a file; error messages name <paramref name="path"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="minWidth">Smallest upright width the caller needs.</param>
    /// <param name="minHeight">Smallest upright height the caller needs.</param>
    /// <param name="limits">Bounds on bytes and declared pixels.</param>
    /// <exception cref="ImageDecodeException">The file is empty, not an image, corrupt, too large or unsupported.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, no permission).</exception>
    public static RgbImage DecodeFile(string path, int minWidth, int minHeight, ImageDecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(limits);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > limits.MaxBytes)
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge,
                $"the image is {length:N0} bytes, more than the limit of {limits.MaxBytes:N0}");
        if (length > Array.MaxLength)
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"the image is {length:N0} bytes, more than an array can hold");
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        stream.ReadExactly(bytes);
        return Decode(bytes, minWidth, minHeight, limits, path);
    }

    // encoded: the bytes for TurboJPEG, or null to decode with Skia only.
    private static unsafe RgbImage DecodeWith(SKCodec codec, byte* encoded, int encodedLength, int minWidth, int minHeight, ImageDecodeLimits limits, string source)
    {
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageDecodeException(source, ImageDecodeFailure.Corrupt, $"the header declares an empty size {info.Width}x{info.Height}");
        long declaredPixels = (long)info.Width * info.Height;
        if (declaredPixels > limits.MaxPixels)
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"the header declares {info.Width}x{info.Height} = {declaredPixels:N0} pixels, more than the limit of {limits.MaxPixels:N0}");

        var origin = codec.EncodedOrigin;
        bool swapsAxes = PremultipliedRgba.SwapsAxes(origin);
        var size = ChooseDecodeSize(codec, swapsAxes ? minHeight : minWidth, swapsAxes ? minWidth : minHeight);

        if ((long)size.Width * size.Height * 3 > Array.MaxLength)
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"decoding {size.Width}x{size.Height} pixels would exceed the largest possible RGB buffer");

        // Premultiplied RGBA makes compositing over white a single add per channel; no colour space means no ICC conversion.
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        nuint byteCount = (nuint)size.Width * (nuint)size.Height * 4;
        void* rgba = NativeMemory.Alloc(byteCount);
        try
        {
            bool decoded = encoded is not null && codec.EncodedFormat == SKEncodedImageFormat.Jpeg
                && TurboJpegLibrary.TryDecodeRgba(encoded, encodedLength, info.Width, info.Height, size.Width, size.Height, (byte*)rgba);
            if (!decoded)
            {
                var result = codec.GetPixels(decodeInfo, (IntPtr)rgba);
                if (result != SKCodecResult.Success)
                    throw DecodeFailure(result, codec.EncodedFormat, source);
            }
            return PremultipliedRgba.ToUprightRgb((byte*)rgba, size.Width, size.Height, origin);
        }
        finally
        {
            NativeMemory.Free(rgba);
        }
    }

    /// <summary>
    /// PIL <c>draft</c>'s rule, so that our tensors match the reference pipeline's: the largest reduction a in {8, 4, 2}
    /// with stored width >= a x minimum width and stored height >= a x minimum height; libjpeg then gives ceil(size / a).
    /// </summary>
    private static SKSizeI ChooseDecodeSize(SKCodec codec, int minStoredWidth, int minStoredHeight)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
            return full;
        foreach (int reduction in (ReadOnlySpan<int>)[8, 4, 2])
        {
            if (full.Width < (long)reduction * minStoredWidth || full.Height < (long)reduction * minStoredHeight)
                continue;
            var scaled = codec.GetScaledDimensions(1f / reduction);
            if (scaled.Width >= minStoredWidth && scaled.Height >= minStoredHeight && scaled.Width > 0 && scaled.Height > 0)
                return scaled;
        }
        return full;
    }

    private static ImageDecodeException DecodeFailure(SKCodecResult result, SKEncodedImageFormat format, string source)
    {
        string name = format.ToString().ToUpperInvariant();
        return result switch
        {
            SKCodecResult.IncompleteInput => new(source, ImageDecodeFailure.Corrupt, $"the {name} data is truncated (the file ends before the image does)"),
            SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => new(source, ImageDecodeFailure.Corrupt, $"the {name} data is corrupt ({result})"),
            SKCodecResult.InvalidConversion or SKCodecResult.Unimplemented => new(source, ImageDecodeFailure.Unsupported, $"this {name} variant cannot be converted to RGB ({result})"),
            _ => new(source, ImageDecodeFailure.Corrupt, $"the {name} image could not be decoded ({result})"),
        };
    }

    /// <summary>Skia found no codec: tell a damaged known format and an unsupported one apart from bytes that are no image at all.</summary>
    private static ImageDecodeException Unrecognised(ReadOnlySpan<byte> bytes, string source)
    {
        string? damaged = SniffSupportedFormat(bytes);
        if (damaged is not null)
            return new(source, ImageDecodeFailure.Corrupt, $"starts like a {damaged} file but its header is damaged or truncated ({bytes.Length:N0} bytes)");
        string? unsupported = SniffUnsupportedFormat(bytes);
        if (unsupported is not null)
            return new(source, ImageDecodeFailure.Unsupported, $"{unsupported} images are not supported (use JPEG, PNG, WebP, GIF or BMP)");
        return new(source, ImageDecodeFailure.NotAnImage, $"not an image: the content is in no recognised image format ({bytes.Length:N0} bytes)");
    }

    private static string? SniffSupportedFormat(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8])) return "JPEG";
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (b.StartsWith("GIF8"u8)) return "GIF";
        if (b.StartsWith("RIFF"u8) && (b.Length < 12 || b[8..12].SequenceEqual("WEBP"u8))) return "WebP";
        return null;
    }

    private static string? SniffUnsupportedFormat(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8)) return "TIFF";
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = b[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return "AVIF";
            if (brand.StartsWith("he"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8)) return "HEIC/HEIF";
        }
        if (b.StartsWith("%PDF"u8)) return "PDF";
        return null;
    }
}
