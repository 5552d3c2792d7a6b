using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// A photographed display: monitors, laptops, phones, tablets and TVs in a room, or close-ups that show only the
/// panel. The content is emitted through a sub-pixel grid placed by a perspective map, so moire comes from real
/// aliasing between the grid and the sensor, not from a painted pattern.
/// </summary>
internal static class DisplayScene
{
    public static readonly string[] Devices = ["monitor", "laptop", "phone", "tablet", "tv", "closeup", "fullframe"];

    /// <summary>Largest display resolution rendered per sample (content drawing cost grows with it).</summary>
    private const int MaxDisplayPixels = 400_000;

    /// <summary>Fine sensor pixels per scene pixel along each axis for distant displays (a phone's 4000-pixel sensor
    /// saved at a few hundred pixels averages far more; four is enough to remove the grid and keep the moire).</summary>
    private const int Supersample = 4;

    /// <summary>Fine buffer size above which the factor drops below <see cref="Supersample"/> (never below 2).</summary>
    private const double MaxSupersampledPixels = 1_600_000;

    /// <summary>Draws a device (or a bezel-less close-up of a panel) in a room. Version 3 photographs most displays from a
    /// distance at which the camera does not resolve their pixels (<see cref="DrawSupersampled"/>); version 4 shows
    /// photographs of the other classes where v2 shows pictures (<see cref="ScreenContent.Render"/>); version 5 adds
    /// panels that fill the frame with their grid unresolved and aliased into moire.</summary>
    public static void Draw(SKCanvas canvas, SKBitmap sensor, SKRect frame, SampleRandom rng, SceneAssets assets, SampleCues cues, GeneratorVersion version)
    {
        var distantDisplays = version == GeneratorVersion.Photographic;
        // Full-frame recaptures exist from v5 on; earlier versions keep their draw so their datasets do not change.
        var device = version == GeneratorVersion.FullFrame
            ? Devices[rng.Weighted([2, 2, 1.6, 1, 1, 2.6, 2.6])]
            : Devices[rng.Weighted([2, 2, 1.6, 1, 1, 2.6])];
        var fullFrame = device == "fullframe";
        var bezelless = fullFrame || device == "closeup";
        cues.Device = device;
        cues.Bezel = !bezelless;
        cues.Background = Room(canvas, sensor, frame, rng, assets);
        if (assets.Photos.Cutouts.Count > 0 && rng.Chance(0.2)) assets.Photos.Cutouts.Place(canvas, frame, rng, 0.2, 0.45);

        var portrait = device is "phone" ? rng.Chance(0.75) : device == "tablet" && rng.Chance(0.5);
        var aspect = device switch
        {
            "phone" => rng.Range(1.8, 2.2),
            "tablet" => rng.Range(1.33, 1.5),
            "laptop" => rng.Range(1.5, 1.78),
            "closeup" or "fullframe" => rng.Range(1.33, 1.78),
            _ => 16f / 9,
        };
        aspect = portrait ? aspect : 1 / aspect;
        var unit = Math.Min(frame.Width, frame.Height);
        // A full-frame panel covers the frame's shorter side too (a landscape one is cropped left and right, as a phone
        // photo of a monitor is) and is held nearly square on, so its edges show at a corner or two at most.
        var widthFill = device == "closeup" ? rng.Range(1.3, 3.5)
            : fullFrame ? rng.Range(0.95, 1.3) * MathF.Max(1, frame.Height / (frame.Width * aspect))
            : rng.Range(0.45, 1.0) * (portrait ? 0.6f : 1f);
        var scale = MathF.Min(frame.Width * widthFill, bezelless ? float.MaxValue : unit * 0.95f / aspect);
        var pose = fullFrame
            ? new CameraPose(aspect, frame.MidX + rng.Range(-0.05, 0.05) * frame.Width, frame.MidY + rng.Range(-0.05, 0.05) * frame.Height,
                scale, rng.Range(-15, 15), rng.Range(-12, 12), rng.Range(-6, 6), rng.Range(1.5, 5))
            : new CameraPose(aspect,
                frame.MidX + rng.Range(-0.1, 0.1) * frame.Width, frame.MidY + rng.Range(-0.1, 0.1) * frame.Height,
                scale, rng.Range(-30, 30), rng.Range(-25, 25), rng.Chance(0.75) ? rng.Range(-8, 8) : rng.Range(-25, 25), rng.Range(1.3, 5));
        var quad = pose.Corners();
        cues.Perspective = Math.Round(CameraPose.Keystone(quad), 3);

        if (!bezelless) Body(canvas, pose, device, aspect, rng, assets.Fonts);

        // A distant display is drawn at Supersample times the sensor resolution with its own pitch there; the pitch in
        // sensor pixels is that divided by Supersample: 0.15-0.6, as a phone's whole-screen photo saved at a few hundred
        // pixels (a 1920-pixel monitor across 300 output pixels is 0.16). Large displays reach the content cap first.
        // Close-ups stay near: without a bezel, a panel whose pixels are not resolved looks like what it shows.
        // A full-frame panel is sampled finely too, at a pitch where the sub-pixel period is near the fine sampling
        // period (subpixel pitch 0.6-1.4 fine pixels), so that it aliases strongly into bands across the picture.
        var distant = fullFrame || (distantDisplays && device != "closeup" && rng.Chance(0.8));
        var fine = distant ? Supersample : 1;
        // Display pixel pitch in (fine) sensor pixels: below ~3 the sub-pixel stripes alias into moire; above, they resolve.
        var pitch = fullFrame
            ? rng.Range(1.8, 4.2)
            : distant
            ? rng.Range(0.6, 2.4)
            : device == "closeup"
                ? rng.Weighted([2, 3, 0.7]) switch { 0 => rng.Range(1.2, 3), 1 => rng.Range(3, 7), _ => rng.Range(7, 14) }
                : rng.Weighted([2, 3, 1]) switch { 0 => rng.Range(0.7, 1.6), 1 => rng.Range(1.6, 3.2), _ => rng.Range(3.2, 5) };
        var displayW = Math.Max(8, (int)(scale * fine / pitch));
        var displayH = Math.Max(8, (int)(displayW * aspect));
        if ((long)displayW * displayH > MaxDisplayPixels)
        {
            var shrink = MathF.Sqrt(MaxDisplayPixels / (float)((long)displayW * displayH));
            displayW = Math.Max(8, (int)(displayW * shrink));
            displayH = Math.Max(8, (int)(displayH * shrink));
            pitch = scale * fine / displayW;
        }
        cues.PixelPitch = Math.Round(pitch / fine / RealisticRenderer.SensorScale, 3);
        var subpixelPitch = pitch / SubpixelDisplay.Factor;
        // Aliasing is strongest when the sub-pixel period is near the sensor's sampling period.
        var moire = Math.Exp(-Math.Pow(Math.Log(subpixelPitch / 0.9), 2) / 0.6);

        var kind = ScreenContent.PickKind(rng, assets.Photos.Count > 0);
        var photographs = version is GeneratorVersion.Recaptured or GeneratorVersion.FullFrame;
        cues.Content = photographs && ScreenContent.IsPicture(kind) ? "photograph" : kind;
        using var content = ScreenContent.Render(kind, displayW, displayH, rng.Fork(), assets, photographs);
        var layout = rng.Pick(SubpixelDisplay.Layouts);
        cues.Layout = layout;
        // Strong moire needs a crisp grid (little light between sub-pixels): most full-frame panels get one.
        var panel = new SubpixelDisplay(content, layout, rng, crispShare: fullFrame ? 0.6 : 0.2);

        // Bilinear or nearest lookups without mipmaps: one sample per camera pixel, which is what aliases.
        var bilinear = rng.Chance(0.75);
        if (panel.Contrast < 0.5f) moire *= panel.Contrast * 2;
        cues.Moire = Math.Round(moire, 3);

        using var screenPath = QuadPath(quad);
        canvas.Save();
        canvas.ClipPath(screenPath, antialias: true);
        canvas.DrawColor(Palette.Gray(rng.Int(5, 25)));
        var emissive = Emissive(rng, 1 / panel.Transmission);
        var panelToSensor = Homography.RectToQuad(panel.Width, panel.Height, quad);
        if (distant) DrawSupersampled(canvas, frame, quad, panel, panelToSensor, bilinear, emissive);
        else panel.Draw(canvas, panelToSensor, bilinear, emissive);
        if (rng.Chance(0.35)) Banding(canvas, frame, rng);
        if (rng.Chance(0.55)) Glare(canvas, frame, rng);
        if (rng.Chance(0.35)) Reflection(canvas, frame, rng);
        canvas.Restore();

        if (device is "phone" or "tablet" && rng.Chance(0.5)) Hands.Thumb(canvas, pose, rng);
        cues.Lighting = rng.Chance(0.4) ? Lighting.Apply(canvas, frame, rng) : "room";
    }

    /// <summary>
    /// Photographs the panel as a phone does from a normal distance: sampled on a sensor 2-<see cref="Supersample"/>
    /// times finer than the scene (where a grid near the sampling pitch aliases into moire), then each block of fine
    /// pixels averaged into one scene pixel, as a downscaled photo is: the grid goes, low-frequency moire stays. Only the
    /// panel's bounding box is drawn finely.
    /// </summary>
    internal static void DrawSupersampled(SKCanvas canvas, SKRect frame, SKPoint[] quad, SubpixelDisplay panel, SKMatrix panelToSensor,
        bool bilinear, float[] emissive)
    {
        var box = SKRectI.Intersect(SKRectI.Round(Bounds(quad)), SKRectI.Ceiling(frame));
        if (box.Width < 1 || box.Height < 1) return;
        // An integer factor keeps the average an exact box; the cap bounds the cost of panels that fill the frame.
        var factor = Math.Clamp((int)Math.Sqrt(MaxSupersampledPixels / ((double)box.Width * box.Height)), 2, Supersample);
        using var fine = new SKBitmap(new SKImageInfo(box.Width * factor, box.Height * factor, SKColorType.Rgba8888, SKAlphaType.Premul));
        var sensorToFine = SKMatrix.CreateScale(factor, factor).PreConcat(SKMatrix.CreateTranslation(-box.Left, -box.Top));
        panel.Render(fine, sensorToFine.PreConcat(panelToSensor), bilinear, emissive);
        using var averaged = new SKBitmap(new SKImageInfo(box.Width, box.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        BoxAverage(PixelSpan.Of(fine), fine.RowBytes, PixelSpan.Of(averaged), averaged.RowBytes, box.Width, box.Height, factor);
        averaged.SetImmutable();
        using var image = SKImage.FromBitmap(averaged);
        canvas.DrawImage(image, box, new SKSamplingOptions(SKFilterMode.Nearest));
    }

    /// <summary>
    /// Averages each <paramref name="factor"/> x <paramref name="factor"/> block of premultiplied RGBA pixels into one,
    /// then blurs with [1 2 1] / 4 both ways. The box alone is a sensor pixel with no optics: a grid finer than the fine
    /// sampling aliases there to near the output's Nyquist frequency and the box passes a quarter of it as a checkerboard
    /// that real photos do not have; the small blur stands for the lens and removes it.
    /// </summary>
    /// <remarks>Vector arithmetic on exact integer sums; the division by the kernel's total is done in float, where
    /// (sum + 0.5) / total never lies within rounding error of a whole number, so it is the integer quotient.</remarks>
    internal static unsafe void BoxAverage(ReadOnlySpan<byte> fine, int fineStride, Span<byte> output, int outputStride, int width, int height, int factor)
    {
        var rowLength = width * 4;
        var means = ArrayPool<int>.Shared.Rent(rowLength * height);
        var across = ArrayPool<int>.Shared.Rent(rowLength * height);
        try
        {
            fixed (byte* source = fine)
            fixed (byte* target = output)
            fixed (int* sums = means)
            fixed (int* blurred = across)
            {
                for (var y = 0; y < height; y++)
                {
                    var row = sums + y * rowLength;
                    for (var fy = 0; fy < factor; fy++)
                    {
                        var line = source + (long)(y * factor + fy) * fineStride;
                        for (var x = 0; x < width; x++)
                        {
                            var block = line + x * factor * 4;
                            var sum = Channels(block);
                            for (var k = 1; k < factor; k++) sum += Channels(block + 4 * k);
                            var at = row + x * 4;
                            (fy == 0 ? sum : sum + Vector128.Load(at)).Store(at);
                        }
                    }
                }
                // Separable [1 2 1]: horizontally into a scratch copy, then vertically into the output (edges repeat).
                for (var y = 0; y < height; y++)
                {
                    var row = sums + y * rowLength;
                    var to = blurred + y * rowLength;
                    for (var x = 0; x < width; x++)
                    {
                        var left = Vector128.Load(row + Math.Max(x - 1, 0) * 4);
                        var right = Vector128.Load(row + Math.Min(x + 1, width - 1) * 4);
                        var centre = Vector128.Load(row + x * 4);
                        (left + centre + centre + right).Store(to + x * 4);
                    }
                }
                var total = 16 * factor * factor;
                var half = Vector128.Create(total / 2);
                var inverse = Vector128.Create(1f / total);
                for (var y = 0; y < height; y++)
                {
                    int* up = blurred + Math.Max(y - 1, 0) * rowLength, centre = blurred + y * rowLength, down = blurred + Math.Min(y + 1, height - 1) * rowLength;
                    var to = target + (long)y * outputStride;
                    for (var i = 0; i < rowLength; i += 4)
                    {
                        var c = Vector128.Load(centre + i);
                        var sum = Vector128.Load(up + i) + c + c + Vector128.Load(down + i) + half;
                        var quotient = Vector128.ConvertToInt32((Vector128.ConvertToSingle(sum) + Vector128.Create(0.5f)) * inverse).AsUInt32();
                        var bytes = Vector128.Narrow(Vector128.Narrow(quotient, quotient), Vector128<ushort>.Zero);
                        *(uint*)(to + i) = bytes.AsUInt32().ToScalar();
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(means);
            ArrayPool<int>.Shared.Return(across);
        }
    }

    /// <summary>One RGBA pixel's four bytes as four ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<int> Channels(byte* pixel) =>
        Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(uint*)pixel).AsByte())).AsInt32();

    private static SKRect Bounds(SKPoint[] points)
    {
        var (left, top, right, bottom) = (float.MaxValue, float.MaxValue, float.MinValue, float.MinValue);
        foreach (var p in points)
        {
            (left, top) = (MathF.Min(left, p.X), MathF.Min(top, p.Y));
            (right, bottom) = (MathF.Max(right, p.X), MathF.Max(bottom, p.Y));
        }
        return new SKRect(left, top, right, bottom);
    }

    /// <summary>What surrounds the device: a room, a desk, a wall, or darkness.</summary>
    private static string Room(SKCanvas canvas, SKBitmap sensor, SKRect frame, SampleRandom rng, SceneAssets assets)
    {
        switch (rng.Weighted([2, 3, 1.6]))
        {
            case 0:
                Scenes.Draw(canvas, frame, rng.Chance(0.6) ? "room" : "outdoor", rng, assets);
                return "room";
            case 1:
                return Surfaces.Draw(canvas, frame, rng, assets.Photos, sensor);
            default:
                canvas.DrawColor(Palette.Gray(rng.Int(5, 40)));
                return "dark";
        }
    }

    private static SKPath QuadPath(SKPoint[] quad)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(quad[0]);
        for (var k = 1; k < 4; k++) builder.LineTo(quad[k]);
        builder.Close();
        return builder.Snapshot();
    }

    /// <summary>The device around the panel: bezel, laptop deck, monitor stand.</summary>
    private static void Body(SKCanvas canvas, CameraPose pose, string device, float aspect, SampleRandom rng, FontCatalog fonts)
    {
        var bezel = device switch
        {
            "phone" => rng.Range(0.02, 0.06),
            "tablet" => rng.Range(0.03, 0.08),
            "tv" => rng.Range(0.005, 0.025),
            "laptop" => rng.Range(0.015, 0.045),
            _ => rng.Range(0.008, 0.04),
        };
        var chin = device is "laptop" or "monitor" ? rng.Range(0, 0.06) : bezel;
        var color = rng.Weighted([5, 1.5, 1]) switch
        {
            0 => Palette.Gray(rng.Int(8, 35)),
            1 => Palette.Gray(rng.Int(140, 200)),
            _ => Palette.Gray(rng.Int(215, 245)),
        };
        if (device == "laptop")
        {
            // Keyboard deck coming toward the camera below the screen.
            var deck = new[]
            {
                pose.Project(-bezel, 1 + (bezel + chin) / aspect, 0), pose.Project(1 + bezel, 1 + (bezel + chin) / aspect, 0),
                pose.Project(1.05f + bezel, 1 + (bezel + chin) / aspect + 0.12f, -0.55f), pose.Project(-0.05f - bezel, 1 + (bezel + chin) / aspect + 0.12f, -0.55f),
            };
            using var deckPath = QuadPath(deck);
            using var deckPaint = new SKPaint { Color = Palette.Scale(color, rng.Range(0.8, 1.2)), IsAntialias = true };
            canvas.DrawPath(deckPath, deckPaint);
            using var keys = new SKPaint { Color = Palette.Scale(color, 0.6), IsAntialias = true };
            for (var row = 0; row < 5; row++)
            {
                for (var col = 0; col < 14; col++)
                {
                    float u0 = 0.05f + col * 0.065f, t0 = 0.15f + row * 0.11f;
                    SKPoint Map(float uu, float tt) => pose.Project(uu, 1 + (bezel + chin) / aspect + 0.12f * tt, -0.55f * tt);
                    using var key = QuadPath([Map(u0, t0), Map(u0 + 0.055f, t0), Map(u0 + 0.055f, t0 + 0.09f), Map(u0, t0 + 0.09f)]);
                    canvas.DrawPath(key, keys);
                }
            }
        }
        if (device is "monitor" or "tv" && rng.Chance(0.7))
        {
            using var stand = new SKPaint { Color = Palette.Scale(color, 0.9), IsAntialias = true };
            var bottom = 1 + (bezel + chin) / aspect;
            using var neck = QuadPath([pose.Project(0.45f, bottom), pose.Project(0.55f, bottom), pose.Project(0.55f, bottom + 0.25f), pose.Project(0.45f, bottom + 0.25f)]);
            canvas.DrawPath(neck, stand);
            using var foot = QuadPath([pose.Project(0.3f, bottom + 0.25f), pose.Project(0.7f, bottom + 0.25f), pose.Project(0.72f, bottom + 0.3f), pose.Project(0.28f, bottom + 0.3f)]);
            canvas.DrawPath(foot, stand);
        }
        // Bezel outline: a rounded rectangle in device coordinates, projected point by point.
        using var builder = new SKPathBuilder();
        var radius = device is "phone" or "tablet" ? rng.Range(0.06, 0.12) : 0.01f;
        float left = -bezel, right = 1 + bezel, top = -bezel / aspect, bot = 1 + (bezel + chin) / aspect;
        var points = RoundedOutline(left, top, right, bot, radius, aspect);
        builder.MoveTo(pose.Project(points[0].X, points[0].Y));
        for (var k = 1; k < points.Count; k++) builder.LineTo(pose.Project(points[k].X, points[k].Y));
        builder.Close();
        using var shader = SKShader.CreateLinearGradient(pose.Project(0, 0), pose.Project(1, 1),
            [Palette.Scale(color, 1.25), color, Palette.Scale(color, 0.8)], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        canvas.DrawPath(builder, paint);
        if (device is "monitor" or "laptop" or "tv" && rng.Chance(0.5) && chin > 0.015f)
        {
            // Brand mark on the chin.
            var at = pose.Project(0.5f, 1 + (bezel / 2 + chin / 2) / aspect);
            using var font = new SKFont(rng.Pick(fonts.TextFaces), Math.Max(4, SKPoint.Distance(pose.Project(0, 1), pose.Project(1, 1)) * 0.03f));
            using var ink = new SKPaint { Color = Palette.Scale(color, color.Red > 100 ? 0.6 : 3), IsAntialias = true };
            canvas.DrawText(TextSource.Caps(rng, 1), at.X, at.Y + font.Size * 0.35f, SKTextAlign.Center, font, ink);
        }
    }

    /// <summary>Points around a rounded rectangle (u across, v down; the radius is in width units).</summary>
    private static List<SKPoint> RoundedOutline(float left, float top, float right, float bottom, float radius, float aspect)
    {
        var rv = radius / aspect;
        var points = new List<SKPoint>(48);
        (float cx, float cy, float start)[] corners =
        [
            (left + radius, top + rv, MathF.PI), (right - radius, top + rv, 1.5f * MathF.PI),
            (right - radius, bottom - rv, 0), (left + radius, bottom - rv, 0.5f * MathF.PI),
        ];
        foreach (var (cx, cy, start) in corners)
        {
            for (var k = 0; k <= 6; k++)
            {
                var a = start + k / 6f * MathF.PI / 2;
                points.Add(new SKPoint(cx + MathF.Cos(a) * radius, cy + MathF.Sin(a) * rv));
            }
        }
        return points;
    }

    /// <summary>Panel emission as a 4x5 colour matrix: gain that makes up for the sub-pixel mask, raised black level,
    /// saturation, cool or warm white point.</summary>
    private static float[] Emissive(SampleRandom rng, float compensation)
    {
        var gain = compensation * rng.Range(0.85, 1.15);
        var saturation = rng.Range(0.85, 1.25);
        var lift = rng.Range(0.0, 0.08);
        float[] tint = [rng.Range(0.88, 1.02), rng.Range(0.95, 1.03), rng.Range(1.0, 1.15)];
        const float lr = 0.2126f, lg = 0.7152f, lb = 0.0722f;
        var s = saturation;
        float[,] sat =
        {
            { lr * (1 - s) + s, lg * (1 - s), lb * (1 - s) },
            { lr * (1 - s), lg * (1 - s) + s, lb * (1 - s) },
            { lr * (1 - s), lg * (1 - s), lb * (1 - s) + s },
        };
        var m = new float[20];
        for (var row = 0; row < 3; row++)
        {
            for (var col = 0; col < 3; col++) m[row * 5 + col] = sat[row, col] * gain * tint[row];
            m[row * 5 + 4] = lift;
        }
        m[18] = 1;
        return m;
    }

    /// <summary>Rolling-shutter bands from the panel's PWM or refresh: soft dark stripes along sensor rows.</summary>
    private static void Banding(SKCanvas canvas, SKRect frame, SampleRandom rng)
    {
        var period = rng.Range(5, 50);
        var dark = new SKColor(0, 0, 0, (byte)rng.Int(15, 70));
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(rng.Range(-3, 3), period),
            [SKColors.Transparent, dark, SKColors.Transparent], SKShaderTileMode.Repeat);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(frame, paint);
    }

    private static void Glare(SKCanvas canvas, SKRect frame, SampleRandom rng)
    {
        var center = new SKPoint(frame.Left + rng.Range(0, 1) * frame.Width, frame.Top + rng.Range(0, 1) * frame.Height);
        using var shader = SKShader.CreateRadialGradient(center, frame.Width * rng.Range(0.15, 0.6),
            [new SKColor(255, 255, 255, (byte)rng.Int(40, 170)), SKColors.Transparent], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, BlendMode = SKBlendMode.Screen };
        canvas.DrawRect(frame, paint);
    }

    /// <summary>A faint mirror image of the room: a window, a lamp, the photographer's silhouette.</summary>
    private static void Reflection(SKCanvas canvas, SKRect frame, SampleRandom rng)
    {
        using var blur = SKImageFilter.CreateBlur(frame.Width * 0.02f, frame.Width * 0.02f);
        using var light = new SKPaint { Color = new SKColor(255, 255, 250, (byte)rng.Int(15, 50)), ImageFilter = blur, BlendMode = SKBlendMode.Screen };
        canvas.DrawRect(frame.Left + rng.Range(0, 0.7) * frame.Width, frame.Top + rng.Range(0, 0.5) * frame.Height, frame.Width * rng.Range(0.15, 0.4), frame.Height * rng.Range(0.2, 0.5), light);
        using var dark = new SKPaint { Color = new SKColor(0, 0, 0, (byte)rng.Int(20, 70)), ImageFilter = blur };
        var x = frame.Left + rng.Range(0.2, 0.8) * frame.Width;
        canvas.DrawOval(x, frame.Bottom - frame.Height * 0.35f, frame.Width * 0.08f, frame.Height * 0.1f, dark);
        canvas.DrawOval(x, frame.Bottom, frame.Width * 0.2f, frame.Height * 0.25f, dark);
    }
}
