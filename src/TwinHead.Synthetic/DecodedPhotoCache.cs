using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Photos decoded and shrunk by <see cref="PhotoLibrary"/>, kept on disk between runs: decoding the 4K PNG and WebP
/// wallpapers costs seconds of CPU per run, about as much as rendering a few hundred images. Entries hold the exact
/// premultiplied pixels, so a run reading the cache draws the same dataset as one that decoded. They are stored
/// uncompressed (about 1.5 MB a photo): inflating zlib entries cost 5-9 ms a photo, 0.3 s of CPU in every run.
/// An entry is keyed by the photo's path, size and modification time; any failure falls back to decoding.
/// </summary>
internal sealed class DecodedPhotoCache
{
    private const int FormatVersion = 2;
    private static ReadOnlySpan<byte> Magic => "THPC"u8;

    private readonly string? directory;

    public DecodedPhotoCache(string? directory) => this.directory = directory;

    /// <summary>
    /// The per-user cache: <c>$TWINHEAD_PHOTO_CACHE</c> if set (empty or "off" disables it), else
    /// <c>$XDG_CACHE_HOME/twinhead/photos</c>, else <c>~/.cache/twinhead/photos</c>.
    /// </summary>
    public static DecodedPhotoCache Default { get; } = new(Locate());

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("TWINHEAD_PHOTO_CACHE");
        if (configured is not null) return configured.Length == 0 || configured == "off" ? null : configured;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) ? xdg : string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
        return root is null ? null : Path.Combine(root, "twinhead", "photos");
    }

    /// <summary>The cached pixels of <paramref name="file"/> decoded with <paramref name="decodeSide"/>, or null.</summary>
    public SKImage? TryLoad(string file, int decodeSide)
    {
        var entry = EntryPath(file, decodeSide);
        if (entry is null || !File.Exists(entry)) return null;
        try
        {
            using var stream = File.OpenRead(entry);
            Span<byte> header = stackalloc byte[16];
            stream.ReadExactly(header);
            if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != FormatVersion) return null;
            var width = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            var height = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            if (width < 1 || height < 1 || width > 16384 || height > 16384) return null;
            // A truncated or overlong entry is a miss, found before any pixels are allocated.
            if (stream.Length != header.Length + (long)width * height * 4) return null;
            var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            try
            {
                var pixels = PixelSpan.Of(bitmap);
                for (var y = 0; y < height; y++) stream.ReadExactly(pixels.Slice(y * bitmap.RowBytes, width * 4));
                bitmap.SetImmutable();
                return SKImage.FromBitmap(bitmap);
            }
            finally
            {
                bitmap.Dispose();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="image"/> as the decode of <paramref name="file"/>; failures only cost the next run a decode.</summary>
    public void TryStore(string file, int decodeSide, SKImage image)
    {
        var entry = EntryPath(file, decodeSide);
        if (entry is null) return;
        var temp = $"{entry}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            if (!image.ReadPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, 0, 0)) return;
            using (var stream = File.Create(temp))
            {
                Span<byte> header = stackalloc byte[16];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], FormatVersion);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], image.Width);
                BinaryPrimitives.WriteInt32LittleEndian(header[12..], image.Height);
                stream.Write(header);
                var pixels = PixelSpan.Of(bitmap);
                for (var y = 0; y < image.Height; y++) stream.Write(pixels.Slice(y * bitmap.RowBytes, image.Width * 4));
            }
            File.Move(temp, entry, overwrite: true);
            // The zlib-compressed entry of format 1, if any, is superseded.
            if (EntryPath(file, decodeSide, formatVersion: 1) is { } previous) File.Delete(previous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>The entry's file for <paramref name="file"/> in <paramref name="formatVersion"/>, or null without a cache or photo.</summary>
    internal string? EntryPath(string file, int decodeSide, int formatVersion = FormatVersion)
    {
        if (directory is null) return null;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists) return null;
            var key = $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n{decodeSide}\n{formatVersion}";
            return Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".bin");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
