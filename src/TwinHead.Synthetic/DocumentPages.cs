using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Renders the flat artwork of paper documents: letters, forms, receipts, invoices, ID cards, book pages,
/// handwritten notes and reports, with logos, stamps and signatures, on tinted, textured paper.
/// </summary>
internal static class DocumentPages
{
    public static readonly string[] Layouts = ["letter", "form", "receipt", "invoice", "id-card", "book", "handwritten", "report", "sticky-note"];

    /// <summary>Height / width of each layout's paper (A4 = 1.414; receipts long and narrow; cards landscape).</summary>
    public static float AspectOf(string layout, SampleRandom rng) => layout switch
    {
        "receipt" => rng.Range(1.8, 3.6),
        "id-card" => 0.63f,
        "sticky-note" => rng.Range(0.95, 1.05),
        "book" => rng.Range(1.35, 1.6),
        "handwritten" => rng.Chance(0.5) ? 1.414f : rng.Range(1.2, 1.5),
        _ => rng.Chance(0.8) ? 1.414f : 1.294f,
    };

    public static string PickLayout(SampleRandom rng) => Layouts[rng.Weighted([2, 2, 3, 2, 0.8, 1.5, 1.2, 1.5, 0.6])];

    /// <summary>Renders a page <paramref name="width"/> pixels wide in the given layout, with faces from <paramref name="fonts"/>.</summary>
    public static SKBitmap Render(string layout, float aspect, int width, SampleRandom rng, FontCatalog fonts)
    {
        var height = Math.Max(16, (int)(width * aspect));
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        var page = new PageContext(canvas, width, height, rng, fonts);
        Paper(page, layout, bitmap);
        switch (layout)
        {
            case "letter": Letter(page); break;
            case "form": Form(page); break;
            case "receipt": Receipt(page); break;
            case "invoice": Invoice(page); break;
            case "id-card": IdCard(page); break;
            case "book": Book(page); break;
            case "handwritten": Handwritten(page, lined: true); break;
            case "sticky-note": Handwritten(page, lined: false); break;
            default: Report(page); break;
        }
        if (layout is not ("id-card" or "sticky-note") && rng.Chance(0.25)) Stamp(page, rng.Range(0.1, 0.9) * width, rng.Range(0.3, 0.9) * height);
        Wear(page, layout);
        return bitmap;
    }

    private sealed class PageContext(SKCanvas canvas, int width, int height, SampleRandom rng, FontCatalog fonts)
    {
        public SKCanvas Canvas { get; } = canvas;
        public float W { get; } = width;
        public float H { get; } = height;
        public SampleRandom Rng { get; } = rng;
        public FontCatalog Fonts { get; } = fonts;
        public SKColor Ink { get; set; } = Palette.Gray(25);
        public SKTypeface Face { get; set; } = rng.Pick(fonts.TextFaces);

        /// <summary>Draws one line of text clipped to <paramref name="maxWidth"/>; returns its drawn width.</summary>
        public float Text(string text, float x, float y, float size, SKColor? color = null, SKTypeface? face = null, SKTextAlign align = SKTextAlign.Left, float maxWidth = float.MaxValue)
        {
            using var font = new SKFont(face ?? Face, size) { Subpixel = true, Edging = SKFontEdging.Antialias };
            using var paint = new SKPaint { Color = color ?? Ink, IsAntialias = true };
            var width = font.MeasureText(text);
            if (width > maxWidth && text.Length > 2)
            {
                var keep = Math.Max(1, (int)(text.Length * maxWidth / width));
                text = text[..keep];
                width = font.MeasureText(text);
            }
            Canvas.DrawText(text, x, y, align, font, paint);
            return width;
        }

        /// <summary>A paragraph of lines filling the width; returns the y below it.</summary>
        public float Paragraph(float x, float y, float width, float size, int lines, float spacing = 1.45f, float bottom = float.MaxValue)
        {
            using var font = new SKFont(Face, size);
            for (var i = 0; i < lines && y < bottom; i++)
            {
                var last = i == lines - 1;
                var line = FillLine(font, last ? width * Rng.Range(0.2, 0.8) : width * Rng.Range(0.92, 1.0));
                Text(line, x, y, size);
                y += size * spacing;
            }
            return y;
        }

        private string FillLine(SKFont font, float width)
        {
            var words = new List<string>();
            var text = "";
            // Bounded: a face with missing advances would never fill the width.
            for (var n = 0; n < 60; n++)
            {
                words.Add(Rng.Chance(0.04) ? TextSource.Digits(Rng, Rng.Int(1, 4)) : TextSource.Word(Rng));
                var candidate = string.Join(' ', words);
                if (font.MeasureText(candidate) > width) return text.Length == 0 ? candidate : text;
                text = candidate;
            }
            return text;
        }

        public void Rule(float x0, float y0, float x1, float y1, float stroke, SKColor? color = null, bool dashed = false)
        {
            using var paint = new SKPaint { Color = color ?? Ink, StrokeWidth = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke };
            if (dashed) paint.PathEffect = SKPathEffect.CreateDash([stroke * 3, stroke * 2], 0);
            Canvas.DrawLine(x0, y0, x1, y1, paint);
        }

        public void Box(SKRect r, float stroke, SKColor? color = null, SKColor? fill = null)
        {
            using var paint = new SKPaint { IsAntialias = true };
            if (fill is { } f)
            {
                paint.Color = f;
                Canvas.DrawRect(r, paint);
            }
            paint.Color = color ?? Ink;
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = stroke;
            Canvas.DrawRect(r, paint);
        }
    }

    private static void Paper(PageContext p, string layout, SKBitmap pixels)
    {
        var rng = p.Rng;
        SKColor paper = layout switch
        {
            "receipt" => Palette.Rgb(rng.Int(238, 252), rng.Int(236, 250), rng.Int(228, 245)),
            "sticky-note" => rng.Pick(new[] { Palette.Rgb(250, 235, 120), Palette.Rgb(250, 200, 210), Palette.Rgb(190, 235, 250), Palette.Rgb(200, 245, 170) }),
            "id-card" => Palette.Hsv(rng.Range(0, 360), rng.Range(0.05, 0.35), rng.Range(0.8, 0.97)),
            _ => rng.Weighted([6, 1.5, 0.7, 0.4]) switch
            {
                0 => Palette.Gray(rng.Int(238, 255)),
                1 => Palette.Rgb(rng.Int(238, 252), rng.Int(230, 245), rng.Int(205, 228)),
                2 => Palette.Hsv(rng.Range(0, 360), rng.Range(0.05, 0.2), rng.Range(0.9, 1.0)),
                _ => Palette.Rgb(rng.Int(215, 235), rng.Int(200, 220), rng.Int(160, 190)),
            },
        };
        p.Canvas.Clear(paper);
        // Fibre texture: fine, faint.
        Surfaces.Noise(p.Canvas, new SKRect(0, 0, p.W, p.H), Palette.Scale(paper, 0.8), rng.Range(0.04, 0.12), 0.35f, 0.35f, 1, rng.Range(0, 100), pixels: pixels);
        p.Ink = Palette.Ink(rng);
        if (layout == "receipt")
        {
            p.Face = rng.Pick(p.Fonts.MonoFaces);
            p.Ink = Palette.Gray(rng.Int(20, 90));
        }
    }

    private static void Logo(PageContext p, float x, float y, float size)
    {
        var rng = p.Rng;
        using var paint = new SKPaint { Color = Palette.Random(rng, 0.3, 0.8, 0.5, 1), IsAntialias = true };
        switch (rng.Int(0, 3))
        {
            case 0: p.Canvas.DrawCircle(x + size / 2, y + size / 2, size / 2, paint); break;
            case 1: p.Canvas.DrawRoundRect(x, y, size, size, size * 0.2f, size * 0.2f, paint); break;
            case 2:
                using (var path = new SKPathBuilder())
                {
                    path.MoveTo(x + size / 2, y);
                    path.LineTo(x + size, y + size);
                    path.LineTo(x, y + size);
                    path.Close();
                    p.Canvas.DrawPath(path, paint);
                }
                break;
            default:
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = size * 0.15f;
                p.Canvas.DrawCircle(x + size / 2, y + size / 2, size * 0.4f, paint);
                break;
        }
        var letters = TextSource.Caps(rng, 1);
        p.Text(letters[..Math.Min(2, letters.Length)], x + size / 2, y + size * 0.68f, size * 0.5f, SKColors.White, align: SKTextAlign.Center);
        p.Text(TextSource.Caps(rng, rng.Int(1, 2)), x + size * 1.25f, y + size * 0.7f, size * 0.55f, Palette.Scale(paint.Color, 0.7), rng.Pick(p.Fonts.TextFaces));
    }

    private static void Signature(PageContext p, float x, float y, float width)
    {
        var rng = p.Rng;
        using var path = new SKPathBuilder();
        path.MoveTo(x, y);
        var px = x;
        var amp = width * 0.12f;
        while (px < x + width)
        {
            var nx = px + rng.Range(width * 0.05, width * 0.15);
            path.CubicTo(px + rng.Range(-amp, amp), y - rng.Range(0, amp * 2), nx + rng.Range(-amp, amp), y + rng.Range(-amp, amp), nx, y + rng.Range(-amp / 2, amp / 2));
            px = nx;
        }
        using var pen = new SKPaint { Color = rng.Chance(0.6) ? Palette.Rgb(20, 40, 140) : Palette.Gray(20), Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, width * 0.012f), IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        p.Canvas.DrawPath(path, pen);
    }

    private static void Stamp(PageContext p, float x, float y)
    {
        var rng = p.Rng;
        var r = p.W * rng.Range(0.08, 0.14);
        var color = (rng.Chance(0.5) ? Palette.Rgb(180, 30, 40) : Palette.Rgb(40, 60, 160)).WithAlpha((byte)rng.Int(110, 200));
        p.Canvas.Save();
        p.Canvas.RotateDegrees(rng.Range(-25, 25), x, y);
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = r * 0.06f, IsAntialias = true };
        if (rng.Chance(0.5))
        {
            p.Canvas.DrawCircle(x, y, r, paint);
            p.Canvas.DrawCircle(x, y, r * 0.8f, paint);
        }
        else
        {
            p.Canvas.DrawRoundRect(x - r * 1.5f, y - r * 0.6f, r * 3, r * 1.2f, r * 0.1f, r * 0.1f, paint);
        }
        p.Text(rng.Pick(new[] { "PAID", "APPROVED", "RECEIVED", "COPY", "VOID", "CERTIFIED" }), x, y + r * 0.15f, r * 0.42f, color, align: SKTextAlign.Center);
        p.Canvas.Restore();
    }

    private static void Letter(PageContext p)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.08, 0.13);
        var size = p.W * rng.Range(0.018, 0.026);
        Logo(p, m, m * 0.8f, size * 3);
        var y = m * 0.8f + size * 5.5f;
        for (var i = 0; i < 3; i++, y += size * 1.3f) p.Text(TextSource.Sentence(rng, rng.Int(2, 4)).TrimEnd('.', ':'), m, y, size * 0.9f, maxWidth: p.W * 0.45f);
        p.Text(TextSource.Date(rng), p.W - m, y, size, align: SKTextAlign.Right);
        y += size * 2.5f;
        p.Text("Dear " + TextSource.Word(rng) + ",", m, y, size);
        y += size * 2f;
        var bottom = p.H - m * 2.5f;
        while (y < bottom - size * 6)
        {
            y = p.Paragraph(m, y, p.W - 2 * m, size, rng.Int(2, 7), bottom: bottom - size * 4) + size * 0.8f;
        }
        p.Text(rng.Chance(0.5) ? "Sincerely," : "Kind regards,", m, y, size);
        Signature(p, m, y + size * 2.2f, p.W * 0.25f);
        p.Rule(0, p.H - m, p.W, p.H - m, 0.6f, Palette.Gray(150));
        p.Text(TextSource.Sentence(rng, 8), p.W / 2, p.H - m * 0.55f, size * 0.7f, Palette.Gray(110), align: SKTextAlign.Center);
    }

    private static void Form(PageContext p)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.06, 0.1);
        var size = p.W * rng.Range(0.018, 0.024);
        var accent = Palette.Random(rng, 0.3, 0.7, 0.3, 0.9);
        if (rng.Chance(0.6))
        {
            using var band = new SKPaint { Color = accent };
            p.Canvas.DrawRect(0, 0, p.W, m * 1.4f, band);
            p.Text(TextSource.Title(rng).ToUpperInvariant(), m, m * 0.95f, size * 1.6f, SKColors.White);
        }
        else
        {
            p.Text(TextSource.Title(rng), p.W / 2, m * 1.1f, size * 1.8f, align: SKTextAlign.Center);
        }
        var y = m * 2.3f;
        var bottom = p.H - m;
        while (y < bottom - size * 3)
        {
            switch (rng.Int(0, 4))
            {
                case 0 or 1:
                    // Labelled fields in one or two columns, boxes or underlines.
                    var columns = rng.Int(1, 2);
                    var colW = (p.W - 2 * m) / columns;
                    for (var c = 0; c < columns; c++)
                    {
                        var x = m + c * colW;
                        p.Text(TextSource.Caps(rng, rng.Int(1, 2)), x, y, size * 0.75f, Palette.Gray(70), maxWidth: colW * 0.9f);
                        var field = new SKRect(x, y + size * 0.4f, x + colW - size, y + size * 2f);
                        if (rng.Chance(0.5)) p.Box(field, 0.8f, Palette.Gray(90)); else p.Rule(field.Left, field.Bottom, field.Right, field.Bottom, 0.8f, Palette.Gray(90));
                        if (rng.Chance(0.6)) p.Text(TextSource.Sentence(rng, rng.Int(1, 3)).TrimEnd('.', ':'), field.Left + size * 0.4f, field.Bottom - size * 0.45f, size, Palette.Ink(rng), maxWidth: field.Width - size);
                    }
                    y += size * 3.2f;
                    break;
                case 2:
                    // Check boxes.
                    for (var i = 0; i < rng.Int(2, 4) && y < bottom; i++, y += size * 1.6f)
                    {
                        var box = new SKRect(m, y - size * 0.8f, m + size, y + size * 0.2f);
                        p.Box(box, 0.8f);
                        if (rng.Chance(0.4)) p.Text("X", box.MidX, box.Bottom - size * 0.1f, size, Palette.Ink(rng), align: SKTextAlign.Center);
                        p.Text(TextSource.Sentence(rng, rng.Int(3, 8)), m + size * 1.6f, y, size * 0.9f, maxWidth: p.W - 3 * m);
                    }
                    y += size;
                    break;
                default:
                    y = Table(p, m, y, p.W - 2 * m, size, Math.Min(rng.Int(3, 8), (int)((bottom - y) / (size * 1.8f)) - 1), accent) + size * 1.5f;
                    break;
            }
        }
        if (rng.Chance(0.6)) Signature(p, p.W - m - p.W * 0.3f, p.H - m * 1.2f, p.W * 0.25f);
    }

    private static float Table(PageContext p, float x, float y, float width, float size, int rows, SKColor accent)
    {
        if (rows < 1) return y;
        var rng = p.Rng;
        var cols = rng.Int(3, 5);
        var rowH = size * 1.8f;
        var widths = new float[cols];
        widths[0] = width * rng.Range(0.3, 0.5);
        for (var c = 1; c < cols; c++) widths[c] = (width - widths[0]) / (cols - 1);
        var header = new SKRect(x, y, x + width, y + rowH);
        if (rng.Chance(0.6)) p.Box(header, 0.8f, accent, accent.WithAlpha(70));
        var grid = rng.Chance(0.6);
        for (var r = 0; r <= rows; r++)
        {
            var cx = x;
            var ty = y + r * rowH + rowH * 0.68f;
            for (var c = 0; c < cols; c++)
            {
                var text = r == 0 ? TextSource.Caps(rng, 1) : c == 0 ? TextSource.Sentence(rng, rng.Int(1, 3)).TrimEnd('.', ':') : TextSource.Amount(rng, 900);
                if (c == 0) p.Text(text, cx + size * 0.3f, ty, size * 0.85f, maxWidth: widths[c] - size * 0.5f);
                else p.Text(text, cx + widths[c] - size * 0.3f, ty, size * 0.85f, align: SKTextAlign.Right, maxWidth: widths[c]);
                if (grid) p.Box(new SKRect(cx, y + r * rowH, cx + widths[c], y + (r + 1) * rowH), 0.6f, Palette.Gray(100));
                cx += widths[c];
            }
            if (!grid) p.Rule(x, y + (r + 1) * rowH, x + width, y + (r + 1) * rowH, 0.5f, Palette.Gray(150));
        }
        return y + (rows + 1) * rowH;
    }

    private static void Receipt(PageContext p)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.06, 0.1);
        var size = p.W * rng.Range(0.045, 0.065);
        var y = m + size * 1.5f;
        p.Text(TextSource.Shop(rng), p.W / 2, y, size * rng.Range(1.2, 1.8), align: SKTextAlign.Center, face: rng.Chance(0.5) ? rng.Pick(p.Fonts.TextFaces) : null);
        y += size * 1.8f;
        for (var i = 0; i < rng.Int(2, 4); i++, y += size * 1.25f) p.Text(TextSource.Sentence(rng, rng.Int(2, 4)).TrimEnd('.').ToUpperInvariant(), p.W / 2, y, size * 0.85f, align: SKTextAlign.Center, maxWidth: p.W - 2 * m);
        p.Text(TextSource.Date(rng) + "  " + rng.Int(7, 22) + ":" + rng.Int(10, 59), m, y, size * 0.85f);
        y += size * 1.2f;
        p.Rule(m, y, p.W - m, y, 1, dashed: true);
        y += size * 1.5f;
        var items = rng.Int(3, 18);
        var bottomReserve = size * 9;
        for (var i = 0; i < items && y < p.H - bottomReserve; i++, y += size * 1.3f)
        {
            p.Text(TextSource.Caps(rng, rng.Int(1, 3)), m, y, size, maxWidth: p.W * 0.62f);
            p.Text(TextSource.Amount(rng, 60), p.W - m, y, size, align: SKTextAlign.Right);
        }
        p.Rule(m, y, p.W - m, y, 1, dashed: true);
        y += size * 1.6f;
        foreach (var label in new[] { "SUBTOTAL", "TAX", "TOTAL" })
        {
            if (y > p.H - size * 4) break;
            var big = label == "TOTAL" ? 1.3f : 1f;
            p.Text(label, m, y, size * big);
            p.Text(TextSource.Amount(rng, 300), p.W - m, y, size * big, align: SKTextAlign.Right);
            y += size * 1.5f * big;
        }
        if (y < p.H - size * 5)
        {
            // Barcode.
            var bx = m * 2;
            using var bar = new SKPaint { Color = p.Ink };
            var bh = size * 2.5f;
            while (bx < p.W - m * 2)
            {
                var w = rng.Range(0.6, 2.5) * p.W / 250;
                if (rng.Chance(0.55)) p.Canvas.DrawRect(bx, y, w, bh, bar);
                bx += w + rng.Range(0.5, 2) * p.W / 250;
            }
            y += bh + size * 1.4f;
        }
        if (y < p.H - size) p.Text("THANK YOU", p.W / 2, y, size, align: SKTextAlign.Center);
        // Thermal print fades unevenly.
        if (rng.Chance(0.5))
        {
            using var fade = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(p.W, p.H * rng.Range(-0.5, 0.5)),
                [SKColors.Transparent, Palette.Rgb(245, 243, 235, (byte)rng.Int(60, 160))], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { Shader = fade };
            p.Canvas.DrawRect(0, 0, p.W, p.H, paint);
        }
    }

    private static void Invoice(PageContext p)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.07, 0.1);
        var size = p.W * rng.Range(0.017, 0.023);
        var accent = Palette.Random(rng, 0.3, 0.7, 0.4, 0.9);
        Logo(p, m, m, size * 3);
        p.Text(rng.Chance(0.7) ? "INVOICE" : "QUOTATION", p.W - m, m + size * 2.2f, size * 2.2f, accent, align: SKTextAlign.Right);
        var y = m + size * 5;
        for (var i = 0; i < 4; i++, y += size * 1.3f)
        {
            p.Text(TextSource.Sentence(rng, rng.Int(2, 4)).TrimEnd('.', ':'), m, y, size * 0.9f, maxWidth: p.W * 0.4f);
            p.Text(i switch { 0 => "No. " + TextSource.Digits(rng, 6), 1 => TextSource.Date(rng), _ => TextSource.Caps(rng, 2) }, p.W - m, y, size * 0.9f, align: SKTextAlign.Right);
        }
        y += size * 2;
        y = Table(p, m, y, p.W - 2 * m, size, rng.Int(4, 12), accent) + size * 2;
        foreach (var label in new[] { "Subtotal", "VAT", "Total due" })
        {
            p.Text(label, p.W * 0.6f, y, size);
            p.Text(TextSource.Amount(rng, 5000), p.W - m, y, size, align: SKTextAlign.Right);
            y += size * 1.5f;
        }
        y += size;
        if (y < p.H - m * 2) p.Paragraph(m, y, p.W - 2 * m, size * 0.8f, rng.Int(2, 4), bottom: p.H - m);
    }

    private static void IdCard(PageContext p)
    {
        var rng = p.Rng;
        var size = p.H * rng.Range(0.06, 0.08);
        var accent = Palette.Random(rng, 0.25, 0.6, 0.4, 0.9);
        using var band = new SKPaint { Color = accent };
        p.Canvas.DrawRect(0, 0, p.W, p.H * 0.2f, band);
        p.Text(TextSource.Caps(rng, rng.Int(2, 3)), p.W * 0.05f, p.H * 0.14f, size * 1.1f, SKColors.White, maxWidth: p.W * 0.9f);
        // Wavy guilloche security pattern.
        using var wave = new SKPaint { Color = accent.WithAlpha(50), Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true };
        for (var k = 0; k < 8; k++)
        {
            using var path = new SKPathBuilder();
            path.MoveTo(0, p.H * (0.3f + k * 0.08f));
            for (var x = 0f; x <= p.W; x += p.W / 20) path.LineTo(x, p.H * (0.3f + k * 0.08f) + MathF.Sin(x / p.W * 12 + k) * p.H * 0.03f);
            p.Canvas.DrawPath(path, wave);
        }
        var photo = new SKRect(p.W * 0.05f, p.H * 0.28f, p.W * 0.3f, p.H * 0.9f);
        using var photoBg = new SKPaint { Color = Palette.Hsv(rng.Range(180, 230), 0.15, 0.85) };
        p.Canvas.DrawRect(photo, photoBg);
        using var skin = new SKPaint { Color = Palette.Skin(rng), IsAntialias = true };
        p.Canvas.DrawOval(photo.MidX, photo.Top + photo.Height * 0.4f, photo.Width * 0.24f, photo.Height * 0.22f, skin);
        using var clothes = new SKPaint { Color = Palette.Random(rng, 0.1, 0.5, 0, 0.6), IsAntialias = true };
        p.Canvas.DrawOval(photo.MidX, photo.Bottom, photo.Width * 0.45f, photo.Height * 0.3f, clothes);
        var y = p.H * 0.36f;
        for (var i = 0; i < 5 && y < p.H * 0.92f; i++, y += size * 1.6f)
        {
            p.Text(TextSource.Caps(rng, 1), p.W * 0.35f, y - size * 0.75f, size * 0.55f, Palette.Gray(100));
            p.Text(i == 2 ? TextSource.Date(rng) : TextSource.Caps(rng, rng.Int(1, 2)), p.W * 0.35f, y + size * 0.2f, size * 0.85f, maxWidth: p.W * 0.6f);
        }
        if (rng.Chance(0.5))
        {
            using var chip = new SKPaint { Color = Palette.Rgb(200, 170, 90), IsAntialias = true };
            p.Canvas.DrawRoundRect(p.W * 0.8f, p.H * 0.4f, p.W * 0.12f, p.H * 0.17f, 4, 4, chip);
        }
        Signature(p, p.W * 0.6f, p.H * 0.9f, p.W * 0.25f);
    }

    private static void Book(PageContext p)
    {
        var rng = p.Rng;
        p.Face = p.Fonts.TextFaces.FirstOrDefault(f => f.FamilyName.Contains("Serif", StringComparison.Ordinal) && !f.FamilyName.Contains("Sans", StringComparison.Ordinal)) is { } serif && rng.Chance(0.6) ? serif : p.Face;
        var m = p.W * rng.Range(0.08, 0.12);
        var size = p.W * rng.Range(0.02, 0.03);
        var y = m + size;
        if (rng.Chance(0.3))
        {
            y += size * 3;
            p.Text("Chapter " + rng.Int(1, 30), p.W / 2, y, size * 1.8f, align: SKTextAlign.Center);
            y += size * 3;
        }
        else
        {
            p.Text(TextSource.Caps(rng, 3), p.W / 2, y, size * 0.75f, Palette.Gray(90), align: SKTextAlign.Center);
            y += size * 2;
        }
        var bottom = p.H - m * 1.3f;
        while (y < bottom) y = p.Paragraph(m, y, p.W - 2 * m, size, rng.Int(4, 12), 1.35f, bottom) + size * 0.3f;
        p.Text(rng.Int(2, 400).ToString(System.Globalization.CultureInfo.InvariantCulture), p.W / 2, p.H - m * 0.5f, size * 0.85f, align: SKTextAlign.Center);
        // Gutter shadow where the page curves into the binding.
        var left = rng.Chance(0.5);
        using var shade = SKShader.CreateLinearGradient(new SKPoint(left ? 0 : p.W, 0), new SKPoint(left ? p.W * 0.15f : p.W * 0.85f, 0),
            [new SKColor(0, 0, 0, 90), SKColors.Transparent], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shade };
        p.Canvas.DrawRect(0, 0, p.W, p.H, paint);
    }

    private static void Handwritten(PageContext p, bool lined)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.06, 0.1);
        var lineGap = p.W * rng.Range(0.05, 0.09);
        if (lined)
        {
            for (var y = m * 1.5f; y < p.H - m * 0.5f; y += lineGap) p.Rule(0, y, p.W, y, 0.8f, Palette.Rgb(120, 160, 210, 160));
            if (rng.Chance(0.6)) p.Rule(m * 1.2f, 0, m * 1.2f, p.H, 0.8f, Palette.Rgb(220, 100, 110, 170));
        }
        var pen = rng.Chance(0.5) ? Palette.Rgb(rng.Int(10, 40), rng.Int(30, 60), rng.Int(120, 180)) : rng.Chance(0.7) ? Palette.Gray(rng.Int(15, 60)) : Palette.Random(rng, 0.3, 0.6, 0.6, 1);
        var handFace = p.Fonts.HandFaces.Count > 0 && rng.Chance(0.6) ? rng.Pick(p.Fonts.HandFaces) : null;
        var y0 = m * 1.5f - lineGap * 0.2f + (lined ? 0 : lineGap);
        var lines = (int)((p.H - y0 - m) / lineGap);
        for (var i = 0; i < lines; i++)
        {
            var y = y0 + i * lineGap;
            var x = m * 1.5f + rng.Range(0, m * 0.5f);
            var right = p.W - m * rng.Range(0.5, 2.5);
            if (handFace is not null)
            {
                p.Canvas.Save();
                p.Canvas.RotateDegrees(rng.Range(-1.5, 1.5), x, y);
                p.Text(TextSource.Sentence(rng, rng.Int(3, 9)), x, y, lineGap * rng.Range(0.55, 0.8), pen, handFace, maxWidth: right - x);
                p.Canvas.Restore();
            }
            else
            {
                Scribble(p, x, y, right, lineGap * rng.Range(0.35, 0.5), pen);
            }
            if (rng.Chance(0.12)) i++;
        }
    }

    /// <summary>Cursive-like pen strokes: words of connected loops with gaps between words.</summary>
    private static void Scribble(PageContext p, float x, float y, float right, float height, SKColor color)
    {
        var rng = p.Rng;
        using var pen = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, height * rng.Range(0.08, 0.14)), IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        while (x < right)
        {
            using var path = new SKPathBuilder();
            var letters = rng.Int(2, 8);
            path.MoveTo(x, y);
            for (var k = 0; k < letters && x < right; k++)
            {
                var w = height * rng.Range(0.45, 0.8);
                var up = rng.Chance(0.2) ? height * 1.6f : height * rng.Range(0.6, 1);
                var down = rng.Chance(0.1) ? -height * 0.8f : 0;
                path.CubicTo(x + w * 0.1f, y - up, x + w * 0.7f, y - up * rng.Range(0.6, 1.1), x + w * 0.5f, y - down);
                path.QuadTo(x + w * 0.7f, y + height * 0.1f, x + w, y);
                x += w;
            }
            p.Canvas.DrawPath(path, pen);
            x += height * rng.Range(0.5, 1.0);
        }
    }

    private static void Report(PageContext p)
    {
        var rng = p.Rng;
        var m = p.W * rng.Range(0.07, 0.11);
        var size = p.W * rng.Range(0.016, 0.024);
        var accent = Palette.Random(rng, 0.3, 0.7, 0.4, 0.9);
        var y = m + size * 2;
        p.Text(TextSource.Title(rng), m, y, size * 2f, accent);
        y += size * 2.5f;
        var bottom = p.H - m;
        var twoColumns = rng.Chance(0.3);
        var colW = twoColumns ? (p.W - 2 * m - size) / 2 : p.W - 2 * m;
        var top = y;
        for (var col = 0; col < (twoColumns ? 2 : 1); col++)
        {
            y = top;
            var x = m + col * (colW + size);
            while (y < bottom - size * 4)
            {
                var pick = rng.Int(0, 6);
                if (pick == 0)
                {
                    p.Text(TextSource.Sentence(rng, rng.Int(2, 5)).TrimEnd('.', ':'), x, y, size * 1.25f, face: p.Face, maxWidth: colW);
                    y += size * 2f;
                }
                else if (pick == 1 && bottom - y > size * 12)
                {
                    y = Chart(p, x, y, colW, size * 10, accent) + size * 1.5f;
                }
                else if (pick == 2)
                {
                    for (var i = 0; i < rng.Int(2, 5) && y < bottom; i++, y += size * 1.5f)
                    {
                        using (var bullet = new SKPaint { Color = p.Ink, IsAntialias = true }) p.Canvas.DrawCircle(x + size * 0.4f, y - size * 0.35f, size * 0.18f, bullet);
                        p.Text(TextSource.Sentence(rng, rng.Int(3, 9)), x + size * 1.2f, y, size, maxWidth: colW - size * 1.2f);
                    }
                    y += size * 0.5f;
                }
                else
                {
                    y = p.Paragraph(x, y, colW, size, rng.Int(3, 9), 1.45f, bottom) + size * 0.8f;
                }
            }
        }
    }

    private static float Chart(PageContext p, float x, float y, float width, float height, SKColor accent)
    {
        var rng = p.Rng;
        var bars = rng.Int(4, 10);
        using var paint = new SKPaint { Color = accent, IsAntialias = true };
        p.Rule(x, y + height, x + width, y + height, 1, Palette.Gray(80));
        p.Rule(x, y, x, y + height, 1, Palette.Gray(80));
        var bw = width / bars;
        for (var i = 0; i < bars; i++)
        {
            var h = height * rng.Range(0.15, 0.95);
            paint.Color = i % 2 == 0 ? accent : Palette.Scale(accent, 0.7);
            p.Canvas.DrawRect(x + i * bw + bw * 0.15f, y + height - h, bw * 0.7f, h, paint);
        }
        return y + height;
    }

    /// <summary>Paper wear: crease lines, faint smudges, punched holes.</summary>
    private static void Wear(PageContext p, string layout)
    {
        var rng = p.Rng;
        if (rng.Chance(0.35))
        {
            var horizontal = layout != "receipt" || rng.Chance(0.8);
            var at = rng.Range(0.3, 0.7);
            using var crease = new SKPaint { Color = new SKColor(0, 0, 0, (byte)rng.Int(15, 45)), StrokeWidth = rng.Range(1, 2.5), IsAntialias = true };
            if (horizontal) p.Canvas.DrawLine(0, p.H * at, p.W, p.H * at + rng.Range(-5, 5), crease);
            else p.Canvas.DrawLine(p.W * at, 0, p.W * at + rng.Range(-5, 5), p.H, crease);
        }
        if (rng.Chance(0.2))
        {
            using var smudge = new SKPaint { Color = Palette.Rgb(120, 100, 60, (byte)rng.Int(10, 35)), ImageFilter = SKImageFilter.CreateBlur(8, 8) };
            p.Canvas.DrawCircle(rng.Range(0, p.W), rng.Range(0, p.H), p.W * rng.Range(0.05, 0.15), smudge);
        }
        if (layout is "letter" or "report" or "form" && rng.Chance(0.15))
        {
            using var hole = new SKPaint { Color = Palette.Gray(60, 200), IsAntialias = true };
            for (var k = 0; k < 2; k++) p.Canvas.DrawCircle(p.W * 0.04f, p.H * (0.35f + 0.3f * k), p.W * 0.015f, hole);
        }
    }
}
