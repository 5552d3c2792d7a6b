using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Backgrounds things lie on or stand in front of: wood, fabric, desks, marble, carpet, walls and blurred photos.
/// Textures come from Skia's Perlin noise; they are drawn at reduced resolution since they are rarely in sharp focus.
/// </summary>
internal static class Surfaces
{
    public static readonly string[] Kinds = ["wood", "fabric", "desk", "marble", "carpet", "dark", "wall", "photo", "paper-pile"];

    /// <summary>
    /// Fills <paramref name="rect"/> with a surface of a kind drawn by <paramref name="rng"/>; returns the kind.
    /// <paramref name="pixels"/> is the bitmap under <paramref name="canvas"/> when the caller has it.
    /// </summary>
    public static string Draw(SKCanvas canvas, SKRect rect, SampleRandom rng, PhotoLibrary photos, SKBitmap? pixels = null)
    {
        var kind = Kinds[rng.Weighted([3, 2, 2.5, 1, 1.2, 1.6, 1.5, photos.Count > 0 ? 2.5 : 0, 0.5])];
        Draw(canvas, rect, kind, rng, photos, pixels);
        return kind;
    }

    public static void Draw(SKCanvas canvas, SKRect rect, string kind, SampleRandom rng, PhotoLibrary photos, SKBitmap? pixels = null)
    {
        // Noise is drawn into a quarter-area bitmap then scaled up: Perlin noise costs per pixel.
        var w = Math.Max(8, (int)(rect.Width / 2));
        var h = Math.Max(8, (int)(rect.Height / 2));
        using var small = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var c = new SKCanvas(small))
        {
            var local = new SKRect(0, 0, w, h);
            switch (kind)
            {
                case "wood": Wood(c, local, rng, small); break;
                case "fabric": Fabric(c, local, rng, small); break;
                case "marble": Marble(c, local, rng, small); break;
                case "carpet": Carpet(c, local, rng, small); break;
                case "dark": Plain(c, local, rng, Palette.Hsv(rng.Range(0, 360), rng.Range(0, 0.4), rng.Range(0.05, 0.25)), 0.04f, small); break;
                case "wall": Plain(c, local, rng, Palette.Hsv(rng.Range(20, 60), rng.Range(0, 0.25), rng.Range(0.55, 0.95)), 0.03f, small); break;
                case "photo": BlurredPhoto(c, local, rng, photos); break;
                case "paper-pile": PaperPile(c, local, rng); break;
                default: Plain(c, local, rng, Palette.Hsv(rng.Range(0, 360), rng.Range(0, 0.6), rng.Range(0.25, 0.95)), 0.05f, small); break;
            }
            Lighting(c, local, rng);
        }
        // A surface filling an untransformed canvas is enlarged straight into its pixels (managed bilinear, as the
        // draw below samples). Blurred photos are left to Skia: their edges can be translucent.
        var whole = pixels is not null && new SKRect(0, 0, pixels.Width, pixels.Height) == rect;
        if (whole && kind != "photo" && canvas.SaveCount == 1 && canvas.TotalMatrix.IsIdentity && canvas.IsClipRect
            && canvas.DeviceClipBounds == new SKRectI(0, 0, pixels!.Width, pixels.Height))
        {
            SensorReadout.Enlarge(small, pixels);
            return;
        }
        small.SetImmutable();
        using var image = SKImage.FromBitmap(small);
        canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear));
    }

    /// <summary>
    /// Darkens <paramref name="r"/> with noise of roughly the requested frequencies (cycles per pixel), tinted
    /// <paramref name="dark"/>. Drawn from a few precomputed tileable noise tiles, scaled and shifted by
    /// <paramref name="seed"/>: Perlin noise evaluated per pixel would dominate the cost of a sample. Callers that
    /// hold the bitmap <paramref name="c"/> draws into pass it as <paramref name="pixels"/>, so the noise can be
    /// written into it directly.
    /// </summary>
    public static void Noise(SKCanvas c, SKRect r, SKColor dark, float strength, float fx, float fy, int octaves, float seed, bool turbulence = false, SKBitmap? pixels = null)
    {
        var tile = NoiseTiles.For(fx, fy, octaves, turbulence);
        var local = SKMatrix.CreateScale(tile.FrequencyX / fx, tile.FrequencyY / fy).PostConcat(SKMatrix.CreateTranslation(seed * 37.1f, seed * 53.7f));
        // A tile texel shrunk to at most a device pixel is noise of pixel size either way; nearest lookups of it look
        // alike and cost a third of bilinear ones with Skia's repeat tiling. Enlarged tiles stay bilinear (no blocks).
        var device = c.TotalMatrix;
        var texelX = local.ScaleX * MathF.Sqrt(device.ScaleX * device.ScaleX + device.SkewY * device.SkewY);
        var texelY = local.ScaleY * MathF.Sqrt(device.ScaleY * device.ScaleY + device.SkewX * device.SkewX);
        var filter = texelX <= 1 && texelY <= 1 ? SKFilterMode.Nearest : SKFilterMode.Linear;
        if (pixels is not null && NoiseInPlace(c, pixels, r, tile, local, filter == SKFilterMode.Nearest, dark, strength)) return;
        using var noise = tile.Image.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, new SKSamplingOptions(filter), local);
        // Alpha from the noise's red channel, colour fixed: the noise darkens the base by up to 'strength'.
        ReadOnlySpan<float> matrix =
        [
            0, 0, 0, 0, dark.Red / 255f,
            0, 0, 0, 0, dark.Green / 255f,
            0, 0, 0, 0, dark.Blue / 255f,
            strength * 2, 0, 0, 0, -strength * 0.5f,
        ];
        using var tint = SKColorFilter.CreateColorMatrix(matrix);
        using var paint = new SKPaint { Shader = noise, ColorFilter = tint };
        c.DrawRect(r, paint);
    }

    /// <summary>
    /// The same darkening as <see cref="Noise"/>, written straight into <paramref name="target"/> (the bitmap under
    /// <paramref name="c"/>) when the canvas has no saved state or layer and only scales and translates: Skia's repeat-tiled image shader with a colour matrix costs
    /// 20-50 ns a pixel here, a managed loop a few. Returns false when the canvas does not qualify.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool NoiseInPlace(SKCanvas c, SKBitmap target, SKRect r, NoiseTiles.Tile tile, SKMatrix local, bool nearest, SKColor dark, float strength)
    {
        var m = c.TotalMatrix;
        if (c.SaveCount != 1 || !c.IsClipRect || m.SkewX != 0 || m.SkewY != 0 || m.Persp0 != 0 || m.Persp1 != 0 || m.Persp2 != 1
            || m.ScaleX == 0 || m.ScaleY == 0 || local.SkewX != 0 || local.SkewY != 0)
        {
            return false;
        }
        if (target.ColorType != SKColorType.Rgba8888) return false;
        var bounds = SKRectI.Round(m.MapRect(r));
        bounds.Intersect(c.DeviceClipBounds);
        bounds.Intersect(new SKRectI(0, 0, target.Width, target.Height));
        if (bounds.IsEmpty) return true;

        // Device pixel centre -> canvas -> tile texels: u = x * du + u0, v = y * dv + v0.
        var du = 1 / (m.ScaleX * local.ScaleX);
        var dv = 1 / (m.ScaleY * local.ScaleY);
        var u0 = ((0.5f - m.TransX) / m.ScaleX - local.TransX) / local.ScaleX;
        var v0 = ((0.5f - m.TransY) / m.ScaleY - local.TransY) / local.ScaleY;
        // Coverage (0..256) per noise level, as the colour matrix computed it: alpha = strength * (2n - 0.5), clamped.
        var coverage = stackalloc int[256];
        for (var n = 0; n < 256; n++) coverage[n] = (int)(Math.Clamp(strength * (2 * n / 255f - 0.5f), 0, 1) * 256 + 0.5f);
        int dr = dark.Red, dg = dark.Green, db = dark.Blue;
        var size = NoiseTiles.Size;
        var mask = size - 1;
        fixed (byte* grey = tile.Grey)
        {
            var pixels = (byte*)target.GetPixels();
            for (var y = bounds.Top; y < bounds.Bottom; y++)
            {
                var row = pixels + (long)y * target.RowBytes;
                var v = y * dv + v0;
                int vi, vn = 0, fv = 0;
                if (nearest)
                {
                    vi = (int)MathF.Floor(v) & mask;
                }
                else
                {
                    var vf = MathF.Floor(v - 0.5f);
                    fv = (int)((v - 0.5f - vf) * 256);
                    vi = (int)vf & mask;
                    vn = (vi + 1) & mask;
                }
                var line = grey + vi * size;
                var next = grey + vn * size;
                var x = bounds.Left;
                if (Avx2.IsSupported) x = NoiseVectors(row, x, bounds.Right, du, u0, line, next, fv, nearest, coverage, dark);
                for (; x < bounds.Right; x++)
                {
                    var u = x * du + u0;
                    int level;
                    if (nearest)
                    {
                        level = line[(int)MathF.Floor(u) & mask];
                    }
                    else
                    {
                        var uf = MathF.Floor(u - 0.5f);
                        var fu = (int)((u - 0.5f - uf) * 256);
                        var ui = (int)uf & mask;
                        var un = (ui + 1) & mask;
                        var top = line[ui] * (256 - fu) + line[un] * fu;
                        var bottom = next[ui] * (256 - fu) + next[un] * fu;
                        level = (top * (256 - fv) + bottom * fv + (1 << 15)) >> 16;
                    }
                    var a = coverage[level];
                    if (a == 0) continue;
                    var p = row + x * 4;
                    // Source-over of the opaque tint at coverage a.
                    p[0] = (byte)(p[0] + (((dr - p[0]) * a + 128) >> 8));
                    p[1] = (byte)(p[1] + (((dg - p[1]) * a + 128) >> 8));
                    p[2] = (byte)(p[2] + (((db - p[2]) * a + 128) >> 8));
                    p[3] = (byte)(p[3] + (((255 - p[3]) * a + 128) >> 8));
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Eight pixels of a row of <see cref="NoiseInPlace"/> at a time, from <paramref name="x"/>; returns where the
    /// scalar loop goes on. The same integer and float operations in the same order, so the same bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int NoiseVectors(byte* row, int x, int end, float du, float u0, byte* line, byte* next, int fv, bool nearest, int* coverage, SKColor dark)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var texel = Vector256.Create(NoiseTiles.Size - 1);
        var low = Vector256.Create(0xFF);
        var full = Vector256.Create(256);
        var fvAbove = Vector256.Create(256 - fv);
        var fvBelow = Vector256.Create(fv);
        var half = Vector256.Create(0.5f);
        Vector256<int> tintR = Vector256.Create((int)dark.Red), tintG = Vector256.Create((int)dark.Green), tintB = Vector256.Create((int)dark.Blue), tintA = Vector256.Create(255);
        for (; x + 8 <= end; x += 8)
        {
            var u = Vector256.ConvertToSingle(Vector256.Create(x) + lanes) * Vector256.Create(du) + Vector256.Create(u0);
            Vector256<int> level;
            if (nearest)
            {
                level = Texels(line, Avx.ConvertToVector256Int32WithTruncation(Avx.RoundToNegativeInfinity(u)) & texel, low);
            }
            else
            {
                var shifted = u - half;
                var uf = Avx.RoundToNegativeInfinity(shifted);
                var fu = Avx.ConvertToVector256Int32WithTruncation((shifted - uf) * Vector256.Create(256f));
                var ui = Avx.ConvertToVector256Int32WithTruncation(uf) & texel;
                var un = (ui + Vector256<int>.One) & texel;
                var top = Texels(line, ui, low) * (full - fu) + Texels(line, un, low) * fu;
                var bottom = Texels(next, ui, low) * (full - fu) + Texels(next, un, low) * fu;
                level = Vector256.ShiftRightArithmetic(top * fvAbove + bottom * fvBelow + Vector256.Create(1 << 15), 16);
            }
            var a = Avx2.GatherVector256(coverage, level, 4);
            var at = (int*)(row + x * 4);
            var p = Vector256.Load(at);
            var r = Over(p & low, tintR, a);
            var g = Over(Vector256.ShiftRightLogical(p, 8) & low, tintG, a);
            var b = Over(Vector256.ShiftRightLogical(p, 16) & low, tintB, a);
            var alpha = Over(Vector256.ShiftRightLogical(p, 24), tintA, a);
            (r | Vector256.ShiftLeft(g, 8) | Vector256.ShiftLeft(b, 16) | Vector256.ShiftLeft(alpha, 24)).Store(at);
        }
        return x;
    }

    /// <summary>Grey levels at eight texel indices of a tile row (32-bit loads; the tile is padded for the last texel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Texels(byte* line, Vector256<int> index, Vector256<int> low) =>
        Avx2.GatherVector256((int*)line, index, 1) & low;

    /// <summary>Source-over of an opaque tint channel at coverage a (0..256), as the scalar loop computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Over(Vector256<int> channel, Vector256<int> tint, Vector256<int> a) =>
        (channel + Vector256.ShiftRightArithmetic((tint - channel) * a + Vector256.Create(128), 8)) & Vector256.Create(0xFF);

    private static void Plain(SKCanvas c, SKRect r, SampleRandom rng, SKColor color, float grain, SKBitmap? pixels = null)
    {
        c.DrawColor(color);
        Noise(c, r, Palette.Scale(color, 0.6), grain * 3, 0.05f, 0.05f, 2, rng.Range(0, 100), pixels: pixels);
        Noise(c, r, Palette.Scale(color, 0.7), grain, 0.6f, 0.6f, 1, rng.Range(0, 100), pixels: pixels);
    }

    private static void Wood(SKCanvas c, SKRect r, SampleRandom rng, SKBitmap? pixels = null)
    {
        var baseColor = Palette.Hsv(rng.Range(18, 38), rng.Range(0.35, 0.75), rng.Range(0.25, 0.85));
        c.DrawColor(baseColor);
        var vertical = rng.Chance(0.5);
        // Saved only when rotated: an untouched canvas lets the grain be written straight into the pixels.
        if (vertical)
        {
            c.Save();
            c.RotateDegrees(90, r.MidX, r.MidY);
        }
        var big = new SKRect(r.MidX - r.Width, r.MidY - r.Height, r.MidX + r.Width, r.MidY + r.Height);
        var grain = rng.Range(0.004, 0.012);
        Noise(c, big, Palette.Scale(baseColor, 0.45), rng.Range(0.35, 0.7), grain, grain * rng.Range(8, 25), 3, rng.Range(0, 100), pixels: pixels);
        Noise(c, big, Palette.Scale(baseColor, 0.6), 0.15f, 0.02f, 0.25f, 2, rng.Range(0, 100), turbulence: true, pixels: pixels);
        if (rng.Chance(0.6))
        {
            // Plank joints.
            using var joint = new SKPaint { Color = Palette.Scale(baseColor, 0.35).WithAlpha(160), StrokeWidth = rng.Range(0.8, 2.0), Style = SKPaintStyle.Stroke };
            var plank = rng.Range(r.Height * 0.15f, r.Height * 0.45f);
            for (var y = big.Top + rng.Range(0, plank); y < big.Bottom; y += plank) c.DrawLine(big.Left, y, big.Right, y, joint);
        }
        if (vertical) c.Restore();
    }

    private static void Fabric(SKCanvas c, SKRect r, SampleRandom rng, SKBitmap pixels)
    {
        var color = Palette.Random(rng, 0.15, 0.9, 0.05, 0.7);
        c.DrawColor(color);
        using var weave = new SKPaint { Color = Palette.Scale(color, 0.7).WithAlpha(90), StrokeWidth = 1 };
        var pitch = rng.Range(1.5, 3.5);
        for (var x = r.Left; x < r.Right; x += pitch) c.DrawLine(x, r.Top, x, r.Bottom, weave);
        for (var y = r.Top; y < r.Bottom; y += pitch * rng.Range(0.8, 1.2)) c.DrawLine(r.Left, y, r.Right, y, weave);
        // Folds: broad soft shading.
        Noise(c, r, Palette.Scale(color, 0.4), rng.Range(0.2, 0.5), 0.01f, 0.02f, 2, rng.Range(0, 100), pixels: pixels);
        if (rng.Chance(0.4))
        {
            // Printed pattern (stripes or checks), as on tablecloths and bedding.
            using var stripe = new SKPaint { Color = Palette.Random(rng, 0.3, 1, 0.2, 0.8).WithAlpha(120) };
            var s = rng.Range(6, 25);
            for (var x = r.Left; x < r.Right; x += s * 2) c.DrawRect(x, r.Top, s * rng.Range(0.3, 1), r.Height, stripe);
            if (rng.Chance(0.5)) for (var y = r.Top; y < r.Bottom; y += s * 2) c.DrawRect(r.Left, y, r.Width, s * 0.5f, stripe);
        }
    }

    private static void Marble(SKCanvas c, SKRect r, SampleRandom rng, SKBitmap pixels)
    {
        var v = rng.Range(0.75, 0.95);
        var color = rng.Chance(0.75) ? Palette.Hsv(rng.Range(20, 220), rng.Range(0, 0.08), v) : Palette.Hsv(rng.Range(0, 360), rng.Range(0, 0.3), rng.Range(0.1, 0.3));
        c.DrawColor(color);
        Noise(c, r, Palette.Scale(color, 0.5), rng.Range(0.3, 0.6), 0.012f, 0.02f, 4, rng.Range(0, 100), turbulence: true, pixels: pixels);
        Noise(c, r, Palette.Scale(color, 0.85), 0.2f, 0.08f, 0.08f, 2, rng.Range(0, 100), pixels: pixels);
    }

    private static void Carpet(SKCanvas c, SKRect r, SampleRandom rng, SKBitmap pixels)
    {
        var color = Palette.Random(rng, 0.2, 0.8, 0.1, 0.6);
        c.DrawColor(color);
        Noise(c, r, Palette.Scale(color, 0.5), 0.5f, 0.5f, 0.5f, 1, rng.Range(0, 100), pixels: pixels);
        if (rng.Chance(0.5))
        {
            // Woven geometric border pattern, common on rugs.
            using var pattern = new SKPaint { Color = Palette.Random(rng, 0.2, 0.9, 0.2, 0.8).WithAlpha(150), Style = SKPaintStyle.Stroke, StrokeWidth = rng.Range(2, 6) };
            var step = rng.Range(20, 60);
            for (var x = r.Left - r.Height; x < r.Right; x += step) c.DrawLine(x, r.Top, x + r.Height, r.Bottom, pattern);
        }
    }

    private static void PaperPile(SKCanvas c, SKRect r, SampleRandom rng)
    {
        Wood(c, r, rng);
        using var paper = new SKPaint { IsAntialias = true };
        for (var i = 0; i < rng.Int(2, 5); i++)
        {
            paper.Color = Palette.Gray(rng.Int(200, 245));
            c.Save();
            c.RotateDegrees(rng.Range(-40, 40), rng.Range(r.Left, r.Right), rng.Range(r.Top, r.Bottom));
            c.DrawRect(rng.Range(r.Left - r.Width * 0.3f, r.Right), rng.Range(r.Top - r.Height * 0.3f, r.Bottom), r.Width * rng.Range(0.3, 0.6), r.Height * rng.Range(0.4, 0.8), paper);
            c.Restore();
        }
    }

    private static void BlurredPhoto(SKCanvas c, SKRect r, SampleRandom rng, PhotoLibrary photos)
    {
        var photo = photos.Pick(rng);
        if (photo is null)
        {
            Plain(c, r, rng, Palette.Random(rng, 0.2, 0.9, 0, 0.4), 0.05f);
            return;
        }
        using var blur = SKImageFilter.CreateBlur(rng.Range(1, 6), rng.Range(1, 6));
        using var paint = new SKPaint { ImageFilter = blur };
        PhotoPlacement.DrawCover(c, photo, r, rng, paint);
    }

    /// <summary>Uneven illumination: a broad gradient from a brighter to a darker side, in every background.</summary>
    private static void Lighting(SKCanvas c, SKRect r, SampleRandom rng)
    {
        var angle = rng.Range(0, MathF.Tau);
        var dx = MathF.Cos(angle) * r.Width / 2;
        var dy = MathF.Sin(angle) * r.Height / 2;
        using var shader = SKShader.CreateLinearGradient(new SKPoint(r.MidX - dx, r.MidY - dy), new SKPoint(r.MidX + dx, r.MidY + dy),
            [SKColors.Transparent, new SKColor(0, 0, 0, (byte)rng.Int(20, 140))], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        c.DrawRect(r, paint);
    }
}

/// <summary>Draws photos cropped to fill a rectangle.</summary>
internal static class PhotoPlacement
{
    /// <summary>Draws a random crop of <paramref name="photo"/> that covers <paramref name="target"/> without distortion.</summary>
    public static void DrawCover(SKCanvas canvas, SKImage photo, SKRect target, SampleRandom rng, SKPaint? paint = null, double minZoom = 1, double maxZoom = 1.6)
    {
        var targetAspect = target.Width / target.Height;
        var zoom = rng.Range(minZoom, maxZoom);
        float w = photo.Width, h = photo.Height;
        if (w / h > targetAspect) w = h * targetAspect; else h = w / targetAspect;
        w /= zoom;
        h /= zoom;
        var x = rng.Range(0, photo.Width - w);
        var y = rng.Range(0, photo.Height - h);
        canvas.DrawImage(photo, new SKRect(x, y, x + w, y + h), target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
    }
}

/// <summary>Tileable grey noise tiles rendered once per process (fixed seeds, so output stays reproducible).</summary>
internal static class NoiseTiles
{
    public const int Size = 256;

    /// <summary>A tile as an image for Skia and as its grey levels (row-major, Size x Size, then 3 bytes of padding so
    /// that a 32-bit load at the last texel stays inside the array) for managed loops.</summary>
    public sealed record Tile(SKImage Image, byte[] Grey, float FrequencyX, float FrequencyY);

    private static readonly Lazy<Tile[]> Tiles = new(() =>
    [
        Make(4, 4, 4, false, 1),
        Make(4, 4, 4, true, 2),
        Make(1, 24, 3, false, 3),
        Make(48, 48, 1, false, 4),
        Make(2, 2, 2, false, 5),
    ]);

    /// <summary>The tile whose character (isotropic, turbulent, streaky, fine, smooth) best fits the request.</summary>
    public static Tile For(float fx, float fy, int octaves, bool turbulence)
    {
        var tiles = Tiles.Value;
        if (turbulence) return tiles[1];
        var ratio = Math.Max(fx, fy) / Math.Max(1e-4f, Math.Min(fx, fy));
        if (ratio > 3) return tiles[2];
        if (octaves <= 1) return tiles[3];
        return octaves == 2 ? tiles[4] : tiles[0];
    }

    private static Tile Make(int cyclesX, int cyclesY, int octaves, bool turbulence, int seed)
    {
        float fx = cyclesX / (float)Size, fy = cyclesY / (float)Size;
        var size = new SKSizeI(Size, Size);
        using var shader = turbulence
            ? SKShader.CreatePerlinNoiseTurbulence(fx, fy, octaves, seed, size)
            : SKShader.CreatePerlinNoiseFractalNoise(fx, fy, octaves, seed, size);
        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            // Grey from the red channel, fully opaque, so the tile can be tinted by a colour matrix.
            ReadOnlySpan<float> grey = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
            using var filter = SKColorFilter.CreateColorMatrix(grey);
            using var paint = new SKPaint { Shader = shader, ColorFilter = filter };
            canvas.DrawRect(0, 0, Size, Size, paint);
        }
        var levels = new byte[Size * Size + 3];
        var pixels = PixelSpan.Of(bitmap);
        for (var i = 0; i < Size * Size; i++) levels[i] = pixels[(i / Size) * bitmap.RowBytes + (i % Size) * 4];
        bitmap.SetImmutable();
        return new Tile(SKImage.FromBitmap(bitmap), levels, fx, fy);
    }
}
