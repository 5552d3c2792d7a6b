using System.Buffers.Binary;
using SkiaSharp;

namespace TwinHead.Server;

/// <summary>
/// Finds animated images (GIF, WebP, APNG) before decoding. The decoder would classify the first frame only, which an
/// upload check should not silently do: what is shown to a person and what is classified could differ.
/// </summary>
public static class AnimationCheck
{
    /// <summary>The number of frames when the image is animated, otherwise null. Never throws on malformed bytes.</summary>
    public static int? AnimatedFrameCount(ReadOnlySpan<byte> encoded)
    {
        if (encoded.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return PngFrameCount(encoded);
        var gif = encoded.StartsWith("GIF8"u8);
        var webp = encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded[8..12].SequenceEqual("WEBP"u8);
        return gif || webp ? SkiaFrameCount(encoded) : null;
    }

    /// <summary>An APNG declares its frames in an <c>acTL</c> chunk before the first <c>IDAT</c>.</summary>
    private static int? PngFrameCount(ReadOnlySpan<byte> png)
    {
        var offset = 8;
        while (offset + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8)) return null;
            if (type.SequenceEqual("acTL"u8) && offset + 12 <= png.Length)
            {
                var frames = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8)..]);
                return frames > 1 ? (int)Math.Min(frames, int.MaxValue) : null;
            }
            var next = offset + 12L + length;
            if (next > png.Length) return null;
            offset = (int)next;
        }
        return null;
    }

    private static unsafe int? SkiaFrameCount(ReadOnlySpan<byte> encoded)
    {
        fixed (byte* pointer = encoded)
        {
            using var data = SKData.Create((IntPtr)pointer, encoded.Length);
            using var codec = data is null ? null : SKCodec.Create(data);
            // An unreadable header is the decoder's to report, with its own message.
            var frames = codec?.FrameCount ?? 0;
            return frames > 1 ? frames : null;
        }
    }
}
