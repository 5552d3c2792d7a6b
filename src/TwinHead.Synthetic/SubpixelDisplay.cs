using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Turns display content into what the panel physically emits: every display pixel becomes a 3x3 block of red,
/// green and blue sub-pixels (RGB or BGR stripes, or a PenTile diamond arrangement) separated by a dark matrix.
/// Photographed at an angle and a scale close to the camera's pixel pitch, this grid aliases into real moire.
/// </summary>
internal static class SubpixelDisplay
{
    public static readonly string[] Layouts = ["rgb-stripe", "bgr-stripe", "pentile", "rgb-stripe-tall"];

    public const int Factor = 3;

    /// <summary>
    /// Returns the emission image (content size x 3) and the mask's mean transmission, which the caller undoes with
    /// gain (the camera sees the panel's average light, not a third of it).
    /// </summary>
    public static (SKImage Image, float Transmission) Render(SKBitmap content, string layout, SampleRandom rng)
    {
        float transmission;
        var w = content.Width * Factor;
        var h = content.Height * Factor;
        using var emission = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(emission))
        {
            using var source = SKImage.FromBitmap(content);
            canvas.DrawImage(source, new SKRect(0, 0, w, h), new SKSamplingOptions(SKFilterMode.Nearest));
            using var mask = Mask(layout, rng);
            transmission = MeanTransmission(mask);
            using var maskImage = SKImage.FromBitmap(mask);
            using var shader = maskImage.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, new SKSamplingOptions(SKFilterMode.Nearest));
            using var paint = new SKPaint { Shader = shader, BlendMode = SKBlendMode.Multiply };
            canvas.DrawRect(0, 0, w, h, paint);
        }
        emission.SetImmutable();
        return (SKImage.FromBitmap(emission), transmission);
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
    private static SKBitmap Mask(string layout, SampleRandom rng)
    {
        // Leak between sub-pixels (lens blur, diffuser, neighbouring light) sets how strongly the grid modulates the
        // image, and so how strong the moire can get: mostly moderate, sometimes crisp.
        var leak = (byte)(rng.Chance(0.2) ? rng.Int(15, 60) : rng.Int(60, 170));
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
                    // Each pixel owns a green dot and alternately a red or blue diamond, shifted on odd rows.
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
