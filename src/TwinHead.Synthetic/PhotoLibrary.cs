using System.Collections.Concurrent;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Real photographs (from Debian packages or folders the user names) decoded at a reduced size and cached, shared
/// read-only by all worker threads. Empty when no folder holds photos: renderers then draw synthetic scenes only.
/// </summary>
internal sealed class PhotoLibrary
{
    /// <summary>Longest side a photo is decoded to; enough for 512 px outputs where a photo fills part of the frame.</summary>
    public const int DecodeSide = 768;

    private const int CacheLimit = 128;

    private static readonly Lazy<PhotoLibrary> DefaultLibrary = new(() => FromFiles(DebianPhotoSources.FindPackagePhotos()));

    private readonly IReadOnlyList<string> files;
    private readonly ConcurrentDictionary<int, SKImage?> cache;
    private readonly ConcurrentDictionary<int, double> detail;

    private PhotoLibrary(IReadOnlyList<string> files)
        : this(files, new ConcurrentDictionary<int, SKImage?>(), new ConcurrentDictionary<int, double>())
    {
    }

    private PhotoLibrary(IReadOnlyList<string> files, ConcurrentDictionary<int, SKImage?> cache, ConcurrentDictionary<int, double> detail)
    {
        this.files = files;
        this.cache = cache;
        this.detail = detail;
    }

    public static PhotoLibrary Empty { get; } = new([]);

    /// <summary>The library of the Debian packages' photos installed on this machine.</summary>
    public static PhotoLibrary Default => DefaultLibrary.Value;

    private static readonly ConcurrentDictionary<string, PhotoLibrary> Shared = new(StringComparer.Ordinal);

    /// <summary>
    /// The photo files under user-given folders. Phone photos run to 10 MB and more and decode scaled, so only the
    /// lower size limit of <see cref="DebianPhotoSources.FindPhotos"/> (icons) applies; its upper one is for Debian's
    /// multi-resolution wallpaper duplicates.
    /// </summary>
    public static IReadOnlyList<string> FindInFolders(IEnumerable<string> folders) => DebianPhotoSources.FindPhotos(folders, maxBytes: long.MaxValue);

    /// <summary>
    /// The library of the given photo files (sorted, filtered), shared per process: decoding large wallpapers costs
    /// seconds, so repeated runs (a trainer regenerating data, a benchmark) pay it once.
    /// </summary>
    public static PhotoLibrary FromFiles(IReadOnlyList<string> files) =>
        files.Count == 0 ? Empty : Shared.GetOrAdd(string.Join('\n', files), _ => new PhotoLibrary(files));

    public int Count => files.Count;

    /// <summary>The photo files, sorted by path.</summary>
    public IReadOnlyList<string> Files => files;

    /// <summary>Photographed objects to place into scenes (none unless <see cref="WithCutouts"/> added them).</summary>
    public ObjectCutouts Cutouts { get; private init; } = ObjectCutouts.Empty;

    /// <summary>A library of some of these photos, with the same object cutouts.</summary>
    public PhotoLibrary Subset(IReadOnlyList<string> subset)
    {
        var library = FromFiles(subset);
        return Cutouts.Count > 0 ? library.WithCutouts(Cutouts) : library;
    }

    /// <summary>The same photos (and the same decoded ones: no second decode) with <paramref name="cutouts"/> to place into scenes.</summary>
    public PhotoLibrary WithCutouts(ObjectCutouts cutouts) => new(files, cache, detail) { Cutouts = cutouts };

    /// <summary>A photo picked by <paramref name="rng"/>, or null when the library is empty or the file cannot be decoded.</summary>
    public SKImage? Pick(SampleRandom rng)
    {
        if (files.Count == 0) return null;
        var index = rng.Index(files.Count);
        if (index < CacheLimit) return cache.GetOrAdd(index, i => Decode(files[i]));
        return Decode(files[index]);
    }

    /// <summary>
    /// A photo with fine detail (a real scene rather than a smooth abstract wallpaper): up to four candidates are drawn
    /// and the first detailed enough is kept, else the most detailed of them. Null when the library is empty.
    /// </summary>
    public SKImage? PickDetailed(SampleRandom rng, double minDetail = 0.035)
    {
        if (files.Count == 0) return null;
        SKImage? best = null;
        var bestDetail = -1.0;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var index = rng.Index(files.Count);
            var image = index < CacheLimit ? cache.GetOrAdd(index, i => Decode(files[i])) : Decode(files[index]);
            if (image is null) continue;
            var d = detail.GetOrAdd(index, _ => Detail(image));
            if (d >= minDetail) return image;
            if (d > bestDetail)
            {
                best = image;
                bestDetail = d;
            }
        }
        return best;
    }

    /// <summary>Mean absolute luma difference between neighbours on a 64x64 thumbnail (0..1): texture and edges.</summary>
    private static double Detail(SKImage image)
    {
        const int side = 64;
        using var thumb = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(thumb))
        {
            canvas.DrawImage(image, new SKRect(0, 0, side, side), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        var px = PixelSpan.Of(thumb);
        double sum = 0;
        for (var y = 0; y < side; y++)
        {
            for (var x = 1; x < side; x++)
            {
                var i = y * thumb.RowBytes + x * 4;
                sum += Math.Abs(px[i + 1] - px[i - 3]);
            }
        }
        return sum / (side * (side - 1) * 255.0);
    }

    private static SKImage? Decode(string file)
    {
        var cached = DecodedPhotoCache.Default.TryLoad(file, DecodeSide);
        if (cached is not null) return cached;
        var image = DecodeFile(file);
        if (image is not null) DecodedPhotoCache.Default.TryStore(file, DecodeSide, image);
        return image;
    }

    private static SKImage? DecodeFile(string file)
    {
        try
        {
            using var codec = SKCodec.Create(file);
            if (codec is null) return null;
            var info = codec.Info;
            var factor = Math.Min(1f, DecodeSide / (float)Math.Max(info.Width, info.Height));
            var scaled = codec.GetScaledDimensions(factor);
            var target = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            var bitmap = new SKBitmap(target);
            var result = codec.GetPixels(target, bitmap.GetPixels());
            if (result != SKCodecResult.Success && result != SKCodecResult.IncompleteInput)
            {
                bitmap.Dispose();
                bitmap = SKBitmap.Decode(file);
                if (bitmap is null) return null;
            }
            using (bitmap)
            {
                return Shrunk(bitmap);
            }
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The decoded photo with its longest side at most <see cref="DecodeSide"/>. Only JPEG decoders scale while decoding;
    /// a PNG or WebP wallpaper arrives at full size (up to 4K), and every draw of it would rebuild its mipmaps.
    /// </summary>
    private static SKImage? Shrunk(SKBitmap bitmap)
    {
        var factor = DecodeSide / (float)Math.Max(bitmap.Width, bitmap.Height);
        if (factor >= 1)
        {
            bitmap.SetImmutable();
            return SKImage.FromBitmap(bitmap);
        }
        var size = new SKImageInfo(Math.Max(1, (int)MathF.Round(bitmap.Width * factor)), Math.Max(1, (int)MathF.Round(bitmap.Height * factor)),
            SKColorType.Rgba8888, SKAlphaType.Premul);
        using var resized = bitmap.Resize(size, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (resized is null) return null;
        resized.SetImmutable();
        return SKImage.FromBitmap(resized);
    }
}
