using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

public sealed class DecodedPhotoCacheTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-photocache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static SKImage Sample()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(37, 21, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 7), (byte)(y * 11), (byte)(x * y), (byte)(200 + x % 50)));
        }
        return SKImage.FromBitmap(bitmap);
    }

    /// <summary>A 100-byte stand-in photo file under the test's folder (the cache keys on path, size and time only).</summary>
    private string Photo(string name)
    {
        Directory.CreateDirectory(root);
        var photo = Path.Combine(root, name);
        File.WriteAllBytes(photo, new byte[100]);
        return photo;
    }

    private static byte[] Pixels(SKImage image)
    {
        using var bitmap = SKBitmap.FromImage(image);
        return bitmap.Bytes;
    }

    [Fact]
    public void Returns_the_stored_pixels_exactly_and_misses_when_the_photo_changes()
    {
        var photo = Photo("photo.png");
        var cache = new DecodedPhotoCache(Path.Combine(root, "cache"));
        using var image = Sample();

        Assert.Null(cache.TryLoad(photo, 768));
        cache.TryStore(photo, 768, image);
        using (var loaded = cache.TryLoad(photo, 768))
        {
            Assert.NotNull(loaded);
            Assert.Equal((image.Width, image.Height), (loaded.Width, loaded.Height));
            Assert.Equal(Pixels(image), Pixels(loaded));
        }
        Assert.Null(cache.TryLoad(photo, 512));

        File.WriteAllBytes(photo, new byte[101]);
        Assert.Null(cache.TryLoad(photo, 768));
    }

    [Fact]
    public void A_disabled_or_corrupt_cache_falls_back_to_decoding()
    {
        var photo = Photo("photo.jpg");
        using var image = Sample();

        var disabled = new DecodedPhotoCache(null);
        disabled.TryStore(photo, 768, image);
        Assert.Null(disabled.TryLoad(photo, 768));

        var folder = Path.Combine(root, "cache");
        var cache = new DecodedPhotoCache(folder);
        cache.TryStore(photo, 768, image);
        var entry = Assert.Single(Directory.GetFiles(folder));
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..40]);
        Assert.Null(cache.TryLoad(photo, 768));
    }

    [Fact]
    public void Entries_are_stored_uncompressed_and_replace_the_zlib_entry_of_format_1()
    {
        var photo = Photo("photo.webp");
        var cache = new DecodedPhotoCache(Path.Combine(root, "cache"));
        var previous = cache.EntryPath(photo, 768, formatVersion: 1)!;
        Directory.CreateDirectory(Path.GetDirectoryName(previous)!);
        File.WriteAllBytes(previous, new byte[64]);
        using var image = Sample();

        cache.TryStore(photo, 768, image);

        Assert.False(File.Exists(previous));
        var entry = new FileInfo(cache.EntryPath(photo, 768)!);
        Assert.Equal(16 + image.Width * image.Height * 4, entry.Length);
    }
}
