using SkiaSharp;

namespace TwinHead.Imaging;

/// <summary>Premultiplied RGBA as decoded by Skia, turned into upright RGB over a white background in one pass.</summary>
internal static class PremultipliedRgba
{
    /// <summary>True for the four EXIF origins whose upright image is the stored one transposed (width and height exchanged).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Writes upright RGB: destination pixel (x, y) reads stored pixel (sx, sy) = origin mapping, and composites over white
    /// (for premultiplied colour c and alpha a, c + (255 - a) = c/a * a + 255 * (1 - a)).
    /// </summary>
    public static unsafe RgbImage ToUprightRgb(byte* rgba, int storedWidth, int storedHeight, SKEncodedOrigin origin)
    {
        bool swaps = SwapsAxes(origin);
        int width = swaps ? storedHeight : storedWidth;
        int height = swaps ? storedWidth : storedHeight;
        int w1 = storedWidth - 1, h1 = storedHeight - 1;

        // Stored coordinates as affine functions of the destination's: sx = sx0 + sxPerX * x + sxPerY * y (same for sy).
        (int sx0, int sxPerX, int sxPerY, int sy0, int syPerX, int syPerY) = origin switch
        {
            SKEncodedOrigin.TopRight => (w1, -1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => (w1, -1, 0, h1, 0, -1),
            SKEncodedOrigin.BottomLeft => (0, 1, 0, h1, 0, -1),
            SKEncodedOrigin.LeftTop => (0, 0, 1, 0, 1, 0),
            SKEncodedOrigin.RightTop => (0, 0, 1, h1, -1, 0),
            SKEncodedOrigin.RightBottom => (w1, 0, -1, h1, -1, 0),
            SKEncodedOrigin.LeftBottom => (w1, 0, -1, 0, 1, 0),
            _ => (0, 1, 0, 0, 0, 1),
        };
        nint stepPerX = ((nint)syPerX * storedWidth + sxPerX) * 4;
        nint stepPerY = ((nint)syPerY * storedWidth + sxPerY) * 4;
        byte* rowStart = rgba + ((nint)sy0 * storedWidth + sx0) * 4;

        var pixels = GC.AllocateUninitializedArray<byte>(checked(width * height * 3));
        fixed (byte* rgb = pixels)
        {
            byte* d = rgb;
            for (int y = 0; y < height; y++, rowStart += stepPerY)
            {
                byte* s = rowStart;
                for (int x = 0; x < width; x++, s += stepPerX, d += 3)
                {
                    int background = 255 - s[3];
                    d[0] = (byte)(s[0] + background);
                    d[1] = (byte)(s[1] + background);
                    d[2] = (byte)(s[2] + background);
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
