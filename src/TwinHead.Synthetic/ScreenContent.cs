using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>
/// What a display shows, rendered at the display's own pixel resolution: photos and the same scenes as the
/// "not a document" class, document pages in a viewer, web and app pages, spreadsheets, code, chats, galleries.
/// </summary>
internal static class ScreenContent
{
    public static readonly string[] Kinds = ["photo", "scene", "document", "web", "app", "spreadsheet", "code", "gallery", "video"];

    public static string PickKind(SampleRandom rng, bool hasPhotos) =>
        Kinds[rng.Weighted([hasPhotos ? 3.0 : 0, hasPhotos ? 1.2 : 3, 1.6, 1.6, 0.9, 0.5, 0.4, 0.8, 0.7])];

    /// <summary>Kinds that show one picture over the whole display (a photo or a scene), rather than a page or an interface.</summary>
    public static bool IsPicture(string kind) => kind is "photo" or "scene";

    /// <summary>
    /// The display's image, <paramref name="width"/> x <paramref name="height"/> display pixels. With
    /// <paramref name="photographs"/> (version 4) a picture kind is a document (30%) or not-document (70%) photograph
    /// rendered and developed as those classes are, so that a screen shows what the other classes look like.
    /// </summary>
    public static SKBitmap Render(string kind, int width, int height, SampleRandom rng, SceneAssets assets, bool photographs)
    {
        if (photographs && IsPicture(kind))
        {
            var shown = rng.Chance(0.7) ? DocumentClass.NotDocument : DocumentClass.Document;
            return RealisticRenderer.Render(shown, rng.Fork(), width, height, assets, new SampleCues(), GeneratorVersion.Realistic);
        }
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var c = new SKCanvas(bitmap);
        var r = new SKRect(0, 0, width, height);
        var dark = rng.Chance(0.25);
        switch (kind)
        {
            case "photo":
            case "video":
                Scenes.ContentPicture(c, r, rng, assets);
                if (kind == "video") VideoControls(c, r, rng);
                break;
            case "scene":
                Scenes.Draw(c, r, Scenes.PickKind(rng), rng, assets);
                break;
            case "document": DocumentViewer(c, r, rng, assets.Fonts, dark); break;
            case "web": Web(c, r, rng, assets, dark); break;
            case "app": App(c, r, rng, assets, dark); break;
            case "spreadsheet": Spreadsheet(c, r, rng, assets); break;
            case "code": Code(c, r, rng, assets); break;
            default: Gallery(c, r, rng, assets, dark); break;
        }
        if (rng.Chance(0.4) && kind is not ("video" or "photo")) TaskBar(c, r, rng);
        return bitmap;
    }

    private static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true };

    private static void Text(SKCanvas c, string text, float x, float y, float size, SKColor color, SKTypeface face, SKTextAlign align = SKTextAlign.Left)
    {
        using var font = new SKFont(face, size) { Edging = SKFontEdging.SubpixelAntialias };
        using var paint = Fill(color);
        c.DrawText(text, x, y, align, font, paint);
    }

    private static void TextLines(SKCanvas c, SKRect r, float size, SKColor color, SampleRandom rng, SKTypeface face)
    {
        using var font = new SKFont(face, size);
        using var paint = Fill(color);
        c.Save();
        c.ClipRect(r);
        for (var y = r.Top + size; y < r.Bottom; y += size * rng.Range(1.3, 1.7))
        {
            c.DrawText(TextSource.Sentence(rng, rng.Int(4, 14)), r.Left, y, SKTextAlign.Left, font, paint);
        }
        c.Restore();
    }

    private static void DocumentViewer(SKCanvas c, SKRect r, SampleRandom rng, FontCatalog fonts, bool dark)
    {
        c.DrawColor(dark ? Palette.Gray(50) : Palette.Gray(rng.Int(200, 235)));
        var bar = r.Height * rng.Range(0.05, 0.09);
        using (var top = Fill(dark ? Palette.Gray(35) : Palette.Gray(245))) c.DrawRect(0, 0, r.Width, bar, top);
        var layout = DocumentPages.PickLayout(rng);
        var aspect = DocumentPages.AspectOf(layout, rng);
        var pageH = (r.Height - bar) * rng.Range(0.9, 1.6);
        var pageW = Math.Min(r.Width * 0.95f, pageH / aspect);
        pageH = pageW * aspect;
        using var page = DocumentPages.Render(layout, aspect, Math.Max(32, (int)pageW), rng, fonts);
        page.SetImmutable();
        using var image = SKImage.FromBitmap(page);
        var x = (r.Width - pageW) / 2;
        c.DrawImage(image, new SKRect(x, bar + r.Height * 0.03f, x + pageW, bar + r.Height * 0.03f + pageH), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static void Web(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets, bool dark)
    {
        var bg = dark ? Palette.Gray(rng.Int(15, 40)) : Palette.Gray(rng.Int(240, 255));
        var fg = dark ? Palette.Gray(220) : Palette.Gray(30);
        c.DrawColor(bg);
        var face = rng.Pick(assets.Fonts.TextFaces);
        var accent = Palette.Random(rng, 0.35, 0.8, 0.5, 1);
        var unit = r.Height / rng.Range(18, 32);
        // Browser chrome and site navigation.
        using (var chrome = Fill(Palette.Gray(dark ? 55 : 222))) c.DrawRect(0, 0, r.Width, unit * 1.6f, chrome);
        using (var addr = Fill(Palette.Gray(dark ? 75 : 250))) c.DrawRoundRect(unit * 3, unit * 0.35f, r.Width * 0.6f, unit * 0.9f, unit * 0.45f, unit * 0.45f, addr);
        Text(c, "www." + TextSource.Word(rng) + ".com/" + TextSource.Word(rng), unit * 3.5f, unit * 1.05f, unit * 0.55f, Palette.Gray(dark ? 200 : 80), face: face);
        using (var nav = Fill(rng.Chance(0.5) ? accent : bg)) c.DrawRect(0, unit * 1.6f, r.Width, unit * 1.6f, nav);
        for (var k = 0; k < 5; k++) Text(c, TextSource.Word(rng), unit * (1 + k * 4.5f), unit * 2.65f, unit * 0.65f, fg, face: face);
        var y = unit * 3.8f;
        if (rng.Chance(0.6))
        {
            var hero = new SKRect(0, y, r.Width, y + r.Height * rng.Range(0.25, 0.45));
            Scenes.ContentPicture(c, hero, rng, assets);
            Text(c, TextSource.Caps(rng, 2), unit, hero.Bottom - unit, unit * 1.4f, SKColors.White, face: face);
            y = hero.Bottom + unit;
        }
        // Product / article cards.
        var cols = rng.Int(2, 4);
        var cardW = (r.Width - unit * (cols + 1)) / cols;
        while (y < r.Height)
        {
            for (var k = 0; k < cols; k++)
            {
                var x = unit + k * (cardW + unit);
                var pic = new SKRect(x, y, x + cardW, y + cardW * 0.7f);
                Scenes.ContentPicture(c, pic, rng, assets);
                Text(c, TextSource.Caps(rng, 2), x, pic.Bottom + unit * 0.9f, unit * 0.6f, fg, face: face);
                Text(c, "$" + TextSource.Amount(rng, 300), x, pic.Bottom + unit * 1.8f, unit * 0.7f, accent, face: face);
            }
            y += cardW * 0.7f + unit * 3;
        }
    }

    private static void App(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets, bool dark)
    {
        var bg = dark ? Palette.Gray(rng.Int(10, 30)) : Palette.Gray(rng.Int(235, 252));
        var fg = dark ? Palette.Gray(230) : Palette.Gray(25);
        c.DrawColor(bg);
        var face = rng.Pick(assets.Fonts.TextFaces);
        var accent = Palette.Random(rng, 0.35, 0.85, 0.5, 1);
        var unit = r.Height / rng.Range(14, 24);
        using (var bar = Fill(accent)) c.DrawRect(0, 0, r.Width, unit * 1.8f, bar);
        Text(c, TextSource.Caps(rng, 1), unit, unit * 1.2f, unit * 0.8f, SKColors.White, face: face);
        var chat = rng.Chance(0.5);
        for (var y = unit * 2.6f; y < r.Height; y += unit * 2.4f)
        {
            if (chat)
            {
                var mine = rng.Chance(0.5);
                var w = r.Width * rng.Range(0.3, 0.7);
                var x = mine ? r.Width - w - unit * 0.5f : unit * 0.5f;
                using var bubble = Fill(mine ? Palette.Mix(accent, SKColors.White, 0.5) : Palette.Gray(dark ? 50 : 225));
                c.DrawRoundRect(x, y, w, unit * 1.9f, unit * 0.6f, unit * 0.6f, bubble);
                c.Save();
                c.ClipRect(new SKRect(x, y, x + w - unit * 0.4f, y + unit * 2));
                Text(c, TextSource.Sentence(rng, rng.Int(3, 9)), x + unit * 0.4f, y + unit * 1.2f, unit * 0.65f, mine ? Palette.Gray(20) : fg, face: face);
                c.Restore();
            }
            else
            {
                var avatar = new SKRect(unit * 0.5f, y, unit * 2.3f, y + unit * 1.8f);
                c.Save();
                using (var clip = new SKPathBuilder())
                {
                    clip.AddOval(avatar, SKPathDirection.Clockwise);
                    using var path = clip.Snapshot();
                    c.ClipPath(path, antialias: true);
                }
                Scenes.ContentPicture(c, avatar, rng, assets);
                c.Restore();
                Text(c, TextSource.Caps(rng, rng.Int(1, 3)), unit * 3, y + unit * 0.7f, unit * 0.7f, fg, face: face);
                Text(c, TextSource.Sentence(rng, rng.Int(4, 9)), unit * 3, y + unit * 1.5f, unit * 0.55f, Palette.Gray(dark ? 150 : 110), face: face);
                using var line = Fill(Palette.Gray(dark ? 45 : 215));
                c.DrawRect(unit * 3, y + unit * 2.1f, r.Width, 1, line);
            }
        }
    }

    private static void Spreadsheet(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        c.DrawColor(SKColors.White);
        var face = rng.Pick(assets.Fonts.TextFaces);
        var rowH = r.Height / rng.Range(18, 40);
        var colW = rowH * rng.Range(3.5, 6);
        using var header = Fill(Palette.Gray(235));
        c.DrawRect(0, 0, r.Width, rowH * 2.5f, Fill(Palette.Rgb(30, 110, 60)));
        c.DrawRect(0, rowH * 2.5f, r.Width, rowH, header);
        c.DrawRect(0, rowH * 2.5f, rowH * 1.5f, r.Height, header);
        using var grid = new SKPaint { Color = Palette.Gray(210), StrokeWidth = 1 };
        for (var y = rowH * 3.5f; y < r.Height; y += rowH)
        {
            c.DrawLine(0, y, r.Width, y, grid);
            for (var x = rowH * 1.5f; x < r.Width; x += colW)
            {
                if (rng.Chance(0.7)) Text(c, rng.Chance(0.6) ? TextSource.Amount(rng, 9999) : TextSource.Word(rng), x + 3, y + rowH * 0.75f, rowH * 0.6f, Palette.Gray(20), face: face);
            }
        }
        for (var x = rowH * 1.5f; x < r.Width; x += colW) c.DrawLine(x, rowH * 2.5f, x, r.Height, grid);
    }

    private static void Code(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        c.DrawColor(rng.Chance(0.7) ? Palette.Rgb(30, 30, 36) : Palette.Gray(250));
        var face = rng.Pick(assets.Fonts.MonoFaces);
        var size = r.Height / rng.Range(25, 50);
        SKColor[] colors = [Palette.Rgb(200, 120, 220), Palette.Rgb(110, 180, 250), Palette.Rgb(220, 220, 170), Palette.Rgb(130, 200, 130), Palette.Gray(170)];
        using var sidebar = Fill(Palette.Rgb(40, 40, 48));
        c.DrawRect(0, 0, r.Width * 0.18f, r.Height, sidebar);
        var indent = 0;
        for (var y = size * 1.5f; y < r.Height; y += size * 1.45f)
        {
            indent = Math.Clamp(indent + rng.Int(-1, 1), 0, 5);
            var x = r.Width * 0.2f + indent * size * 1.2f;
            for (var w = 0; w < rng.Int(1, 6); w++)
            {
                var word = TextSource.Word(rng) + (rng.Chance(0.3) ? "(" : "");
                Text(c, word, x, y, size, rng.Pick(colors), face: face);
                x += size * 0.62f * (word.Length + 1);
            }
        }
    }

    private static void Gallery(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets, bool dark)
    {
        c.DrawColor(dark ? Palette.Gray(15) : SKColors.White);
        var cols = rng.Int(2, 5);
        var gap = r.Width * 0.01f;
        var cell = (r.Width - gap * (cols + 1)) / cols;
        for (var y = gap; y < r.Height; y += cell + gap)
        {
            for (var k = 0; k < cols; k++) Scenes.ContentPicture(c, new SKRect(gap + k * (cell + gap), y, gap + k * (cell + gap) + cell, y + cell), rng, assets);
        }
    }

    private static void VideoControls(SKCanvas c, SKRect r, SampleRandom rng)
    {
        using var shade = Fill(new SKColor(0, 0, 0, 120));
        c.DrawRect(0, r.Height * 0.9f, r.Width, r.Height * 0.1f, shade);
        using var progress = Fill(Palette.Rgb(230, 30, 30));
        c.DrawRect(r.Width * 0.02f, r.Height * 0.91f, r.Width * rng.Range(0.05, 0.9), r.Height * 0.008f, progress);
    }

    private static void TaskBar(SKCanvas c, SKRect r, SampleRandom rng)
    {
        var h = r.Height * rng.Range(0.035, 0.06);
        using var bar = Fill(rng.Chance(0.6) ? Palette.Rgb(30, 35, 45) : Palette.Gray(230));
        c.DrawRect(0, r.Height - h, r.Width, h, bar);
        using var icon = Fill(SKColors.White);
        for (var k = 0; k < rng.Int(4, 10); k++)
        {
            icon.Color = Palette.Random(rng, 0.5, 1, 0.3, 1);
            c.DrawRoundRect(r.Width * 0.3f + k * h * 1.3f, r.Height - h * 0.85f, h * 0.7f, h * 0.7f, h * 0.15f, h * 0.15f, icon);
        }
    }
}
