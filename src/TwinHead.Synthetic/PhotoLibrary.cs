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

    private static readonly Lazy<PhotoLibrary> DefaultLibrary = new(() => FromFolders(DebianPhotoSources.Discover()));

    private readonly IReadOnlyList<string> files;
    private readonly ConcurrentDictionary<int, SKImage?> cache = new();

    private PhotoLibrary(IReadOnlyList<string> files) => this.files = files;

    public static PhotoLibrary Empty { get; } = new([]);

    /// <summary>The library of the Debian folders found on this machine.</summary>
    public static PhotoLibrary Default => DefaultLibrary.Value;

    public static PhotoLibrary FromFolders(IReadOnlyList<string> folders) => new(DebianPhotoSources.FindPhotos(folders));

    public int Count => files.Count;

    /// <summary>A photo picked by <paramref name="rng"/>, or null when the library is empty or the file cannot be decoded.</summary>
    public SKImage? Pick(SampleRandom rng)
    {
        if (files.Count == 0) return null;
        var index = rng.Index(files.Count);
        if (index < CacheLimit) return cache.GetOrAdd(index, i => Decode(files[i]));
        return Decode(files[index]);
    }

    private static SKImage? Decode(string file)
    {
        try
        {
            using var codec = SKCodec.Create(file);
            if (codec is null) return null;
            var info = codec.Info;
            var factor = Math.Min(1f, DecodeSide / (float)Math.Max(info.Width, info.Height));
            var scaled = codec.GetScaledDimensions(factor);
            var target = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var bitmap = new SKBitmap(target);
            var result = codec.GetPixels(target, bitmap.GetPixels());
            if (result != SKCodecResult.Success && result != SKCodecResult.IncompleteInput)
            {
                using var full = SKBitmap.Decode(file);
                if (full is null) return null;
                using var resized = full.Resize(new SKImageInfo(Math.Max(1, (int)(full.Width * factor)), Math.Max(1, (int)(full.Height * factor))), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
                return resized is null ? null : SKImage.FromBitmap(resized);
            }
            bitmap.SetImmutable();
            return SKImage.FromBitmap(bitmap);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
