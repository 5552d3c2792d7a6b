using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>
/// Version 1: flat drawings (a sheet with text lines, a framed screen with UI blocks, coloured shapes). Fast and
/// simple; useful for smoke tests and quickstarts, not for a model meant to meet real photos.
/// </summary>
internal static class ProceduralRenderer
{
    public static SKBitmap Render(DocumentClass label, SampleRandom rng, int width, int height, FontCatalog fonts, SampleCues cues)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        var background = RandomColor(rng, 40, 220);
        canvas.Clear(background);
        cues.Background = "flat";
        var scale = Math.Min(width, height);
        canvas.Translate(width / 2f, height / 2f);
        var angle = rng.Range(-10, 10);
        canvas.RotateDegrees(angle);
        cues.Perspective = Math.Abs(angle) / 45.0;
        switch (label)
        {
            case DocumentClass.Document:
                DrawSheet(canvas, rng, scale, fonts, cues);
                break;
            case DocumentClass.Screen:
                DrawScreen(canvas, rng, scale, cues);
                break;
            default:
                DrawShapes(canvas, rng, width, height, cues);
                break;
        }
        return bitmap;
    }

    private static void DrawSheet(SKCanvas canvas, SampleRandom rng, float scale, FontCatalog fonts, SampleCues cues)
    {
        var receipt = rng.Chance(0.3);
        cues.Layout = receipt ? "receipt" : "page";
        var h = scale * rng.Range(0.6f, 0.95f);
        var w = receipt ? h * rng.Range(0.3f, 0.45f) : h / 1.414f;
        var rect = new SKRect(-w / 2, -h / 2, w / 2, h / 2);
        using var paper = new SKPaint { Color = new SKColor((byte)rng.Int(225, 255), (byte)rng.Int(225, 255), (byte)rng.Int(215, 250)), IsAntialias = true };
        canvas.DrawRect(rect, paper);
        using var ink = new SKPaint { Color = new SKColor(20, 20, 30), IsAntialias = true };
        using var font = new SKFont(rng.Pick(receipt ? fonts.MonoFaces : fonts.TextFaces), h * rng.Range(0.025f, 0.04f));
        var y = rect.Top + h * 0.08f;
        var margin = w * 0.1f;
        while (y < rect.Bottom - h * 0.06f)
        {
            var text = TextSource.Sentence(rng, rng.Int(3, 12));
            canvas.Save();
            canvas.ClipRect(new SKRect(rect.Left + margin, y - font.Size * 1.5f, rect.Right - margin, y + font.Size));
            canvas.DrawText(text, rect.Left + margin, y, SKTextAlign.Left, font, ink);
            canvas.Restore();
            y += font.Size * rng.Range(1.3f, 2.2f);
        }
    }

    private static void DrawScreen(SKCanvas canvas, SampleRandom rng, float scale, SampleCues cues)
    {
        cues.Layout = "ui";
        cues.Device = "monitor";
        cues.Bezel = true;
        var w = scale * rng.Range(0.6f, 0.95f);
        var h = w * rng.Range(0.55f, 0.8f);
        using var bezel = new SKPaint { Color = new SKColor(15, 15, 18), IsAntialias = true };
        canvas.DrawRoundRect(new SKRect(-w / 2, -h / 2, w / 2, h / 2), w * 0.02f, w * 0.02f, bezel);
        var inner = new SKRect(-w / 2 + w * 0.04f, -h / 2 + w * 0.04f, w / 2 - w * 0.04f, h / 2 - w * 0.04f);
        using var fill = new SKPaint { Color = RandomColor(rng, 150, 255) };
        canvas.DrawRect(inner, fill);
        for (var i = 0; i < 8; i++)
        {
            fill.Color = RandomColor(rng, 30, 255);
            var x0 = inner.Left + rng.Range(0, inner.Width * 0.8f);
            var y0 = inner.Top + rng.Range(0, inner.Height * 0.8f);
            canvas.DrawRect(new SKRect(x0, y0, Math.Min(inner.Right, x0 + rng.Range(5, inner.Width / 2)), Math.Min(inner.Bottom, y0 + rng.Range(3, inner.Height / 3))), fill);
        }
    }

    private static void DrawShapes(SKCanvas canvas, SampleRandom rng, int width, int height, SampleCues cues)
    {
        cues.Layout = "shapes";
        using var paint = new SKPaint { IsAntialias = true };
        var r = Math.Max(width, height);
        for (var i = 0; i < 12; i++)
        {
            paint.Color = RandomColor(rng, 20, 240);
            var x = rng.Range(-r / 2f, r / 2f);
            var y = rng.Range(-r / 2f, r / 2f);
            var s = rng.Range(r * 0.05f, r * 0.4f);
            if (rng.Chance(0.5)) canvas.DrawCircle(x, y, s / 2, paint);
            else canvas.DrawRect(new SKRect(x, y, x + s, y + s * rng.Range(0.3f, 2f)), paint);
        }
    }

    private static SKColor RandomColor(SampleRandom rng, int min, int max) =>
        new((byte)rng.Int(min, max), (byte)rng.Int(min, max), (byte)rng.Int(min, max));
}
