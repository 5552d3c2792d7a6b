using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>
/// Version 2: builds the scene in front of the camera at sensor resolution (a page on a surface, a display in a room,
/// or an everyday subject), then develops it with <see cref="CameraModel"/>. Version 3 draws most displays from further
/// away (<see cref="DisplayScene"/>) into phone-shaped frames (<see cref="SampleRenderer"/>); version 4 puts photographs
/// rendered here on the displays (<see cref="ScreenContent"/>).
/// </summary>
internal static class RealisticRenderer
{
    /// <summary>Sensor pixels per output pixel: the scene is built larger, as a phone sensor is, then downscaled.</summary>
    internal const float SensorScale = 1.25f;

    public static SKBitmap Render(DocumentClass label, SampleRandom rng, int width, int height, SceneAssets assets, SampleCues cues, GeneratorVersion version)
    {
        var sw = Math.Max(16, (int)(width * SensorScale));
        var sh = Math.Max(16, (int)(height * SensorScale));
        using var sensor = new SKBitmap(new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(sensor))
        {
            var frame = new SKRect(0, 0, sw, sh);
            switch (label)
            {
                case DocumentClass.Document: PaperScene.Draw(canvas, sensor, frame, rng.Fork(), assets, cues); break;
                case DocumentClass.Screen: DisplayScene.Draw(canvas, sensor, frame, rng.Fork(), assets, cues, version); break;
                default: SubjectScene.Draw(canvas, sensor, frame, rng.Fork(), assets, cues); break;
            }
        }
        return CameraModel.Develop(sensor, width, height, rng.Fork(), cues);
    }
}

/// <summary>Photographed paper: a page with perspective, bends and folds, lying on a surface or held in a hand, unevenly lit.</summary>
internal static class PaperScene
{
    public static void Draw(SKCanvas canvas, SKBitmap sensor, SKRect frame, SampleRandom rng, SceneAssets assets, SampleCues cues)
    {
        cues.Background = Surfaces.Draw(canvas, frame, rng, assets.Photos, sensor);
        if (rng.Chance(0.5))
        {
            // A brightly lit desk: without it, exposing for the white page would leave every background dark,
            // and a dark frame border would become a cue for "document".
            using var light = new SKPaint { Color = SKColors.White.WithAlpha((byte)rng.Int(40, 140)), BlendMode = SKBlendMode.Screen };
            canvas.DrawRect(frame, light);
        }
        var layout = DocumentPages.PickLayout(rng);
        cues.Layout = layout;
        var aspect = DocumentPages.AspectOf(layout, rng);
        var unit = Math.Min(frame.Width, frame.Height);
        // Fill: from a page small on the desk to a close-up that crops the page edges.
        var fill = rng.Weighted([0.7, 3, 2.6]) switch { 0 => rng.Range(0.35, 0.6), 1 => rng.Range(0.6, 0.9), _ => rng.Range(0.9, 1.35) };
        var pageHeightPx = unit * fill;
        var scale = MathF.Min(pageHeightPx / aspect, frame.Width * fill * 1.1f);
        var pose = new CameraPose(aspect,
            frame.MidX + rng.Range(-0.12, 0.12) * frame.Width, frame.MidY + rng.Range(-0.12, 0.12) * frame.Height,
            scale, rng.Range(-25, 25), rng.Range(-35, 35), rng.Chance(0.7) ? rng.Range(-12, 12) : rng.Range(-90, 90), rng.Range(1.4, 6));
        var textureWidth = (int)Math.Clamp(scale * 0.9f, 120, 800);
        using var page = DocumentPages.Render(layout, aspect, textureWidth, rng.Fork(), assets.Fonts);

        var bend = PageBend.Pick(rng, layout);
        cues.Content = bend.Kind;
        var mesh = PageMesh.Build(pose, bend, page.Width, page.Height, rng);
        cues.Perspective = Math.Round(CameraPose.Keystone(pose.Corners()), 3);

        if (rng.Chance(0.3)) Underlay(canvas, pose, rng);
        mesh.DrawShadow(canvas, rng);
        mesh.Draw(canvas, page);
        var held = rng.Chance(0.2);
        if (held) Hands.Thumb(canvas, pose, rng);
        cues.Device = held ? "hand" : "none";
        if (rng.Chance(0.35)) Props.Scatter(canvas, frame, rng);
        // Objects beside the page too, so that an object in view never tells "not a document".
        if (assets.Photos.Cutouts.Count > 0 && rng.Chance(0.2)) assets.Photos.Cutouts.Place(canvas, frame, rng, 0.2, 0.45);
        cues.Lighting = Lighting.Apply(canvas, frame, rng);
    }

    /// <summary>Another sheet or a folder partly under the page.</summary>
    private static void Underlay(SKCanvas canvas, CameraPose pose, SampleRandom rng)
    {
        var quad = pose.Corners();
        var shift = new SKPoint(rng.Range(-60, 60), rng.Range(-60, 60));
        using var builder = new SKPathBuilder();
        builder.MoveTo(quad[0] + shift);
        for (var k = 1; k < 4; k++) builder.LineTo(quad[k] + shift);
        builder.Close();
        using var paint = new SKPaint { Color = rng.Chance(0.6) ? Palette.Gray(rng.Int(215, 245)) : Palette.Random(rng, 0.4, 0.9, 0.3, 0.8), IsAntialias = true };
        canvas.DrawPath(builder, paint);
    }
}

/// <summary>Shape of a page that is not flat: arched, folded, curled at a corner, or wavy like a receipt.</summary>
internal readonly record struct PageBend(string Kind, float Amount, float Position, float Frequency)
{
    public static PageBend Pick(SampleRandom rng, string layout)
    {
        var kind = layout == "receipt"
            ? rng.Pick(new[] { "flat", "wave", "wave", "arch", "curl" })
            : layout == "id-card" ? "flat" : rng.Pick(new[] { "flat", "flat", "arch", "fold", "curl", "wave" });
        return new PageBend(kind, rng.Range(0.02, kind == "wave" ? 0.05 : 0.12) * (rng.Chance(0.5) ? 1 : -1), rng.Range(0.3, 0.7), rng.Range(1, 3));
    }

    /// <summary>Height of the surface at (u, v), in page widths.</summary>
    public float Height(float u, float v) => Kind switch
    {
        "arch" => Amount * MathF.Sin(MathF.PI * u),
        "fold" => Amount * (1 - MathF.Abs(v - Position) / MathF.Max(Position, 1 - Position)),
        "curl" => MathF.Abs(Amount) * 4 * MathF.Pow(MathF.Max(0, u + v - 1.4f), 2),
        "wave" => Amount * MathF.Sin(MathF.Tau * Frequency * v),
        _ => 0,
    };
}

/// <summary>A page as a triangle mesh: vertices projected from the bent surface, shaded by the surface slope.</summary>
internal sealed class PageMesh
{
    private const int Columns = 10;
    private const int Rows = 14;
    private readonly SKPoint[] positions;
    private readonly SKPoint[] texture;
    private readonly SKColor[] shades;
    private readonly ushort[] indices;

    private PageMesh(SKPoint[] positions, SKPoint[] texture, SKColor[] shades, ushort[] indices)
    {
        this.positions = positions;
        this.texture = texture;
        this.shades = shades;
        this.indices = indices;
    }

    public static PageMesh Build(CameraPose pose, PageBend bend, int textureWidth, int textureHeight, SampleRandom rng)
    {
        var count = (Columns + 1) * (Rows + 1);
        var positions = new SKPoint[count];
        var texture = new SKPoint[count];
        var shades = new SKColor[count];
        var lightU = rng.Range(-1, 1);
        var lightV = rng.Range(-1, 1);
        for (var j = 0; j <= Rows; j++)
        {
            for (var i = 0; i <= Columns; i++)
            {
                float u = i / (float)Columns, v = j / (float)Rows;
                var k = j * (Columns + 1) + i;
                positions[k] = pose.Project(u, v, bend.Height(u, v));
                texture[k] = new SKPoint(u * (textureWidth - 1), v * (textureHeight - 1));
                const float d = 0.02f;
                var du = (bend.Height(u + d, v) - bend.Height(u - d, v)) / (2 * d);
                var dv = (bend.Height(u, v + d) - bend.Height(u, v - d)) / (2 * d);
                var shade = Math.Clamp(0.93f + 1.6f * (du * lightU + dv * lightV), 0.55f, 1f);
                var g = (byte)(shade * 255);
                shades[k] = new SKColor(g, g, g);
            }
        }
        var indices = new ushort[Columns * Rows * 6];
        var n = 0;
        for (var j = 0; j < Rows; j++)
        {
            for (var i = 0; i < Columns; i++)
            {
                var a = (ushort)(j * (Columns + 1) + i);
                var b = (ushort)(a + 1);
                var c = (ushort)(a + Columns + 1);
                var e = (ushort)(c + 1);
                indices[n++] = a; indices[n++] = b; indices[n++] = c;
                indices[n++] = b; indices[n++] = e; indices[n++] = c;
            }
        }
        return new PageMesh(positions, texture, shades, indices);
    }

    public void Draw(SKCanvas canvas, SKBitmap page)
    {
        // Immutable bitmaps are wrapped without copying their pixels.
        page.SetImmutable();
        using var image = SKImage.FromBitmap(page);
        // The texture is rendered near its on-screen size, so bilinear without mipmaps is enough (and much cheaper).
        using var shader = image.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        canvas.DrawVertices(SKVertexMode.Triangles, positions, texture, shades, SKBlendMode.Modulate, indices, paint);
    }

    /// <summary>Soft contact shadow of the page outline, offset away from the light.</summary>
    public void DrawShadow(SKCanvas canvas, SampleRandom rng)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(positions[0]);
        for (var i = 1; i <= Columns; i++) builder.LineTo(positions[i]);
        for (var j = 1; j <= Rows; j++) builder.LineTo(positions[j * (Columns + 1) + Columns]);
        for (var i = Columns - 1; i >= 0; i--) builder.LineTo(positions[Rows * (Columns + 1) + i]);
        for (var j = Rows - 1; j > 0; j--) builder.LineTo(positions[j * (Columns + 1)]);
        builder.Close();
        var sigma = rng.Range(2, 10);
        using var blur = SKImageFilter.CreateBlur(sigma, sigma);
        using var paint = new SKPaint { Color = new SKColor(0, 0, 0, (byte)rng.Int(50, 140)), ImageFilter = blur, IsAntialias = true };
        canvas.Save();
        canvas.Translate(rng.Range(-1, 4) * sigma * 0.5f, rng.Range(0, 4) * sigma * 0.5f);
        canvas.DrawPath(builder, paint);
        canvas.Restore();
    }
}

/// <summary>Hands holding the thing being photographed.</summary>
internal static class Hands
{
    /// <summary>A thumb over one edge of the object and the hand's palm beyond that edge.</summary>
    public static void Thumb(SKCanvas canvas, CameraPose pose, SampleRandom rng)
    {
        var side = rng.Int(0, 3);
        var t = rng.Range(0.3, 0.7);
        (float u, float v, float du, float dv) = side switch
        {
            0 => (t, 1f, 0f, -1f),
            1 => (0f, t, 1f, 0f),
            2 => (1f, t, -1f, 0f),
            _ => (t, 0f, 0f, 1f),
        };
        var edge = pose.Project(u, v);
        var inward = pose.Project(u + du * 0.1f, v + dv * 0.1f);
        var dir = inward - edge;
        var len = dir.Length;
        if (len < 1) return;
        var angle = MathF.Atan2(dir.Y, dir.X) * 180 / MathF.PI;
        var skin = Palette.Skin(rng);
        canvas.Save();
        canvas.Translate(edge.X, edge.Y);
        canvas.RotateDegrees(angle);
        var size = len * rng.Range(1.8, 3.2);
        // Palm and forearm reach in from outside the frame, behind the held edge; the thumb lies over it.
        using var arm = SKShader.CreateLinearGradient(new SKPoint(0, -size * 0.6f), new SKPoint(0, size * 0.6f),
            [Palette.Scale(skin, 0.7), Palette.Scale(skin, 0.95), Palette.Scale(skin, 0.65)], SKShaderTileMode.Clamp);
        using var palm = new SKPaint { Shader = arm, IsAntialias = true };
        canvas.DrawRoundRect(-size * 6, -size * 0.55f, size * 6.1f, size * 1.1f, size * 0.45f, size * 0.45f, palm);
        using var shading = SKShader.CreateLinearGradient(new SKPoint(0, -size * 0.2f), new SKPoint(0, size * 0.2f),
            [Palette.Scale(skin, 0.8), skin, Palette.Scale(skin, 0.7)], SKShaderTileMode.Clamp);
        using var thumb = new SKPaint { Shader = shading, IsAntialias = true };
        canvas.DrawRoundRect(-size * 0.3f, -size * 0.17f, size * 0.75f, size * 0.34f, size * 0.17f, size * 0.17f, thumb);
        using var nail = new SKPaint { Color = Palette.Mix(skin, SKColors.White, 0.35), IsAntialias = true };
        canvas.DrawRoundRect(size * 0.22f, -size * 0.1f, size * 0.18f, size * 0.2f, size * 0.08f, size * 0.08f, nail);
        canvas.Restore();
    }
}

/// <summary>Things that lie around on a desk: pens, a phone, a mug, coins.</summary>
internal static class Props
{
    public static void Scatter(SKCanvas canvas, SKRect frame, SampleRandom rng)
    {
        var unit = Math.Min(frame.Width, frame.Height);
        for (var k = 0; k < rng.Int(1, 2); k++)
        {
            var x = frame.Left + rng.Range(0, 1) * frame.Width;
            var y = frame.Top + rng.Range(0, 1) * frame.Height;
            canvas.Save();
            canvas.RotateDegrees(rng.Range(0, 360), x, y);
            using var paint = new SKPaint { IsAntialias = true, Color = Palette.Random(rng, 0.1, 0.9, 0, 0.9) };
            switch (rng.Int(0, 2))
            {
                case 0:
                    canvas.DrawRoundRect(x, y, unit * 0.35f, unit * 0.025f, unit * 0.012f, unit * 0.012f, paint);
                    break;
                case 1:
                    paint.Color = Palette.Gray(rng.Int(10, 40));
                    canvas.DrawRoundRect(x, y, unit * 0.18f, unit * 0.36f, unit * 0.02f, unit * 0.02f, paint);
                    break;
                default:
                    canvas.DrawCircle(x, y, unit * 0.1f, paint);
                    paint.Color = Palette.Hsv(25, 0.6, 0.3);
                    canvas.DrawCircle(x, y, unit * 0.08f, paint);
                    break;
            }
            canvas.Restore();
        }
    }
}

/// <summary>Scene lighting applied after the objects: uneven illumination, a cast shadow, a colour cast, sometimes glare.</summary>
internal static class Lighting
{
    public static string Apply(SKCanvas canvas, SKRect frame, SampleRandom rng)
    {
        var kind = rng.Pick(new[] { "even", "gradient", "shadow", "spot", "gradient" });
        switch (kind)
        {
            case "gradient":
            {
                var a = rng.Range(0, MathF.Tau);
                var d = new SKPoint(MathF.Cos(a) * frame.Width / 2, MathF.Sin(a) * frame.Height / 2);
                using var shader = SKShader.CreateLinearGradient(new SKPoint(frame.MidX - d.X, frame.MidY - d.Y), new SKPoint(frame.MidX + d.X, frame.MidY + d.Y),
                    [SKColors.Transparent, new SKColor(0, 0, 0, (byte)rng.Int(40, 150))], SKShaderTileMode.Clamp);
                using var paint = new SKPaint { Shader = shader };
                canvas.DrawRect(frame, paint);
                break;
            }
            case "shadow":
            {
                // The photographer's (or phone's) shadow: a large soft blob crossing part of the frame.
                using var builder = new SKPathBuilder();
                var x = frame.Left + rng.Range(-0.3, 0.7) * frame.Width;
                var y = frame.Top + rng.Range(-0.3, 0.7) * frame.Height;
                builder.AddOval(new SKRect(x, y, x + frame.Width * rng.Range(0.4, 0.9), y + frame.Height * rng.Range(0.5, 1.2)), SKPathDirection.Clockwise);
                var sigma = frame.Width * rng.Range(0.02, 0.08);
                using var blur = SKImageFilter.CreateBlur(sigma, sigma);
                using var paint = new SKPaint { Color = new SKColor(0, 0, 0, (byte)rng.Int(40, 120)), ImageFilter = blur };
                canvas.DrawPath(builder, paint);
                break;
            }
            case "spot":
            {
                using var shader = SKShader.CreateRadialGradient(new SKPoint(frame.Left + rng.Range(0.2, 0.8) * frame.Width, frame.Top + rng.Range(0.2, 0.8) * frame.Height),
                    frame.Width * rng.Range(0.3, 0.7), [new SKColor(255, 250, 235, (byte)rng.Int(30, 90)), SKColors.Transparent], SKShaderTileMode.Clamp);
                using var paint = new SKPaint { Shader = shader, BlendMode = SKBlendMode.Screen };
                canvas.DrawRect(frame, paint);
                break;
            }
        }
        // Warm lamps, cool daylight, greenish fluorescent tubes.
        var cast = rng.Weighted([3, 2, 2, 1]) switch
        {
            0 => SKColors.Transparent,
            1 => new SKColor(255, 170, 80, (byte)rng.Int(10, 40)),
            2 => new SKColor(90, 140, 255, (byte)rng.Int(10, 35)),
            _ => new SKColor(140, 255, 140, (byte)rng.Int(8, 25)),
        };
        if (cast.Alpha > 0)
        {
            using var paint = new SKPaint { Color = cast, BlendMode = SKBlendMode.Multiply };
            canvas.DrawRect(frame, paint);
        }
        return kind;
    }
}

/// <summary>Everyday subjects photographed directly: real photos when available, otherwise synthetic scenes.</summary>
internal static class SubjectScene
{
    public static void Draw(SKCanvas canvas, SKBitmap sensor, SKRect frame, SampleRandom rng, SceneAssets assets, SampleCues cues)
    {
        var usePhoto = assets.Photos.Count > 0 && rng.Chance(0.35);
        if (!usePhoto && assets.Photos.Cutouts.Count > 0 && rng.Chance(0.35))
        {
            // Photographed objects on a table, a floor or in front of a scene, as most real "other" photos are.
            cues.Layout = "objects";
            cues.Background = assets.Photos.Count == 0 || rng.Chance(0.7) ? Surfaces.Draw(canvas, frame, rng, assets.Photos, sensor) : "photo";
            if (cues.Background == "photo" && assets.Photos.PickDetailed(rng) is { } backdrop) PhotoPlacement.DrawCover(canvas, backdrop, frame, rng, null, 1, 1.5);
            var count = rng.Weighted([3, 1.5, 0.7]) + 1;
            for (var k = 0; k < count; k++) assets.Photos.Cutouts.Place(canvas, frame, rng, count == 1 ? 0.55 : 0.3, count == 1 ? 0.95 : 0.6);
        }
        else if (usePhoto)
        {
            cues.Layout = "photo";
            var photo = assets.Photos.PickDetailed(rng);
            if (photo is not null) PhotoPlacement.DrawCover(canvas, photo, frame, rng, null, 1, 1.5);
            cues.Background = "photo";
        }
        else
        {
            var kind = Scenes.PickKind(rng);
            cues.Layout = kind;
            cues.Background = kind is "products" or "food" or "packaging" or "blank-paper" or "keyboard" ? "surface" : "scene";
            // Synthetic scenes are drawn with a slight camera tilt, like a handheld shot, and toned down: flat
            // drawing colours are far more saturated than a photographed room or street.
            using var muted = Palette.Saturation(rng.Range(0.3, 0.75));
            using var layer = new SKPaint { ColorFilter = muted };
            canvas.SaveLayer(layer);
            var tilt = rng.Range(-6, 6);
            cues.Perspective = Math.Round(Math.Abs(tilt) / 45.0, 3);
            canvas.RotateDegrees(tilt, frame.MidX, frame.MidY);
            var grow = 1.15f;
            var r = new SKRect(frame.MidX - frame.Width * grow / 2, frame.MidY - frame.Height * grow / 2, frame.MidX + frame.Width * grow / 2, frame.MidY + frame.Height * grow / 2);
            Scenes.Draw(canvas, r, kind, rng, assets);
            canvas.Restore();
            // Real surfaces are never flat colour: fine texture (fabric, plaster, grain, foliage) over the drawing.
            // Drawn after the tilted, muted layer (black darkening is unchanged by desaturation; the texture has no
            // direction worth tilting), so that it can be written straight into the sensor pixels.
            Surfaces.Noise(canvas, frame, SKColors.Black, rng.Range(0.08, 0.22), rng.Range(0.15, 0.6), rng.Range(0.15, 0.6), 1, rng.Range(0, 100), pixels: sensor);
            Surfaces.Noise(canvas, frame, SKColors.Black, rng.Range(0.1, 0.25), rng.Range(0.02, 0.06), rng.Range(0.02, 0.06), 3, rng.Range(0, 100), pixels: sensor);
        }
        cues.Lighting = rng.Chance(0.5) ? Lighting.Apply(canvas, frame, rng) : "natural";
    }
}
