using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace TwinHead.Inference.Tests;

/// <summary>Small encoded images made in memory, good and bad.</summary>
internal static class TestImages
{
    public static byte[] Encode(SKEncodedImageFormat format, int width = 48, int height = 40, SKColorType colorType = SKColorType.Rgba8888, int seed = 0, bool transparent = false)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, transparent ? SKAlphaType.Unpremul : SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var alpha = transparent ? (byte)(x * 255 / width) : (byte)255;
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 5 + seed * 40), (byte)(y * 6 + seed * 17), (byte)((x * y + seed * 70) % 256), alpha));
            }
        }
        using var data = bitmap.Encode(format, 90) ?? throw new InvalidOperationException($"Skia cannot encode {format} from {colorType}");
        return data.ToArray();
    }

    public static byte[] Jpeg(int seed = 0, int width = 48, int height = 40) => Encode(SKEncodedImageFormat.Jpeg, width, height, seed: seed);

    public static byte[] Truncated(byte[] encoded) => encoded[..(encoded.Length / 2)];

    public static byte[] Text() => Encoding.UTF8.GetBytes("this is not an image, only text in a file named .jpg\n");

    /// <summary>A PNG whose header declares 30000 x 30000 pixels (a decompression bomb) with almost no data.</summary>
    public static byte[] PngBomb(int size = 30000)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>A 1 x 1 GIF89a with a two-colour palette.</summary>
    public static byte[] Gif() =>
    [
        (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0, 1, 0, 0x80, 0, 0,
        0, 0, 0, 255, 255, 255,
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0,
        2, 2, 0x44, 0x01, 0,
        0x3B,
    ];

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        stream.Write(crc);
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
