using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace TwinHead.Server.Tests;

/// <summary>Small encoded images made in memory, good and hostile.</summary>
internal static class TestImages
{
    public static byte[] Encode(SKEncodedImageFormat format, int width = 48, int height = 40, int seed = 0, bool transparent = false)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, transparent ? SKAlphaType.Unpremul : SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var alpha = transparent ? (byte)(x * 255 / width) : (byte)255;
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 7 + seed * 40), (byte)(y * 5 + seed * 23), (byte)((x * y + seed * 61) % 256), alpha));
            }
        }
        using var data = bitmap.Encode(format, 90) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        return data.ToArray();
    }

    public static byte[] Jpeg(int seed = 0, int width = 48, int height = 40) => Encode(SKEncodedImageFormat.Jpeg, width, height, seed);

    public static byte[] Png(int seed = 0, bool transparent = false) => Encode(SKEncodedImageFormat.Png, 40, 48, seed, transparent);

    public static byte[] Text() => Encoding.UTF8.GetBytes("name,amount\nthis is a CSV file, not an image,42\n");

    /// <summary>The start of an HEIC file: a recognised format the decoder does not read.</summary>
    public static byte[] HeicHeader() => [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, 0, 0, 0, 0];

    /// <summary>A PNG whose header declares <paramref name="size"/> squared pixels with almost no data (a decompression bomb).</summary>
    public static byte[] PngBomb(int size = 30000)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8;
        header[9] = 2;
        return Png([("IHDR", header), ("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), ("IEND", [])]);
    }

    /// <summary>A valid PNG with an <c>acTL</c> chunk declaring <paramref name="frames"/> frames (an APNG).</summary>
    public static byte[] AnimatedPng(int frames = 3)
    {
        var still = Png();
        var acTL = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(acTL, frames);
        // IHDR is always 8 + 25 bytes into the file; acTL must come before IDAT.
        return [.. still[..33], .. Chunk("acTL", acTL), .. still[33..]];
    }

    /// <summary>A 1 x 1 GIF89a with <paramref name="frames"/> frames and a looping extension.</summary>
    public static byte[] AnimatedGif(int frames = 2)
    {
        var bytes = new List<byte>();
        bytes.AddRange("GIF89a"u8.ToArray());
        bytes.AddRange([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
        bytes.AddRange([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
        for (var i = 0; i < frames; i++)
        {
            bytes.AddRange([0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
            bytes.AddRange([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0]);
        }
        bytes.Add(0x3B);
        return [.. bytes];
    }

    /// <summary>A JPEG with <paramref name="segments"/> maximal APP1 "Exif" segments of junk after its SOI marker.</summary>
    public static byte[] JpegWithHugeExif(int segments)
    {
        var jpeg = Jpeg(seed: 2);
        var output = new List<byte>(jpeg.Length + segments * 65537) { 0xFF, 0xD8 };
        var payload = new byte[65533];
        "Exif\0\0"u8.CopyTo(payload);
        new Random(segments).NextBytes(payload.AsSpan(6));
        for (var i = 0; i < segments; i++)
        {
            output.AddRange([0xFF, 0xE1, 0xFF, 0xFF]);
            output.AddRange(payload);
        }
        output.AddRange(jpeg.AsSpan(2));
        return [.. output];
    }

    private static byte[] Png(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in chunks) stream.Write(Chunk(type, data));
        return stream.ToArray();
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(typed));
        return chunk;
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
