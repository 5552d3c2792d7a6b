using SkiaSharp;
using TwinHead.Synthetic;

namespace TwinHead.Synthetic.Tests;

public class SubpixelDisplayTests
{
    /// <summary>
    /// The managed rasterizer stands in for a Skia shader chain (nearest content, repeating grid, multiply, colour
    /// matrix); drawn under the same anti-aliased clip, the two must give the same picture to within rounding.
    /// </summary>
    [Theory]
    [InlineData("rgb-stripe", true, 0.9f, 11)]
    [InlineData("bgr-stripe", false, 1.7f, 12)]
    [InlineData("pentile", true, 0.6f, 13)]
    [InlineData("pentile", false, 2.5f, 14)]
    [InlineData("rgb-stripe-tall", true, 4.0f, 15)]
    public void Panel_pixels_match_the_skia_shader_pipeline(string layout, bool bilinear, float pitch, int seed)
    {
        using var content = Content(seed, 40, 30, translucentCorner: true);
        var rng = new SampleRandom((ulong)seed);
        var emissive = Emission(rng);
        var panel = new SubpixelDisplay(content, layout, new SampleRandom((ulong)seed));
        SKPoint[] quad = [new(6, 9), new(6 + 40 * pitch, 3), new(10 + 40 * pitch, 8 + 30 * pitch), new(2, 4 + 30 * pitch)];
        var map = Homography.RectToQuad(panel.Width, panel.Height, quad);
        var size = new SKSizeI((int)(14 + 40 * pitch), (int)(14 + 30 * pitch));

        using var managed = Scene(size, quad, canvas => panel.Draw(canvas, map, bilinear, emissive));
        using var mask = GridCell(layout, seed);
        using var skia = Scene(size, quad, canvas => DrawWithShaders(canvas, content, mask, map, bilinear, emissive));

        var (withinOne, meanDifference) = Compare(managed, skia);
        Assert.True(withinOne >= 0.99, $"{withinOne:P2} of channel values within one level");
        Assert.True(meanDifference < 0.3, $"mean absolute difference {meanDifference:F3}");
    }

    [Fact]
    public void A_wrongly_sampled_grid_is_told_apart()
    {
        // The comparison above would pass a rasterizer that sampled the grid half a sub-pixel off only if it were blind.
        const string layout = "rgb-stripe";
        using var content = Content(5, 40, 30, translucentCorner: false);
        var emissive = Emission(new SampleRandom(5));
        var panel = new SubpixelDisplay(content, layout, new SampleRandom(5));
        SKPoint[] quad = [new(4, 4), new(124, 6), new(122, 94), new(5, 92)];
        var map = Homography.RectToQuad(panel.Width, panel.Height, quad);
        using var managed = Scene(new SKSizeI(130, 100), quad, canvas => panel.Draw(canvas, map, true, emissive));
        using var mask = GridCell(layout, 5);
        var shifted = map.PreConcat(SKMatrix.CreateTranslation(0.5f, 0));
        using var skia = Scene(new SKSizeI(130, 100), quad, canvas => DrawWithShaders(canvas, content, mask, shifted, true, emissive));
        var (withinOne, meanDifference) = Compare(managed, skia);
        Assert.True(withinOne < 0.9 && meanDifference > 2, $"{withinOne:P2} within one level, mean difference {meanDifference:F3}");
    }

    [Avx2Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vector_and_scalar_paths_write_the_same_bytes(bool bilinear)
    {
        // A dataset must not depend on whether the CPU has AVX2.
        using var content = Content(8, 60, 40, translucentCorner: true);
        var panel = new SubpixelDisplay(content, "pentile", new SampleRandom(8));
        var emissive = Emission(new SampleRandom(9));
        SKPoint[] quad = [new(-7, 3), new(101, -5), new(96, 77), new(2, 70)];
        var map = Homography.RectToQuad(panel.Width, panel.Height, quad);
        using var vector = new SKBitmap(new SKImageInfo(97, 71, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var scalar = new SKBitmap(new SKImageInfo(97, 71, SKColorType.Rgba8888, SKAlphaType.Premul));
        panel.Render(vector, map, bilinear, emissive);
        panel.Render(scalar, map, bilinear, emissive, vectors: false);
        Assert.Equal(scalar.Bytes, vector.Bytes);
        Assert.Contains(vector.Pixels, p => p.Alpha == 255);
        Assert.Contains(vector.Pixels, p => p.Alpha == 0);
    }

    [Fact]
    public void Content_in_another_pixel_format_is_refused()
    {
        using var content = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Bgra8888, SKAlphaType.Premul));
        var error = Assert.Throws<ArgumentException>(() => new SubpixelDisplay(content, "rgb-stripe", new SampleRandom(1)));
        Assert.Contains("Bgra8888", error.Message);
    }

    [Fact]
    public void Pixels_off_the_panel_are_transparent_and_the_panel_opaque()
    {
        using var content = Content(3, 10, 10, translucentCorner: true);
        var panel = new SubpixelDisplay(content, "pentile", new SampleRandom(3));
        using var target = new SKBitmap(new SKImageInfo(50, 50, SKColorType.Rgba8888, SKAlphaType.Premul));
        target.Erase(SKColors.Red);
        // The panel's 30x30 sub-pixel units land on pixels 10-39.
        panel.Render(target, SKMatrix.CreateTranslation(10, 10), bilinear: true, Emission(new SampleRandom(3)));
        Assert.Equal(0u, (uint)target.GetPixel(9, 20));
        Assert.Equal(0u, (uint)target.GetPixel(40, 20));
        Assert.Equal(0u, (uint)target.GetPixel(20, 45));
        for (var y = 10; y < 40; y++)
        {
            for (var x = 10; x < 40; x++) Assert.Equal(255, target.GetPixel(x, y).Alpha);
        }
    }

    /// <summary>The grid cell a panel built from <paramref name="seed"/> uses: the constructor's draws, in its order.</summary>
    private static SKBitmap GridCell(string layout, int seed)
    {
        var rng = new SampleRandom((ulong)seed);
        var leak = (byte)(rng.Chance(0.2) ? rng.Int(15, 60) : rng.Int(60, 210));
        return SubpixelDisplay.Mask(layout, leak, rng);
    }

    private static SKBitmap Content(int seed, int width, int height, bool translucentCorner)
    {
        var rng = new SampleRandom((ulong)seed);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var alpha = translucentCorner && x < 6 && y < 6 ? (byte)rng.Int(40, 200) : (byte)255;
                bitmap.SetPixel(x, y, new SKColor((byte)rng.Int(0, 255), (byte)rng.Int(0, 255), (byte)rng.Int(0, 255), alpha));
            }
        }
        return bitmap;
    }

    private static float[] Emission(SampleRandom rng)
    {
        var m = new float[20];
        for (var row = 0; row < 3; row++)
        {
            for (var col = 0; col < 3; col++) m[row * 5 + col] = row == col ? rng.Range(1.1, 1.6) : rng.Range(-0.15, 0.15);
            m[row * 5 + 4] = rng.Range(0, 0.08);
        }
        m[18] = 1;
        return m;
    }

    private static SKBitmap Scene(SKSizeI size, SKPoint[] quad, Action<SKCanvas> draw)
    {
        var scene = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(scene);
        canvas.Clear(new SKColor(30, 60, 90));
        using var builder = new SKPathBuilder();
        builder.MoveTo(quad[0]);
        for (var k = 1; k < 4; k++) builder.LineTo(quad[k]);
        builder.Close();
        using var clip = builder.Snapshot();
        canvas.ClipPath(clip, antialias: true);
        draw(canvas);
        return scene;
    }

    /// <summary>The panel as Skia's shaders draw it: the reference the managed rasterizer is held to.</summary>
    private static void DrawWithShaders(SKCanvas canvas, SKBitmap content, SKBitmap mask, SKMatrix map, bool bilinear, float[] emissive)
    {
        using var contentImage = SKImage.FromBitmap(content);
        using var maskImage = SKImage.FromBitmap(mask);
        using var pixels = contentImage.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Nearest),
            SKMatrix.CreateScale(SubpixelDisplay.Factor, SubpixelDisplay.Factor));
        using var grid = maskImage.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat,
            new SKSamplingOptions(bilinear ? SKFilterMode.Linear : SKFilterMode.Nearest, SKMipmapMode.None));
        using var light = SKShader.CreateBlend(SKBlendMode.Multiply, pixels, grid);
        using var filter = SKColorFilter.CreateColorMatrix(emissive);
        using var paint = new SKPaint { Shader = light, ColorFilter = filter };
        canvas.Save();
        canvas.Concat(map);
        canvas.DrawRect(0, 0, content.Width * SubpixelDisplay.Factor, content.Height * SubpixelDisplay.Factor, paint);
        canvas.Restore();
    }

    private static (double WithinOne, double MeanDifference) Compare(SKBitmap a, SKBitmap b)
    {
        long within = 0, total = 0;
        double sum = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                foreach (var d in new[] { p.Red - q.Red, p.Green - q.Green, p.Blue - q.Blue, p.Alpha - q.Alpha })
                {
                    within += Math.Abs(d) <= 1 ? 1 : 0;
                    sum += Math.Abs(d);
                    total++;
                }
            }
        }
        return (within / (double)total, sum / total);
    }
}

/// <summary>A theory skipped on CPUs without AVX2, where the panel has only its scalar path.</summary>
public sealed class Avx2TheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the CPU has no AVX2.</summary>
    public Avx2TheoryAttribute()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) Skip = "this CPU has no AVX2, so only the scalar path runs";
    }
}
