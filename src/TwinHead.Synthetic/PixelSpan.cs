using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Writable byte view of a bitmap's pixels (RGBA8888, rows packed at <see cref="SKBitmap.RowBytes"/>).</summary>
internal static class PixelSpan
{
    public static unsafe Span<byte> Of(SKBitmap bitmap) =>
        new((void*)bitmap.GetPixels(), bitmap.RowBytes * bitmap.Height);
}
