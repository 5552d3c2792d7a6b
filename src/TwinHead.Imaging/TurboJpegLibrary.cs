using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace TwinHead.Imaging;

/// <summary>
/// The system's libjpeg-turbo through its TurboJPEG API (Debian/Ubuntu package <c>libturbojpeg0</c>), used for the pixel
/// decode of JPEGs when present: the same library and settings as PIL's <c>draft</c> decode (DCT scaling, ISLOW IDCT,
/// fancy upsampling), so the pixels are the same as Skia's, and measured 20-25% faster than Skia's bundled decoder on
/// the real phone photos (docs/benchmarks.md). <see cref="JpegEncoder"/> compresses with it too.
/// </summary>
/// <remarks>
/// Loaded once with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>; when it is missing, or
/// <c>TWINHEAD_JPEG_DECODER=skia</c> is set, every JPEG goes through Skia as before. TurboJPEG handles are not
/// thread-safe, so each call rents one from a pool.
/// </remarks>
internal static unsafe class TurboJpegLibrary
{
    /// <summary>TurboJPEG's <c>TJPF_RGBA</c>: 4 bytes per pixel, alpha set to 255, so the Skia path's RGBA-to-RGB pass applies unchanged.</summary>
    private const int PixelFormatRgba = 7;

    /// <summary>TurboJPEG's <c>TJCS_CMYK</c> and <c>TJCS_YCCK</c>: colour spaces it cannot convert to RGB.</summary>
    private const int ColorspaceCmyk = 3, ColorspaceYcck = 4;

    private static readonly delegate* unmanaged<IntPtr> InitDecompress;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2;
    private static readonly ConcurrentBag<IntPtr> Handles = [];

    /// <summary>TurboJPEG's <c>TJSAMP_420</c> chroma subsampling (Skia's default) and <c>TJFLAG_ACCURATEDCT</c> (ISLOW, as Skia).</summary>
    private const int Subsampling420 = 2, FlagAccurateDct = 4096;

    private static readonly delegate* unmanaged<IntPtr> InitCompress;
    private static readonly delegate* unmanaged<IntPtr, byte*, int, int, int, int, byte**, nuint*, int, int, int, int> Compress2;
    private static readonly delegate* unmanaged<byte*, void> Free;
    private static readonly ConcurrentBag<IntPtr> CompressHandles = [];

    static TurboJpegLibrary()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("TWINHEAD_JPEG_DECODER"), "skia", StringComparison.OrdinalIgnoreCase))
            return;
        foreach (string name in (string[])["libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg.dll"])
        {
            if (!NativeLibrary.TryLoad(name, typeof(TurboJpegLibrary).Assembly, null, out var library))
                continue;
            if (NativeLibrary.TryGetExport(library, "tjInitDecompress", out var init)
                && NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out var header)
                && NativeLibrary.TryGetExport(library, "tjDecompress2", out var decompress))
            {
                InitDecompress = (delegate* unmanaged<IntPtr>)init;
                DecompressHeader3 = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)header;
                Decompress2 = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)decompress;
                LibraryName = name;
                if (NativeLibrary.TryGetExport(library, "tjInitCompress", out var initCompress)
                    && NativeLibrary.TryGetExport(library, "tjCompress2", out var compress)
                    && NativeLibrary.TryGetExport(library, "tjFree", out var free))
                {
                    InitCompress = (delegate* unmanaged<IntPtr>)initCompress;
                    Compress2 = (delegate* unmanaged<IntPtr, byte*, int, int, int, int, byte**, nuint*, int, int, int, int>)compress;
                    Free = (delegate* unmanaged<byte*, void>)free;
                }
                return;
            }
            NativeLibrary.Free(library);
        }
    }

    /// <summary>The file name the library was loaded from, or null when JPEGs are decoded by Skia.</summary>
    public static string? LibraryName { get; }

    /// <summary>True when the TurboJPEG library was found and is not switched off.</summary>
    public static bool IsAvailable => LibraryName is not null;

    /// <summary>
    /// Decodes the JPEG to RGBA at exactly <paramref name="width"/> x <paramref name="height"/> (one of libjpeg's DCT scales
    /// of the stored size). Returns false, leaving the caller to decode with Skia, on anything but a clean decode:
    /// CMYK/YCCK, a size the scales cannot give exactly, and any libjpeg error or warning (truncated or corrupt data), so
    /// Skia's checks and error messages stay the single judge of bad files.
    /// </summary>
    public static bool TryDecodeRgba(byte* jpeg, int length, int storedWidth, int storedHeight, int width, int height, byte* rgba)
    {
        if (!IsAvailable)
            return false;
        var handle = Rent(Handles, InitDecompress);
        if (handle == IntPtr.Zero)
            return false;
        try
        {
            int w, h, subsampling, colorspace;
            if (DecompressHeader3(handle, jpeg, (nuint)length, &w, &h, &subsampling, &colorspace) != 0)
                return false;
            if (w != storedWidth || h != storedHeight || colorspace is ColorspaceCmyk or ColorspaceYcck)
                return false;
            if (!IsExactReduction(w, h, width, height))
                return false;
            return Decompress2(handle, jpeg, (nuint)length, rgba, width, width * 4, height, PixelFormatRgba, 0) == 0;
        }
        finally
        {
            Handles.Add(handle);
        }
    }

    /// <summary>
    /// TurboJPEG takes the largest of its scales (multiples of 1/8) whose result fits the requested box. The request is
    /// libjpeg's size at 1/1, 1/2, 1/4 or 1/8 in both axes; from 8 stored pixels on, any larger scale is at least one
    /// pixel wider, so TurboJPEG picks exactly that reduction.
    /// </summary>
    private static bool IsExactReduction(int storedWidth, int storedHeight, int width, int height)
    {
        if (storedWidth < 8 || storedHeight < 8)
            return false;
        foreach (int reduction in (ReadOnlySpan<int>)[1, 2, 4, 8])
        {
            if (width == (storedWidth + reduction - 1) / reduction && height == (storedHeight + reduction - 1) / reduction)
                return true;
        }
        return false;
    }

    /// <summary>True when the library also exports TurboJPEG's compressor.</summary>
    public static bool CanEncode => IsAvailable && InitCompress != null;

    /// <summary>
    /// Compresses RGBA (alpha ignored) to a baseline JPEG with 4:2:0 chroma and the ISLOW DCT at <paramref name="quality"/>:
    /// libjpeg's settings as Skia's encoder uses them. Huffman tables are optimised only when <c>TJ_OPTIMIZE=1</c> is in
    /// the process environment (TurboJPEG 2.x has no flag for it). Returns null on any TurboJPEG error.
    /// </summary>
    public static byte[]? TryEncodeRgba(byte* rgba, int width, int stride, int height, int quality)
    {
        if (!CanEncode)
            return null;
        var handle = Rent(CompressHandles, InitCompress);
        if (handle == IntPtr.Zero)
            return null;
        byte* buffer = null;
        try
        {
            nuint size = 0;
            if (Compress2(handle, rgba, width, stride, height, PixelFormatRgba, &buffer, &size, Subsampling420, quality, FlagAccurateDct) != 0)
                return null;
            return new ReadOnlySpan<byte>(buffer, checked((int)size)).ToArray();
        }
        finally
        {
            if (buffer != null)
                Free(buffer);
            CompressHandles.Add(handle);
        }
    }

    /// <summary>A handle from <paramref name="pool"/>, or a new one (zero if TurboJPEG could not make one); give it back to the pool after use.</summary>
    private static IntPtr Rent(ConcurrentBag<IntPtr> pool, delegate* unmanaged<IntPtr> init) =>
        pool.TryTake(out var handle) ? handle : init();
}
