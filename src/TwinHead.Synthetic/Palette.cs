using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>Colour helpers shared by the renderers.</summary>
internal static class Palette
{
    public static SKColor Gray(int v, byte alpha = 255) => new((byte)Math.Clamp(v, 0, 255), (byte)Math.Clamp(v, 0, 255), (byte)Math.Clamp(v, 0, 255), alpha);

    public static SKColor Rgb(double r, double g, double b, byte alpha = 255) =>
        new((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255), alpha);

    /// <summary>A colour from hue (degrees), saturation and value in 0..1.</summary>
    public static SKColor Hsv(double hue, double saturation, double value, byte alpha = 255) =>
        SKColor.FromHsv((float)((hue % 360 + 360) % 360), (float)(saturation * 100), (float)(value * 100)).WithAlpha(alpha);

    public static SKColor Random(SampleRandom rng, double minValue = 0.2, double maxValue = 1, double minSat = 0, double maxSat = 1) =>
        Hsv(rng.Range(0, 360), rng.Range(minSat, maxSat), rng.Range(minValue, maxValue));

    /// <summary>Ink colours of printers and pens: mostly near-black, sometimes blue, rarely red or green.</summary>
    public static SKColor Ink(SampleRandom rng) => rng.Weighted([6, 2, 0.5, 0.3]) switch
    {
        0 => Gray(rng.Int(10, 60)),
        1 => Rgb(rng.Int(10, 40), rng.Int(30, 60), rng.Int(110, 170)),
        2 => Rgb(rng.Int(150, 200), rng.Int(20, 40), rng.Int(20, 40)),
        _ => Rgb(rng.Int(20, 40), rng.Int(90, 120), rng.Int(40, 60)),
    };

    /// <summary>Skin tones from light to dark.</summary>
    public static SKColor Skin(SampleRandom rng)
    {
        var t = rng.NextDouble();
        return Rgb(235 - 140 * t, 195 - 120 * t, 165 - 105 * t);
    }

    public static SKColor Scale(SKColor c, double f) => Rgb(c.Red * f, c.Green * f, c.Blue * f, c.Alpha);

    /// <summary>A colour filter scaling saturation by <paramref name="s"/> around Rec. 709 luma (1 = unchanged).</summary>
    public static SKColorFilter Saturation(float s)
    {
        const float lr = 0.2126f, lg = 0.7152f, lb = 0.0722f;
        ReadOnlySpan<float> m =
        [
            lr * (1 - s) + s, lg * (1 - s), lb * (1 - s), 0, 0,
            lr * (1 - s), lg * (1 - s) + s, lb * (1 - s), 0, 0,
            lr * (1 - s), lg * (1 - s), lb * (1 - s) + s, 0, 0,
            0, 0, 0, 1, 0,
        ];
        return SKColorFilter.CreateColorMatrix(m);
    }

    public static SKColor Mix(SKColor a, SKColor b, double t) =>
        Rgb(a.Red + (b.Red - a.Red) * t, a.Green + (b.Green - a.Green) * t, a.Blue + (b.Blue - a.Blue) * t, (byte)(a.Alpha + (b.Alpha - a.Alpha) * t));
}

/// <summary>Drawing shortcuts for SkiaSharp's path builder.</summary>
internal static class CanvasExtensions
{
    /// <summary>Draws the path built so far.</summary>
    public static void DrawPath(this SKCanvas canvas, SKPathBuilder builder, SKPaint paint)
    {
        using var path = builder.Snapshot();
        canvas.DrawPath(path, paint);
    }
}
