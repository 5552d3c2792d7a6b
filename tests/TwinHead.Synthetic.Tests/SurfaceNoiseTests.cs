using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

/// <summary>
/// The noise darkening written straight into a canvas's pixels, pinned to its arithmetic written out pixel by pixel (on
/// scaled and translated canvases, bilinear and nearest lookups): an optimisation of it must keep every dataset's pixels.
/// </summary>
public class SurfaceNoiseTests
{
    [Theory]
    [InlineData(203, 61, 0.02f, 0.05f, 2, 1f, 0f, 0f, 13.5f)]
    [InlineData(97, 40, 0.01f, 0.02f, 4, 1.25f, 3f, -2f, 71.25f)]
    [InlineData(64, 64, 0.6f, 0.6f, 1, 1f, 0f, 0f, 5f)]
    [InlineData(150, 33, 0.05f, 0.3f, 3, 0.8f, -5.5f, 7f, 42f)]
    public void Noise_in_place_matches_the_one_pixel_at_a_time_reference(int w, int h, float fx, float fy, int octaves, float scale, float dx, float dy, float seed)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var random = new Random(w * h);
        var pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        var expected = pixels.ToArray();
        var dark = new SKColor(40, 25, 10);
        var rect = new SKRect(0, 0, w / scale, h / scale);
        var matrix = SKMatrix.CreateScale(scale, scale).PostConcat(SKMatrix.CreateTranslation(dx, dy));
        Reference(expected, w, h, NoiseTiles.For(fx, fy, octaves, false), fx, fy, seed, matrix, rect, dark, 0.4f);

        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.SetMatrix(matrix);
            Surfaces.Noise(canvas, rect, dark, 0.4f, fx, fy, octaves, seed, pixels: bitmap);
        }

        Assert.Equal(expected, bitmap.GetPixelSpan().ToArray());
    }

    private static void Reference(byte[] pixels, int w, int h, NoiseTiles.Tile tile, float fx, float fy, float seed, SKMatrix m, SKRect r, SKColor dark, float strength)
    {
        var local = SKMatrix.CreateScale(tile.FrequencyX / fx, tile.FrequencyY / fy).PostConcat(SKMatrix.CreateTranslation(seed * 37.1f, seed * 53.7f));
        var texelX = local.ScaleX * m.ScaleX;
        var texelY = local.ScaleY * m.ScaleY;
        var nearest = texelX <= 1 && texelY <= 1;
        var bounds = SKRectI.Round(m.MapRect(r));
        bounds.Intersect(new SKRectI(0, 0, w, h));
        float du = 1 / (m.ScaleX * local.ScaleX), dv = 1 / (m.ScaleY * local.ScaleY);
        var u0 = ((0.5f - m.TransX) / m.ScaleX - local.TransX) / local.ScaleX;
        var v0 = ((0.5f - m.TransY) / m.ScaleY - local.TransY) / local.ScaleY;
        const int size = NoiseTiles.Size, mask = size - 1;
        int Level(int tx, int ty) => tile.Grey[(ty & mask) * size + (tx & mask)];
        for (var y = bounds.Top; y < bounds.Bottom; y++)
        {
            var v = y * dv + v0;
            for (var x = bounds.Left; x < bounds.Right; x++)
            {
                var u = x * du + u0;
                int level;
                if (nearest)
                {
                    level = Level((int)MathF.Floor(u), (int)MathF.Floor(v));
                }
                else
                {
                    float uf = MathF.Floor(u - 0.5f), vf = MathF.Floor(v - 0.5f);
                    int fu = (int)((u - 0.5f - uf) * 256), fv = (int)((v - 0.5f - vf) * 256);
                    int ui = (int)uf, vi = (int)vf;
                    var top = Level(ui, vi) * (256 - fu) + Level(ui + 1, vi) * fu;
                    var bottom = Level(ui, vi + 1) * (256 - fu) + Level(ui + 1, vi + 1) * fu;
                    level = (top * (256 - fv) + bottom * fv + (1 << 15)) >> 16;
                }
                var a = (int)(Math.Clamp(strength * (2 * level / 255f - 0.5f), 0, 1) * 256 + 0.5f);
                var i = (y * w + x) * 4;
                byte[] tint = [dark.Red, dark.Green, dark.Blue, 255];
                for (var c = 0; c < 4; c++) pixels[i + c] = (byte)(pixels[i + c] + (((tint[c] - pixels[i + c]) * a + 128) >> 8));
            }
        }
    }
}
