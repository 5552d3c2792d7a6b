using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// What the panel physically emits: every display pixel is a 3x3 block of red, green and blue sub-pixels (RGB or BGR
/// stripes, or a PenTile diamond arrangement) separated by a dark matrix. The grid repeats through the same perspective
/// map as the content and is sampled once per camera pixel: photographed at an angle and at a pitch close to the
/// camera's, it aliases into real moire.
/// </summary>
/// <remarks>
/// Camera pixels are computed here rather than by a Skia shader: the Linux SkiaSharp build runs its perspective
/// pipeline in SSE2 floats through a dozen stages per pixel, and screens were the generator's most expensive class.
/// The arithmetic is Skia's (nearest content, nearest or bilinear grid with repeat tiling, a multiply, the emission
/// colour matrix), so the pixels agree with the shader's to within a grey level; the AVX2 path does the scalar path's
/// operations in the same order, so a dataset does not depend on the CPU.
/// </remarks>
internal sealed class SubpixelDisplay
{
    public static readonly string[] Layouts = ["rgb-stripe", "bgr-stripe", "pentile", "rgb-stripe-tall"];

    /// <summary>Sub-pixel cells per display pixel along each axis.</summary>
    public const int Factor = 3;

    private const float Third = 1f / Factor;
    private const float Inverse255 = 1f / 255;

    private readonly SKBitmap content;
    private readonly int contentWidth;
    private readonly int contentHeight;
    private readonly int contentStride;
    private readonly uint[] cell;
    private readonly int cellWidth;
    private readonly int cellHeight;

    /// <param name="content">The picture shown, one bitmap pixel per display pixel: RGBA8888, premultiplied. The panel
    /// reads it while drawing, so it must outlive the panel's use.</param>
    /// <param name="layout">One of <see cref="Layouts"/>.</param>
    /// <param name="rng">Random source for the grid's light leak and dark matrix.</param>
    /// <param name="crispShare">Chance of a crisp grid (little light between sub-pixels, so strong moire).</param>
    public SubpixelDisplay(SKBitmap content, string layout, SampleRandom rng, double crispShare = 0.2)
    {
        if (content.ColorType != SKColorType.Rgba8888 || content.AlphaType != SKAlphaType.Premul)
        {
            throw new ArgumentException($"The panel content must be RGBA8888 premultiplied, not {content.ColorType} {content.AlphaType}.", nameof(content));
        }
        this.content = content;
        contentWidth = content.Width;
        contentHeight = content.Height;
        contentStride = content.RowBytes / 4;
        var leak = (byte)(rng.Chance(crispShare) ? rng.Int(15, 60) : rng.Int(60, 210));
        Contrast = 1 - leak / 255f;
        using var mask = Mask(layout, leak, rng);
        Transmission = MeanTransmission(mask);
        cellWidth = mask.Width;
        cellHeight = mask.Height;
        cell = new uint[cellWidth * cellHeight];
        for (var y = 0; y < cellHeight; y++)
        {
            for (var x = 0; x < cellWidth; x++)
            {
                var c = mask.GetPixel(x, y);
                cell[y * cellWidth + x] = c.Red | (uint)c.Green << 8 | (uint)c.Blue << 16;
            }
        }
        Width = contentWidth * Factor;
        Height = contentHeight * Factor;
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
    /// Draws the panel through <paramref name="panelToImage"/> (sub-pixel units to the canvas's coordinates) under the
    /// canvas's clip: content times the sub-pixel mask, with <paramref name="emissive"/> (a 4x5 colour matrix, as
    /// <see cref="SKColorFilter.CreateColorMatrix(ReadOnlySpan{float})"/> takes) applied to the product.
    /// </summary>
    /// <param name="canvas">Where the panel is photographed.</param>
    /// <param name="panelToImage">Sub-pixel units to the canvas's coordinates.</param>
    /// <param name="bilinear">Bilinear grid lookups; otherwise nearest. Either way one lookup per camera pixel, without
    /// mipmaps, which is what aliases.</param>
    /// <param name="emissive">The panel's emission, applied to content times grid.</param>
    public void Draw(SKCanvas canvas, SKMatrix panelToImage, bool bilinear, float[] emissive)
    {
        var panelToDevice = canvas.TotalMatrix.PreConcat(panelToImage);
        var box = SKRectI.Intersect(SKRectI.Ceiling(panelToDevice.MapRect(new SKRect(0, 0, Width, Height))), canvas.DeviceClipBounds);
        if (box.Width < 1 || box.Height < 1) return;
        using var light = new SKBitmap(new SKImageInfo(box.Width, box.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Render(light, SKMatrix.CreateTranslation(-box.Left, -box.Top).PreConcat(panelToDevice), bilinear, emissive);
        light.SetImmutable();
        using var image = SKImage.FromBitmap(light);
        canvas.Save();
        canvas.ResetMatrix();
        canvas.DrawImage(image, box.Left, box.Top, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Restore();
    }

    /// <summary>
    /// Writes every pixel of <paramref name="target"/> (RGBA8888): the panel's light where the pixel's centre falls on
    /// the panel, transparent elsewhere.
    /// </summary>
    /// <param name="target">Receives the panel's light.</param>
    /// <param name="panelToTarget">Sub-pixel units to target pixels.</param>
    /// <param name="bilinear">Bilinear grid lookups; otherwise nearest.</param>
    /// <param name="emissive">The panel's emission, as in <see cref="Draw"/>.</param>
    /// <param name="vectors">Use AVX2 where the CPU has it (off only to test that both paths agree).</param>
    public unsafe void Render(SKBitmap target, SKMatrix panelToTarget, bool bilinear, float[] emissive, bool vectors = true)
    {
        if (emissive.Length != 20) throw new ArgumentException($"The emission matrix needs 20 entries, not {emissive.Length}.", nameof(emissive));
        if (!panelToTarget.TryInvert(out var inverse)) return;
        var pass = new Pass(this, inverse, bilinear, emissive);
        var width = target.Width;
        var height = target.Height;
        var stride = target.RowBytes / 4;
        var pixels = (uint*)target.GetPixels();
        fixed (uint* cellPixels = cell)
        {
            var contentPixels = (uint*)content.GetPixels();
            for (var y = 0; y < height; y++)
            {
                var row = pixels + (long)y * stride;
                var x = vectors && Avx2.IsSupported ? RenderVectors(in pass, contentPixels, cellPixels, row, y, width) : 0;
                for (; x < width; x++) row[x] = RenderPixel(in pass, contentPixels, cellPixels, x, y);
            }
        }
    }

    /// <summary>Everything a pixel needs, fixed for one draw.</summary>
    private readonly struct Pass(SubpixelDisplay panel, SKMatrix inverse, bool bilinear, float[] e)
    {
        public readonly SKMatrix Inverse = inverse;
        public readonly bool Bilinear = bilinear;
        public readonly float PanelWidth = panel.Width, PanelHeight = panel.Height;
        public readonly int ContentWidth = panel.contentWidth, ContentHeight = panel.contentHeight, ContentStride = panel.contentStride;
        public readonly int CellWidth = panel.cellWidth, CellHeight = panel.cellHeight;
        public readonly float E00 = e[0], E01 = e[1], E02 = e[2], E0 = e[3] + e[4];
        public readonly float E10 = e[5], E11 = e[6], E12 = e[7], E1 = e[8] + e[9];
        public readonly float E20 = e[10], E21 = e[11], E22 = e[12], E2 = e[13] + e[14];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe uint RenderPixel(in Pass p, uint* content, uint* cell, int px, int py)
    {
        float x = px + 0.5f, y = py + 0.5f;
        var m = p.Inverse;
        var w = m.Persp0 * x + (m.Persp1 * y + m.Persp2);
        var u = (m.ScaleX * x + (m.SkewX * y + m.TransX)) / w;
        var v = (m.SkewY * x + (m.ScaleY * y + m.TransY)) / w;
        if (!(u >= 0 && u < p.PanelWidth && v >= 0 && v < p.PanelHeight)) return 0;
        var cx = Math.Min((int)(u * Third), p.ContentWidth - 1);
        var cy = Math.Min((int)(v * Third), p.ContentHeight - 1);
        var c = content[cy * p.ContentStride + cx];
        // Multiplying by an opaque grid makes the product opaque: a translucent content pixel shows its premultiplied
        // colour plus the grid's light through its transparency, as Skia's multiply blend gives.
        var lift = 255 - (c >> 24);
        var cr = ((c & 0xFF) + lift) * Inverse255;
        var cg = ((c >> 8 & 0xFF) + lift) * Inverse255;
        var cb = ((c >> 16 & 0xFF) + lift) * Inverse255;
        float mr, mg, mb;
        if (p.Bilinear)
        {
            var fx = u - 0.5f;
            var fy = v - 0.5f;
            var lx = MathF.Floor(fx);
            var ly = MathF.Floor(fy);
            var tx = fx - lx;
            var ty = fy - ly;
            int x0 = Wrap(lx, p.CellWidth), y0 = Wrap(ly, p.CellHeight);
            var x1 = x0 + 1 == p.CellWidth ? 0 : x0 + 1;
            var y1 = y0 + 1 == p.CellHeight ? 0 : y0 + 1;
            uint a = cell[y0 * p.CellWidth + x0], b = cell[y0 * p.CellWidth + x1], d = cell[y1 * p.CellWidth + x0], e = cell[y1 * p.CellWidth + x1];
            mr = Bilerp(a & 0xFF, b & 0xFF, d & 0xFF, e & 0xFF, tx, ty);
            mg = Bilerp(a >> 8 & 0xFF, b >> 8 & 0xFF, d >> 8 & 0xFF, e >> 8 & 0xFF, tx, ty);
            mb = Bilerp(a >> 16 & 0xFF, b >> 16 & 0xFF, d >> 16 & 0xFF, e >> 16 & 0xFF, tx, ty);
        }
        else
        {
            var g = cell[Wrap(MathF.Floor(v), p.CellHeight) * p.CellWidth + Wrap(MathF.Floor(u), p.CellWidth)];
            mr = (g & 0xFF) * Inverse255;
            mg = (g >> 8 & 0xFF) * Inverse255;
            mb = (g >> 16 & 0xFF) * Inverse255;
        }
        float r = cr * mr, gr = cg * mg, bl = cb * mb;
        return Unorm(p.E00 * r + p.E01 * gr + p.E02 * bl + p.E0)
            | Unorm(p.E10 * r + p.E11 * gr + p.E12 * bl + p.E1) << 8
            | Unorm(p.E20 * r + p.E21 * gr + p.E22 * bl + p.E2) << 16
            | 0xFF000000;
    }

    /// <summary>A whole-number coordinate's position in a repeating cell of <paramref name="size"/> (floats, as the
    /// vector path computes it, so both give the same index).</summary>
    private static int Wrap(float whole, int size) => (int)(whole - MathF.Floor(whole / size) * size);

    private static float Bilerp(uint a, uint b, uint c, uint d, float tx, float ty)
    {
        float top = a * Inverse255, bottom = c * Inverse255;
        top += (b * Inverse255 - top) * tx;
        bottom += (d * Inverse255 - bottom) * tx;
        return top + (bottom - top) * ty;
    }

    private static uint Unorm(float value) => (uint)(Math.Clamp(value, 0f, 1f) * 255 + 0.5f);

    /// <summary>Eight pixels at a time from the row's start; returns where the scalar tail begins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int RenderVectors(in Pass p, uint* content, uint* cell, uint* row, int py, int width)
    {
        var m = p.Inverse;
        var y = py + 0.5f;
        Vector256<float> rowW = Vector256.Create(m.Persp1 * y + m.Persp2), rowU = Vector256.Create(m.SkewX * y + m.TransX), rowV = Vector256.Create(m.ScaleY * y + m.TransY);
        var lanes = Vector256.Create(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f);
        var zero = Vector256<float>.Zero;
        var one = Vector256.Create(1f);
        var half = Vector256.Create(0.5f);
        var inv255 = Vector256.Create(Inverse255);
        var byteMask = Vector256.Create(0xFF);
        var opaque = Vector256.Create(unchecked((int)0xFF000000));
        var panelW = Vector256.Create(p.PanelWidth);
        var panelH = Vector256.Create(p.PanelHeight);
        var contentMaxX = Vector256.Create(p.ContentWidth - 1);
        var contentMaxY = Vector256.Create(p.ContentHeight - 1);
        var contentStride = Vector256.Create(p.ContentStride);
        var cellW = Vector256.Create((float)p.CellWidth);
        var cellH = Vector256.Create((float)p.CellHeight);
        var cellWi = Vector256.Create(p.CellWidth);
        var cellLast = Vector256.Create(p.CellWidth * p.CellHeight - 1);
        var x = 0;
        for (; x + 8 <= width; x += 8)
        {
            var px = Vector256.Create((float)x) + lanes;
            var w = Vector256.Create(m.Persp0) * px + rowW;
            var u = (Vector256.Create(m.ScaleX) * px + rowU) / w;
            var v = (Vector256.Create(m.SkewY) * px + rowV) / w;
            var inside = Vector256.GreaterThanOrEqual(u, zero) & Vector256.LessThan(u, panelW) & Vector256.GreaterThanOrEqual(v, zero) & Vector256.LessThan(v, panelH);
            if (inside == Vector256<float>.Zero)
            {
                Vector256<uint>.Zero.Store(row + x);
                continue;
            }
            var third = Vector256.Create(Third);
            var cx = Vector256.Max(Vector256.Min(Avx.ConvertToVector256Int32WithTruncation(u * third), contentMaxX), Vector256<int>.Zero);
            var cy = Vector256.Max(Vector256.Min(Avx.ConvertToVector256Int32WithTruncation(v * third), contentMaxY), Vector256<int>.Zero);
            var c = Avx2.GatherVector256((int*)content, cy * contentStride + cx, 4);
            var lift = Vector256.Create(255) - Vector256.ShiftRightLogical(c, 24);
            var cr = Vector256.ConvertToSingle((c & byteMask) + lift) * inv255;
            var cg = Vector256.ConvertToSingle((Vector256.ShiftRightLogical(c, 8) & byteMask) + lift) * inv255;
            var cb = Vector256.ConvertToSingle((Vector256.ShiftRightLogical(c, 16) & byteMask) + lift) * inv255;
            Vector256<float> mr, mg, mb;
            if (p.Bilinear)
            {
                var fx = u - half;
                var fy = v - half;
                var lx = Vector256.Floor(fx);
                var ly = Vector256.Floor(fy);
                var tx = fx - lx;
                var ty = fy - ly;
                var x0 = Wrap(lx, cellW);
                var y0 = Wrap(ly, cellH);
                var x1 = Vector256.ConditionalSelect(Vector256.Equals(x0 + Vector256<int>.One, cellWi), Vector256<int>.Zero, x0 + Vector256<int>.One);
                var y1 = Vector256.ConditionalSelect(Vector256.Equals(y0 + Vector256<int>.One, Vector256.Create(p.CellHeight)), Vector256<int>.Zero, y0 + Vector256<int>.One);
                var a = Gather(cell, y0 * cellWi + x0, cellLast);
                var b = Gather(cell, y0 * cellWi + x1, cellLast);
                var d = Gather(cell, y1 * cellWi + x0, cellLast);
                var e = Gather(cell, y1 * cellWi + x1, cellLast);
                mr = Bilerp(a, b, d, e, 0, tx, ty);
                mg = Bilerp(a, b, d, e, 8, tx, ty);
                mb = Bilerp(a, b, d, e, 16, tx, ty);
            }
            else
            {
                var g = Gather(cell, Wrap(Vector256.Floor(v), cellH) * cellWi + Wrap(Vector256.Floor(u), cellW), cellLast);
                mr = Vector256.ConvertToSingle(g & byteMask) * inv255;
                mg = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(g, 8) & byteMask) * inv255;
                mb = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(g, 16) & byteMask) * inv255;
            }
            Vector256<float> r = cr * mr, gr = cg * mg, bl = cb * mb;
            var outR = Unorm(Vector256.Create(p.E00) * r + Vector256.Create(p.E01) * gr + Vector256.Create(p.E02) * bl + Vector256.Create(p.E0), zero, one, half);
            var outG = Unorm(Vector256.Create(p.E10) * r + Vector256.Create(p.E11) * gr + Vector256.Create(p.E12) * bl + Vector256.Create(p.E1), zero, one, half);
            var outB = Unorm(Vector256.Create(p.E20) * r + Vector256.Create(p.E21) * gr + Vector256.Create(p.E22) * bl + Vector256.Create(p.E2), zero, one, half);
            var packed = outR | Vector256.ShiftLeft(outG, 8) | Vector256.ShiftLeft(outB, 16) | opaque;
            (packed & inside.AsInt32()).AsUInt32().Store(row + x);
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Wrap(Vector256<float> whole, Vector256<float> size) =>
        Avx.ConvertToVector256Int32WithTruncation(whole - Vector256.Floor(whole / size) * size);

    /// <summary>Cell lookups; indices are clamped so that lanes off the panel (NaN or huge coordinates) stay in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Gather(uint* cell, Vector256<int> index, Vector256<int> last) =>
        Avx2.GatherVector256((int*)cell, Vector256.Max(Vector256.Min(index, last), Vector256<int>.Zero), 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Bilerp(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d, int shift, Vector256<float> tx, Vector256<float> ty)
    {
        var byteMask = Vector256.Create(0xFF);
        var inv255 = Vector256.Create(Inverse255);
        var top = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(a, shift) & byteMask) * inv255;
        var bottom = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(c, shift) & byteMask) * inv255;
        top += (Vector256.ConvertToSingle(Vector256.ShiftRightLogical(b, shift) & byteMask) * inv255 - top) * tx;
        bottom += (Vector256.ConvertToSingle(Vector256.ShiftRightLogical(d, shift) & byteMask) * inv255 - bottom) * tx;
        return top + (bottom - top) * ty;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Unorm(Vector256<float> value, Vector256<float> zero, Vector256<float> one, Vector256<float> half) =>
        Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(value, zero), one) * Vector256.Create(255f) + half);

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
    internal static SKBitmap Mask(string layout, byte leak, SampleRandom rng)
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
