using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// What the panel physically emits: every display pixel is a 3x3 block of red, green and blue sub-pixels (RGB or BGR
/// stripes, or a PenTile diamond arrangement) separated by a dark matrix. The grid is applied as a repeating shader
/// through the same perspective map as the content, so it is sampled once per camera pixel: photographed at an angle
/// and at a pitch close to the camera's, it aliases into real moire.
/// </summary>
internal sealed class SubpixelDisplay : IDisposable
{
    public static readonly string[] Layouts = ["rgb-stripe", "bgr-stripe", "pentile", "rgb-stripe-tall"];

    /// <summary>Sub-pixel cells per display pixel along each axis.</summary>
    public const int Factor = 3;

    private readonly SKImage content;
    private readonly SKImage mask;

    /// <param name="content">The picture shown, one bitmap pixel per display pixel.</param>
    /// <param name="layout">One of <see cref="Layouts"/>.</param>
    /// <param name="rng">Random source for the grid's light leak and dark matrix.</param>
    /// <param name="crispShare">Chance of a crisp grid (little light between sub-pixels, so strong moire).</param>
    public SubpixelDisplay(SKBitmap content, string layout, SampleRandom rng, double crispShare = 0.2)
    {
        // Immutable bitmaps are wrapped without copying their pixels.
        content.SetImmutable();
        this.content = SKImage.FromBitmap(content);
        var leak = (byte)(rng.Chance(crispShare) ? rng.Int(15, 60) : rng.Int(60, 210));
        Contrast = 1 - leak / 255f;
        using var cell = Mask(layout, leak, rng);
        Transmission = MeanTransmission(cell);
        cell.SetImmutable();
        mask = SKImage.FromBitmap(cell);
        Width = content.Width * Factor;
        Height = content.Height * Factor;
    }

    /// <summary>Width of the panel in sub-pixel units.</summary>
    public int Width { get; }

    /// <summary>Height of the panel in sub-pixel units.</summary>
    public int Height { get; }

    /// <summary>Mean light the mask lets through; the caller undoes it with gain (the camera sees the panel's average light).</summary>
    public float Transmission { get; }

    /// <summary>How strongly the grid modulates light (1 = black gaps and pure primaries, 0 = flat); moire scales with it.</summary>
    public float Contrast { get; }

    /// <summary>
    /// Draws the panel through <paramref name="panelToImage"/> (sub-pixel units to image pixels): content multiplied
    /// by the sub-pixel mask, with <paramref name="emissive"/> applied to the product. One shader pass: a layer with
    /// the content and a multiplied mask gives the same pixels at three full-area passes through Skia's pipeline.
    /// </summary>
    public void Draw(SKCanvas canvas, SKMatrix panelToImage, SKSamplingOptions sampling, SKColorFilter emissive)
    {
        var bounds = new SKRect(0, 0, Width, Height);
        // Display pixels are squares of Factor x Factor sub-pixel units: nearest sampling keeps their edges sharp
        // unless the camera samples them more coarsely than the grid.
        using var pixels = content.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Nearest),
            SKMatrix.CreateScale(Factor, Factor));
        using var grid = mask.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, sampling);
        using var light = SKShader.CreateBlend(SKBlendMode.Multiply, pixels, grid);
        using var paint = new SKPaint { Shader = light, ColorFilter = emissive };
        canvas.Save();
        canvas.Concat(panelToImage);
        canvas.DrawRect(bounds, paint);
        canvas.Restore();
    }

    public void Dispose()
    {
        content.Dispose();
        mask.Dispose();
    }

    private static float MeanTransmission(SKBitmap mask)
    {
        double sum = 0;
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                var c = mask.GetPixel(x, y);
                sum += c.Red + c.Green + c.Blue;
            }
        }
        return (float)(sum / (3.0 * 255 * mask.Width * mask.Height));
    }

    /// <summary>The repeating sub-pixel cell: 3x3 for stripes, 6x6 (two pixels by two rows) for PenTile.</summary>
    /// <param name="layout">Sub-pixel arrangement.</param>
    /// <param name="leak">Light between sub-pixels (lens blur, diffuser, neighbouring light): it sets how strongly the
    /// grid modulates the image, and so how strong the moire can get. Mostly moderate, sometimes crisp.</param>
    /// <param name="rng">Random source for the dark matrix level.</param>
    private static SKBitmap Mask(string layout, byte leak, SampleRandom rng)
    {
        var gap = (byte)rng.Int(Math.Max(0, leak - 60), leak);
        var red = new SKColor(255, leak, leak);
        var green = new SKColor(leak, 255, leak);
        var blue = new SKColor(leak, leak, 255);
        var dark = new SKColor(gap, gap, gap);
        if (layout == "pentile")
        {
            var cell = new SKBitmap(new SKImageInfo(6, 6, SKColorType.Rgba8888, SKAlphaType.Premul));
            for (var y = 0; y < 6; y++)
            {
                for (var x = 0; x < 6; x++)
                {
                    var px = x / 3;
                    var py = y / 3;
                    var lx = x % 3;
                    var ly = y % 3;
                    // Each pixel owns a green dot and alternately a red or blue diamond, swapped on odd rows.
                    var big = (px + py) % 2 == 0 ? red : blue;
                    var color = (lx, ly) switch
                    {
                        (0, 0) or (0, 1) or (1, 0) or (1, 1) => big,
                        (2, 2) => green,
                        (2, 1) or (1, 2) => Palette.Mix(green, dark, 0.4),
                        _ => dark,
                    };
                    cell.SetPixel(x, y, color);
                }
            }
            return cell;
        }
        var stripes = new SKBitmap(new SKImageInfo(3, 3, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKColor[] order = layout == "bgr-stripe" ? [blue, green, red] : [red, green, blue];
        var lit = layout == "rgb-stripe-tall" ? 3 : 2;
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 3; x++) stripes.SetPixel(x, y, y < lit ? order[x] : Palette.Mix(order[x], dark, 0.75));
        }
        return stripes;
    }
}
