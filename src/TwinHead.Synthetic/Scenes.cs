using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Full-frame pictures of things that are not documents: products (cans, bottles, chip bags, boxes), food, rooms,
/// outdoor scenes, people-like figures, keyboards, and hard negatives full of print (flyers, packaging) or blank paper.
/// The same pictures are shown on screens, so that the screen head must find the display and not the subject.
/// </summary>
internal static class Scenes
{
    public static readonly string[] Kinds = ["products", "food", "room", "outdoor", "people", "keyboard", "flyer", "packaging", "blank-paper", "shelf"];

    public static string PickKind(SampleRandom rng) => Kinds[rng.Weighted([2.5, 1.2, 1.5, 1.5, 1, 0.8, 0.8, 0.8, 0.5, 1.2])];

    public static void Draw(SKCanvas c, SKRect r, string kind, SampleRandom rng, SceneAssets assets)
    {
        switch (kind)
        {
            case "products": Products(c, r, rng, assets); break;
            case "food": Food(c, r, rng, assets); break;
            case "room": Room(c, r, rng); break;
            case "outdoor": Outdoor(c, r, rng); break;
            case "people": People(c, r, rng, assets); break;
            case "keyboard": Keyboard(c, r, rng, assets.Fonts); break;
            case "flyer": Flyer(c, r, rng, assets); break;
            case "packaging": Packaging(c, r, rng, assets); break;
            case "shelf": Shelf(c, r, rng, assets.Fonts); break;
            default: BlankPaper(c, r, rng, assets); break;
        }
    }

    private static void Products(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        Surfaces.Draw(c, r, rng, assets.Photos);
        var n = rng.Int(1, 4);
        var unit = Math.Min(r.Width, r.Height);
        for (var i = 0; i < n; i++)
        {
            var w = unit * rng.Range(0.18, 0.42) / MathF.Sqrt(n * 0.7f);
            var x = r.Left + rng.Range(0.1, 0.9) * r.Width;
            var bottom = r.Top + rng.Range(0.6, 1.0) * r.Height;
            switch (rng.Int(0, 3))
            {
                case 0: Can(c, x, bottom, w, rng, assets.Fonts); break;
                case 1: Bottle(c, x, bottom, w, rng, assets.Fonts); break;
                case 2: ChipBag(c, x, bottom, w * 1.6f, rng, assets.Fonts); break;
                default: Box(c, x, bottom, w * 1.5f, rng, assets.Fonts); break;
            }
        }
    }

    /// <summary>Horizontal shading of a cylinder: dark edges, a bright highlight off-centre.</summary>
    private static SKShader CylinderShade(float left, float right)
    {
        return SKShader.CreateLinearGradient(new SKPoint(left, 0), new SKPoint(right, 0),
            [new SKColor(0, 0, 0, 150), new SKColor(255, 255, 255, 90), new SKColor(0, 0, 0, 20), new SKColor(0, 0, 0, 170)],
            [0, 0.3f, 0.6f, 1], SKShaderTileMode.Clamp);
    }

    private static void Shadow(SKCanvas c, float x, float bottom, float w)
    {
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 90), ImageFilter = SKImageFilter.CreateBlur(w * 0.08f, w * 0.04f), IsAntialias = true };
        c.DrawOval(x + w * 0.1f, bottom, w * 0.65f, w * 0.12f, shadow);
    }

    private static void Label(SKCanvas c, SKRect area, SampleRandom rng, FontCatalog fonts, SKColor background)
    {
        using var paint = new SKPaint { Color = background, IsAntialias = true };
        c.DrawRect(area, paint);
        var ink = background.Red + background.Green + background.Blue > 380 ? Palette.Random(rng, 0.1, 0.5, 0.5, 1) : SKColors.White;
        using var font = new SKFont(rng.Pick(fonts.TextFaces), area.Height * rng.Range(0.18, 0.35));
        using var text = new SKPaint { Color = ink, IsAntialias = true };
        var word = TextSource.Caps(rng, 1);
        var scale = Math.Min(1, area.Width * 0.9f / Math.Max(1, font.MeasureText(word)));
        font.Size *= scale;
        c.DrawText(word, area.MidX, area.MidY + font.Size * 0.35f, SKTextAlign.Center, font, text);
        if (rng.Chance(0.6))
        {
            using var small = new SKFont(font.Typeface, font.Size * 0.35f);
            c.DrawText(TextSource.Caps(rng, 2), area.MidX, area.MidY + font.Size * 1.1f, SKTextAlign.Center, small, text);
        }
    }

    private static void Can(SKCanvas c, float x, float bottom, float w, SampleRandom rng, FontCatalog fonts)
    {
        var h = w * rng.Range(1.4, 2.0);
        var body = new SKRect(x - w / 2, bottom - h, x + w / 2, bottom);
        Shadow(c, x, bottom, w);
        Label(c, body, rng, fonts, Palette.Random(rng, 0.3, 1, 0.4, 1));
        using var metal = new SKPaint { Color = Palette.Gray(rng.Int(150, 210)), IsAntialias = true };
        c.DrawOval(x, body.Top, w / 2, w * 0.1f, metal);
        c.DrawRect(body.Left, body.Bottom - h * 0.04f, w, h * 0.04f, metal);
        using var shade = new SKPaint { Shader = CylinderShade(body.Left, body.Right) };
        c.DrawRect(body, shade);
    }

    private static void Bottle(SKCanvas c, float x, float bottom, float w, SampleRandom rng, FontCatalog fonts)
    {
        var h = w * rng.Range(2.2, 3.2);
        Shadow(c, x, bottom, w);
        using var builder = new SKPathBuilder();
        var neck = w * 0.18f;
        builder.MoveTo(x - w / 2, bottom);
        builder.LineTo(x - w / 2, bottom - h * 0.6f);
        builder.CubicTo(x - w / 2, bottom - h * 0.75f, x - neck, bottom - h * 0.78f, x - neck, bottom - h * 0.88f);
        builder.LineTo(x - neck, bottom - h);
        builder.LineTo(x + neck, bottom - h);
        builder.LineTo(x + neck, bottom - h * 0.88f);
        builder.CubicTo(x + neck, bottom - h * 0.78f, x + w / 2, bottom - h * 0.75f, x + w / 2, bottom - h * 0.6f);
        builder.LineTo(x + w / 2, bottom);
        builder.Close();
        var glass = rng.Chance(0.5) ? Palette.Hsv(rng.Range(80, 150), 0.6, rng.Range(0.2, 0.5), 220) : Palette.Hsv(rng.Range(0, 360), rng.Range(0.2, 0.9), rng.Range(0.3, 0.95), 235);
        using var paint = new SKPaint { Color = glass, IsAntialias = true };
        c.DrawPath(builder, paint);
        Label(c, new SKRect(x - w / 2, bottom - h * 0.5f, x + w / 2, bottom - h * 0.15f), rng, fonts, Palette.Random(rng, 0.5, 1, 0, 0.8));
        using var cap = new SKPaint { Color = Palette.Random(rng, 0.2, 0.9, 0.3, 1), IsAntialias = true };
        c.DrawRect(x - neck * 1.1f, bottom - h - w * 0.08f, neck * 2.2f, w * 0.15f, cap);
        using var shade = new SKPaint { Shader = CylinderShade(x - w / 2, x + w / 2) };
        c.DrawPath(builder, shade);
    }

    private static void ChipBag(SKCanvas c, float x, float bottom, float w, SampleRandom rng, FontCatalog fonts)
    {
        var h = w * rng.Range(1.1, 1.5);
        Shadow(c, x, bottom, w);
        using var builder = new SKPathBuilder();
        float l = x - w / 2, t = bottom - h, rr = x + w / 2;
        builder.MoveTo(l, t);
        for (var k = 1; k <= 8; k++) builder.LineTo(l + w * k / 8, t + (k % 2 == 0 ? 0 : w * 0.03f));
        builder.CubicTo(rr + w * 0.06f, t + h * 0.3f, rr + w * 0.06f, t + h * 0.7f, rr, bottom);
        for (var k = 7; k >= 0; k--) builder.LineTo(l + w * k / 8, bottom - (k % 2 == 0 ? 0 : w * 0.03f));
        builder.CubicTo(l - w * 0.06f, t + h * 0.7f, l - w * 0.06f, t + h * 0.3f, l, t);
        builder.Close();
        using var path = builder.Snapshot();
        var color = Palette.Random(rng, 0.4, 1, 0.6, 1);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        c.DrawPath(path, paint);
        c.Save();
        c.ClipPath(path, antialias: true);
        Label(c, new SKRect(l + w * 0.1f, t + h * 0.15f, rr - w * 0.1f, t + h * 0.45f), rng, fonts, Palette.Random(rng, 0.6, 1, 0.2, 1));
        using var food = new SKPaint { Color = Palette.Hsv(rng.Range(25, 50), 0.7, 0.85), IsAntialias = true };
        for (var k = 0; k < 4; k++) c.DrawOval(x + rng.Range(-w * 0.3f, w * 0.3f), t + h * rng.Range(0.6, 0.85), w * 0.12f, w * 0.08f, food);
        // Crinkled foil: streaky highlights.
        using var gloss = SKShader.CreateLinearGradient(new SKPoint(l, t), new SKPoint(rr, bottom),
            [new SKColor(255, 255, 255, 0), new SKColor(255, 255, 255, 110), new SKColor(0, 0, 0, 60), new SKColor(255, 255, 255, 70), new SKColor(0, 0, 0, 90)],
            [0, 0.25f, 0.45f, 0.7f, 1], SKShaderTileMode.Clamp);
        using var glossPaint = new SKPaint { Shader = gloss };
        c.DrawRect(l - w, t, w * 3, h, glossPaint);
        c.Restore();
    }

    private static void Box(SKCanvas c, float x, float bottom, float w, SampleRandom rng, FontCatalog fonts)
    {
        var h = w * rng.Range(0.6, 1.4);
        var depth = w * rng.Range(0.15, 0.35);
        Shadow(c, x + depth / 2, bottom, w + depth);
        var front = new SKRect(x - w / 2, bottom - h, x + w / 2, bottom);
        var color = Palette.Random(rng, 0.3, 1, 0.2, 1);
        Label(c, front, rng, fonts, color);
        using var side = new SKPathBuilder();
        side.MoveTo(front.Right, front.Top);
        side.LineTo(front.Right + depth, front.Top - depth * 0.6f);
        side.LineTo(front.Right + depth, front.Bottom - depth * 0.6f);
        side.LineTo(front.Right, front.Bottom);
        side.Close();
        using var sidePaint = new SKPaint { Color = Palette.Scale(color, 0.65), IsAntialias = true };
        c.DrawPath(side, sidePaint);
        using var top = new SKPathBuilder();
        top.MoveTo(front.Left, front.Top);
        top.LineTo(front.Left + depth, front.Top - depth * 0.6f);
        top.LineTo(front.Right + depth, front.Top - depth * 0.6f);
        top.LineTo(front.Right, front.Top);
        top.Close();
        using var topPaint = new SKPaint { Color = Palette.Scale(color, 1.15), IsAntialias = true };
        c.DrawPath(top, topPaint);
    }

    /// <summary>A shop shelf seen head-on: rows of packs, cans and bottles with printed labels and price tags.</summary>
    private static void Shelf(SKCanvas c, SKRect r, SampleRandom rng, FontCatalog fonts)
    {
        c.DrawColor(Palette.Gray(rng.Int(30, 90)));
        var rows = rng.Int(2, 4);
        var rowH = r.Height / rows;
        using var board = new SKPaint { Color = Palette.Gray(rng.Int(150, 230)) };
        using var tag = new SKPaint { Color = rng.Chance(0.5) ? Palette.Rgb(250, 220, 60) : SKColors.White };
        using var font = new SKFont(rng.Pick(fonts.TextFaces), rowH * 0.06f);
        using var ink = new SKPaint { Color = Palette.Gray(20), IsAntialias = true };
        for (var row = 0; row < rows; row++)
        {
            var bottom = r.Top + (row + 1) * rowH - rowH * 0.08f;
            var x = r.Left - rng.Range(0, rowH * 0.3f);
            while (x < r.Right)
            {
                var w = rowH * rng.Range(0.18, 0.4);
                var h = rowH * rng.Range(0.5, 0.85);
                var color = Palette.Random(rng, 0.3, 1, 0.3, 1);
                var repeat = rng.Int(1, 4);
                for (var k = 0; k < repeat && x < r.Right; k++)
                {
                    if (rng.Chance(0.3)) Can(c, x + w / 2, bottom, w, rng, fonts);
                    else Label(c, new SKRect(x, bottom - h, x + w * 0.95f, bottom), rng, fonts, color);
                    x += w;
                }
            }
            c.DrawRect(r.Left, bottom, r.Width, rowH * 0.08f, board);
            for (var tx = r.Left + rng.Range(0, rowH * 0.5f); tx < r.Right; tx += rowH * rng.Range(0.5, 1.0))
            {
                c.DrawRect(tx, bottom + rowH * 0.01f, rowH * 0.16f, rowH * 0.06f, tag);
                c.DrawText(TextSource.Amount(rng, 20), tx + rowH * 0.02f, bottom + rowH * 0.055f, SKTextAlign.Left, font, ink);
            }
        }
    }

    private static void Food(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        Surfaces.Draw(c, r, rng, assets.Photos);
        var cx = r.MidX + rng.Range(-0.15, 0.15) * r.Width;
        var cy = r.MidY + rng.Range(-0.1, 0.1) * r.Height;
        var rad = Math.Min(r.Width, r.Height) * rng.Range(0.3, 0.48);
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 80), ImageFilter = SKImageFilter.CreateBlur(rad * 0.08f, rad * 0.08f) };
        c.DrawOval(cx + rad * 0.05f, cy + rad * 0.08f, rad, rad * 0.8f, shadow);
        using var plate = new SKPaint { Color = rng.Chance(0.7) ? Palette.Gray(rng.Int(225, 250)) : Palette.Random(rng, 0.5, 0.9, 0.2, 0.6), IsAntialias = true };
        c.DrawOval(cx, cy, rad, rad * 0.8f, plate);
        plate.Color = Palette.Scale(plate.Color, 0.93);
        c.DrawOval(cx, cy, rad * 0.75f, rad * 0.6f, plate);
        using var food = new SKPaint { IsAntialias = true };
        var hue = rng.Range(10, 60);
        for (var k = 0; k < rng.Int(6, 30); k++)
        {
            food.Color = Palette.Hsv(hue + rng.Range(-20, 80), rng.Range(0.4, 0.95), rng.Range(0.3, 0.95));
            var a = rng.Range(0, MathF.Tau);
            var d = rng.Range(0, rad * 0.55f);
            c.DrawOval(cx + MathF.Cos(a) * d, cy + MathF.Sin(a) * d * 0.8f, rad * rng.Range(0.05, 0.2), rad * rng.Range(0.04, 0.15), food);
        }
        if (rng.Chance(0.5))
        {
            // A cup beside the plate.
            using var cup = new SKPaint { Color = Palette.Random(rng, 0.6, 1, 0, 0.5), IsAntialias = true };
            var cr = rad * 0.35f;
            var px = cx + rad * 1.2f * (rng.Chance(0.5) ? 1 : -1);
            c.DrawOval(px, cy - rad * 0.5f, cr, cr * 0.85f, cup);
            cup.Color = Palette.Hsv(25, 0.7, 0.35);
            c.DrawOval(px, cy - rad * 0.5f, cr * 0.8f, cr * 0.65f, cup);
        }
    }

    private static void Room(SKCanvas c, SKRect r, SampleRandom rng)
    {
        var horizon = r.Top + r.Height * rng.Range(0.45, 0.75);
        using var wall = new SKPaint { Color = Palette.Hsv(rng.Range(20, 220), rng.Range(0, 0.3), rng.Range(0.5, 0.95)) };
        c.DrawRect(r.Left, r.Top, r.Width, horizon - r.Top, wall);
        Surfaces.Draw(c, new SKRect(r.Left, horizon, r.Right, r.Bottom), rng.Chance(0.6) ? "wood" : "carpet", rng, PhotoLibrary.Empty);
        if (rng.Chance(0.7))
        {
            // Window: bright, with frame bars.
            var win = new SKRect(r.Left + r.Width * rng.Range(0.05, 0.5), r.Top + r.Height * rng.Range(0.05, 0.2), 0, 0);
            win.Right = win.Left + r.Width * rng.Range(0.2, 0.4);
            win.Bottom = Math.Min(horizon - 5, win.Top + r.Height * rng.Range(0.25, 0.45));
            using var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, win.Top), new SKPoint(0, win.Bottom), [Palette.Rgb(200, 225, 250), Palette.Rgb(245, 245, 240)], SKShaderTileMode.Clamp) };
            c.DrawRect(win, sky);
            using var frame = new SKPaint { Color = Palette.Gray(rng.Int(200, 250)), Style = SKPaintStyle.Stroke, StrokeWidth = win.Width * 0.04f };
            c.DrawRect(win, frame);
            c.DrawLine(win.MidX, win.Top, win.MidX, win.Bottom, frame);
        }
        using var furniture = new SKPaint { IsAntialias = true };
        for (var k = 0; k < rng.Int(1, 4); k++)
        {
            furniture.Color = Palette.Random(rng, 0.1, 0.7, 0, 0.6);
            var fw = r.Width * rng.Range(0.15, 0.45);
            var fh = r.Height * rng.Range(0.15, 0.45);
            var fx = r.Left + rng.Range(-0.1, 0.9) * r.Width;
            var fb = horizon + r.Height * rng.Range(0.0, 0.25);
            c.DrawRoundRect(fx, fb - fh, fw, fh, fw * 0.05f, fw * 0.05f, furniture);
            furniture.Color = Palette.Scale(furniture.Color, 0.7);
            c.DrawRect(fx + fw * 0.05f, fb, fw * 0.05f, r.Height * 0.04f, furniture);
            c.DrawRect(fx + fw * 0.9f, fb, fw * 0.05f, r.Height * 0.04f, furniture);
        }
        if (rng.Chance(0.5)) Plant(c, r.Left + rng.Range(0.1, 0.9) * r.Width, horizon + r.Height * 0.1f, r.Height * rng.Range(0.2, 0.4), rng);
    }

    private static void Plant(SKCanvas c, float x, float bottom, float h, SampleRandom rng)
    {
        using var pot = new SKPaint { Color = Palette.Random(rng, 0.3, 0.9, 0, 0.6), IsAntialias = true };
        c.DrawRect(x - h * 0.15f, bottom - h * 0.3f, h * 0.3f, h * 0.3f, pot);
        using var leaf = new SKPaint { IsAntialias = true };
        for (var k = 0; k < 14; k++)
        {
            leaf.Color = Palette.Hsv(rng.Range(80, 140), rng.Range(0.4, 0.8), rng.Range(0.25, 0.6));
            c.Save();
            c.RotateDegrees(rng.Range(-60, 60), x, bottom - h * 0.3f);
            c.DrawOval(x, bottom - h * 0.3f - h * 0.35f, h * 0.06f, h * 0.35f, leaf);
            c.Restore();
        }
    }

    private static void Outdoor(SKCanvas c, SKRect r, SampleRandom rng)
    {
        var horizon = r.Top + r.Height * rng.Range(0.3, 0.65);
        var evening = rng.Chance(0.2);
        using var sky = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, r.Top), new SKPoint(0, horizon),
                evening ? [Palette.Rgb(60, 70, 140), Palette.Rgb(250, 160, 90)] : [Palette.Rgb(rng.Int(60, 120), rng.Int(130, 170), rng.Int(200, 245)), Palette.Rgb(220, 230, 240)],
                SKShaderTileMode.Clamp),
        };
        c.DrawRect(r.Left, r.Top, r.Width, horizon - r.Top, sky);
        using var cloud = new SKPaint { Color = new SKColor(255, 255, 255, 170), ImageFilter = SKImageFilter.CreateBlur(r.Width * 0.02f, r.Width * 0.01f), IsAntialias = true };
        for (var k = 0; k < rng.Int(0, 5); k++) c.DrawOval(r.Left + rng.Range(0, 1) * r.Width, r.Top + rng.Range(0.05, 0.8) * (horizon - r.Top), r.Width * rng.Range(0.05, 0.15), r.Height * rng.Range(0.02, 0.05), cloud);
        var urban = rng.Chance(0.5);
        using var ground = new SKPaint { Color = urban ? Palette.Gray(rng.Int(90, 160)) : Palette.Hsv(rng.Range(60, 120), rng.Range(0.3, 0.7), rng.Range(0.3, 0.6)) };
        c.DrawRect(r.Left, horizon, r.Width, r.Bottom - horizon, ground);
        Surfaces.Noise(c, new SKRect(r.Left, horizon, r.Right, r.Bottom), Palette.Scale(ground.Color, 0.6), 0.3f, 0.08f, 0.2f, 2, rng.Range(0, 100));
        using var paint = new SKPaint { IsAntialias = true };
        if (urban)
        {
            var x = r.Left - rng.Range(0, 30);
            while (x < r.Right)
            {
                var bw = r.Width * rng.Range(0.1, 0.3);
                var bh = (horizon - r.Top) * rng.Range(0.3, 1.1);
                paint.Color = Palette.Hsv(rng.Range(0, 60), rng.Range(0, 0.3), rng.Range(0.4, 0.9));
                c.DrawRect(x, horizon - bh, bw, bh + r.Height * 0.03f, paint);
                paint.Color = Palette.Rgb(60, 80, 100, 200);
                var wsize = bw * rng.Range(0.08, 0.15);
                for (var wy = horizon - bh + wsize; wy < horizon - wsize; wy += wsize * 2)
                {
                    for (var wx = x + wsize; wx < x + bw - wsize; wx += wsize * 2) c.DrawRect(wx, wy, wsize, wsize * 1.2f, paint);
                }
                x += bw + rng.Range(0, 10);
            }
            // Cars: rounded bodies with dark windows.
            for (var k = 0; k < rng.Int(0, 3); k++)
            {
                var cw = r.Width * rng.Range(0.2, 0.4);
                var cx = r.Left + rng.Range(-0.1, 0.9) * r.Width;
                var cy = horizon + (r.Bottom - horizon) * rng.Range(0.3, 0.8);
                paint.Color = Palette.Random(rng, 0.1, 0.9, 0, 0.8);
                c.DrawRoundRect(cx, cy - cw * 0.3f, cw, cw * 0.3f, cw * 0.08f, cw * 0.08f, paint);
                c.DrawRoundRect(cx + cw * 0.2f, cy - cw * 0.5f, cw * 0.55f, cw * 0.25f, cw * 0.08f, cw * 0.08f, paint);
                paint.Color = Palette.Gray(20);
                c.DrawCircle(cx + cw * 0.2f, cy, cw * 0.09f, paint);
                c.DrawCircle(cx + cw * 0.8f, cy, cw * 0.09f, paint);
            }
        }
        else
        {
            for (var k = 0; k < rng.Int(2, 8); k++)
            {
                var tx = r.Left + rng.Range(0, 1) * r.Width;
                var th = r.Height * rng.Range(0.15, 0.45);
                var tb = horizon + rng.Range(0, 0.2) * r.Height;
                paint.Color = Palette.Hsv(30, 0.5, 0.3);
                c.DrawRect(tx - th * 0.04f, tb - th * 0.5f, th * 0.08f, th * 0.5f, paint);
                for (var b = 0; b < 5; b++)
                {
                    paint.Color = Palette.Hsv(rng.Range(70, 140), rng.Range(0.4, 0.8), rng.Range(0.2, 0.5));
                    c.DrawCircle(tx + rng.Range(-th * 0.2f, th * 0.2f), tb - th * rng.Range(0.5, 0.95), th * rng.Range(0.15, 0.3), paint);
                }
            }
        }
    }

    private static void People(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        if (rng.Chance(0.5)) Room(c, r, rng); else Outdoor(c, r, rng);
        var n = rng.Int(1, 3);
        using var paint = new SKPaint { IsAntialias = true };
        for (var k = 0; k < n; k++)
        {
            var h = r.Height * rng.Range(0.5, 1.1);
            var x = r.Left + rng.Range(0.15, 0.85) * r.Width;
            var top = r.Bottom - h * rng.Range(0.8, 1.0);
            var skin = Palette.Skin(rng);
            paint.Color = Palette.Random(rng, 0.1, 0.9, 0, 0.8);
            c.DrawRoundRect(x - h * 0.16f, top + h * 0.22f, h * 0.32f, h * 0.5f, h * 0.08f, h * 0.08f, paint);
            paint.Color = Palette.Scale(paint.Color, 0.85);
            c.DrawRoundRect(x - h * 0.24f, top + h * 0.24f, h * 0.09f, h * 0.38f, h * 0.04f, h * 0.04f, paint);
            c.DrawRoundRect(x + h * 0.15f, top + h * 0.24f, h * 0.09f, h * 0.38f, h * 0.04f, h * 0.04f, paint);
            paint.Color = Palette.Random(rng, 0.1, 0.5, 0, 0.6);
            c.DrawRect(x - h * 0.14f, top + h * 0.7f, h * 0.12f, h * 0.35f, paint);
            c.DrawRect(x + h * 0.02f, top + h * 0.7f, h * 0.12f, h * 0.35f, paint);
            paint.Color = skin;
            c.DrawRect(x - h * 0.035f, top + h * 0.17f, h * 0.07f, h * 0.07f, paint);
            c.DrawOval(x, top + h * 0.1f, h * 0.075f, h * 0.095f, paint);
            paint.Color = Palette.Hsv(rng.Range(15, 40), rng.Range(0.3, 0.8), rng.Range(0.05, 0.5));
            c.DrawOval(x, top + h * 0.04f, h * 0.08f, h * 0.05f, paint);
        }
    }

    private static void Keyboard(SKCanvas c, SKRect r, SampleRandom rng, FontCatalog fonts)
    {
        Surfaces.Draw(c, r, rng.Chance(0.5) ? "desk" : "wood", rng, PhotoLibrary.Empty);
        var dark = rng.Chance(0.6);
        var body = new SKRect(r.Left - r.Width * rng.Range(0, 0.2), r.Top + r.Height * rng.Range(0.1, 0.35), r.Right + r.Width * rng.Range(0, 0.2), r.Bottom - r.Height * rng.Range(0.05, 0.3));
        using var paint = new SKPaint { Color = dark ? Palette.Gray(rng.Int(20, 50)) : Palette.Gray(rng.Int(190, 230)), IsAntialias = true };
        c.DrawRoundRect(body, 8, 8, paint);
        var rows = 5;
        var cols = rng.Int(10, 15);
        var kw = body.Width / cols;
        var kh = body.Height / rows;
        using var key = new SKPaint { Color = dark ? Palette.Gray(rng.Int(35, 70)) : Palette.Gray(rng.Int(235, 252)), IsAntialias = true };
        using var font = new SKFont(rng.Pick(fonts.TextFaces), kh * 0.3f);
        using var label = new SKPaint { Color = dark ? Palette.Gray(220) : Palette.Gray(40), IsAntialias = true };
        const string letters = "QWERTYUIOPASDFGHJKLZXCVBNM1234567890";
        for (var row = 0; row < rows; row++)
        {
            var offset = row * kw * 0.25f;
            for (var col = 0; col < cols; col++)
            {
                var k = new SKRect(body.Left + offset + col * kw + kw * 0.08f, body.Top + row * kh + kh * 0.1f, 0, 0);
                k.Right = k.Left + kw * 0.84f;
                k.Bottom = k.Top + kh * 0.8f;
                c.DrawRoundRect(k, kw * 0.1f, kw * 0.1f, key);
                c.DrawText(letters[(row * cols + col) % letters.Length].ToString(), k.Left + kw * 0.2f, k.Top + kh * 0.35f, SKTextAlign.Left, font, label);
            }
        }
    }

    private static void Flyer(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        // Glossy marketing print: one big picture, huge headline, price burst; lots of text yet not a document.
        var bg = Palette.Random(rng, 0.4, 1, 0.4, 1);
        using (var background = new SKPaint { Color = bg }) c.DrawRect(r, background);
        var picture = new SKRect(r.Left, r.Top + r.Height * rng.Range(0.2, 0.35), r.Right, r.Top + r.Height * rng.Range(0.65, 0.8));
        ContentPicture(c, picture, rng, assets);
        using var font = new SKFont(rng.Pick(assets.Fonts.TextFaces), r.Height * rng.Range(0.09, 0.14)) { Embolden = true };
        using var ink = new SKPaint { Color = bg.Red + bg.Green + bg.Blue > 450 ? Palette.Gray(20) : SKColors.White, IsAntialias = true };
        c.DrawText(TextSource.Caps(rng, 1) + "!", r.MidX, r.Top + r.Height * 0.15f, SKTextAlign.Center, font, ink);
        using var burst = new SKPaint { Color = Palette.Rgb(230, 30, 40), IsAntialias = true };
        var bx = r.Left + r.Width * rng.Range(0.6, 0.85);
        var by = picture.Bottom;
        c.DrawCircle(bx, by, r.Width * 0.12f, burst);
        using var price = new SKFont(font.Typeface, r.Width * 0.07f);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        c.DrawText(rng.Int(1, 99) + "%", bx, by + price.Size * 0.35f, SKTextAlign.Center, price, white);
        using var small = new SKFont(rng.Pick(assets.Fonts.TextFaces), r.Height * 0.03f);
        for (var y = picture.Bottom + r.Height * 0.08f; y < r.Bottom; y += small.Size * 1.4f)
        {
            c.DrawText(TextSource.Sentence(rng, rng.Int(3, 7)), r.Left + r.Width * 0.06f, y, SKTextAlign.Left, small, ink);
        }
    }

    private static void Packaging(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        // A close-up of a box or bag face: brand, picture, nutrition-table-like text.
        Surfaces.Draw(c, r, rng, assets.Photos);
        var face = new SKRect(r.Left + r.Width * rng.Range(-0.1, 0.15), r.Top + r.Height * rng.Range(-0.1, 0.15), r.Right - r.Width * rng.Range(-0.1, 0.15), r.Bottom - r.Height * rng.Range(-0.1, 0.15));
        c.Save();
        c.RotateDegrees(rng.Range(-12, 12), r.MidX, r.MidY);
        var color = Palette.Random(rng, 0.4, 1, 0.5, 1);
        Label(c, new SKRect(face.Left, face.Top, face.Right, face.Top + face.Height * 0.4f), rng, assets.Fonts, color);
        using (var lower = new SKPaint { Color = Palette.Scale(color, 0.9) }) c.DrawRect(new SKRect(face.Left, face.Top + face.Height * 0.4f, face.Right, face.Bottom), lower);
        ContentPicture(c, new SKRect(face.Left + face.Width * 0.05f, face.Top + face.Height * 0.45f, face.MidX, face.Bottom - face.Height * 0.05f), rng, assets);
        using var font = new SKFont(rng.Pick(assets.Fonts.TextFaces), face.Height * 0.03f);
        using var ink = new SKPaint { Color = Palette.Gray(20), IsAntialias = true };
        for (var y = face.Top + face.Height * 0.5f; y < face.Bottom - font.Size; y += font.Size * 1.3f)
        {
            c.DrawText(TextSource.Caps(rng, 1), face.MidX + face.Width * 0.04f, y, SKTextAlign.Left, font, ink);
            c.DrawText(TextSource.Amount(rng, 99) + "g", face.Right - face.Width * 0.05f, y, SKTextAlign.Right, font, ink);
        }
        c.Restore();
    }

    private static void BlankPaper(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        Surfaces.Draw(c, r, rng, assets.Photos);
        c.Save();
        c.RotateDegrees(rng.Range(-30, 30), r.MidX, r.MidY);
        var w = r.Width * rng.Range(0.4, 0.8);
        var sheet = new SKRect(r.MidX - w / 2, r.MidY - w * 0.7f, r.MidX + w / 2, r.MidY + w * 0.7f);
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 80), ImageFilter = SKImageFilter.CreateBlur(6, 6) };
        c.DrawRect(sheet.Left + 4, sheet.Top + 6, sheet.Width, sheet.Height, shadow);
        using var paper = new SKPaint { Color = Palette.Gray(rng.Int(225, 250)) };
        c.DrawRect(sheet, paper);
        c.Restore();
    }

    /// <summary>A real photo when the library has one, otherwise a synthetic outdoor or room scene.</summary>
    public static void ContentPicture(SKCanvas c, SKRect r, SampleRandom rng, SceneAssets assets)
    {
        var photo = assets.Photos.Pick(rng);
        c.Save();
        c.ClipRect(r);
        if (photo is not null) PhotoPlacement.DrawCover(c, photo, r, rng);
        else if (rng.Chance(0.5)) Outdoor(c, r, rng);
        else Products(c, r, rng, assets.WithoutPhotos());
        // Shop and gallery pictures of things, as the other class's objects: a screen is told by the screen, not by what it shows.
        if (assets.Photos.Cutouts.Count > 0 && rng.Chance(0.4)) assets.Photos.Cutouts.Place(c, r, rng, 0.5, 0.9);
        c.Restore();
    }
}
