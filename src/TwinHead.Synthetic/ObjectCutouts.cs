using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// Photographed objects cut out on a transparent background (animals, food, tools, vehicles, plants: Debian's
/// <c>tuxpaint-stamps-default</c>, GPL-2), placed into scenes. The 62 wallpapers are landscapes; real "not a document"
/// photos show animals, products and things on tables, which the procedural scenes only draw as flat shapes.
/// Only photographic stamps are kept (many colours in the opaque part: drawings have few), never the letter and sign
/// stamps of <c>symbols/</c>. Decoded once per process, at most <see cref="DecodeSide"/> pixels on the long side.
/// </summary>
internal sealed class ObjectCutouts
{
    /// <summary>Where the Debian package installs its stamps.</summary>
    public const string TuxPaintStamps = "/usr/share/tuxpaint/stamps";

    private const int DecodeSide = 384;

    private static readonly Lazy<ObjectCutouts> DebianCutouts = new(() => FromFolder(TuxPaintStamps));

    private readonly SKImage[] images;

    private ObjectCutouts(SKImage[] images) => this.images = images;

    public static ObjectCutouts Empty { get; } = new([]);

    /// <summary>The stamps of <see cref="TuxPaintStamps"/> when the package is installed, else none.</summary>
    public static ObjectCutouts Debian => DebianCutouts.Value;

    public int Count => images.Length;

    /// <summary>The photographic cutouts (PNG with transparency) under <paramref name="folder"/>, in path order.</summary>
    public static ObjectCutouts FromFolder(string folder)
    {
        if (!Directory.Exists(folder)) return Empty;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 };
        var files = Directory.EnumerateFiles(folder, "*.png", options)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}symbols{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        var kept = new SKImage?[files.Length];
        Parallel.For(0, files.Length, i => kept[i] = LoadPhotographic(files[i]));
        return new ObjectCutouts(kept.OfType<SKImage>().ToArray());
    }

    /// <summary>
    /// Draws one cutout inside <paramref name="area"/>, its long side <paramref name="minFill"/>-<paramref name="maxFill"/>
    /// of the area's short side, slightly rotated, over a soft contact shadow. Returns false when there are none.
    /// </summary>
    public bool Place(SKCanvas canvas, SKRect area, SampleRandom rng, double minFill, double maxFill)
    {
        if (images.Length == 0) return false;
        var image = images[rng.Index(images.Length)];
        var scale = rng.Range(minFill, maxFill) * Math.Min(area.Width, area.Height) / Math.Max(image.Width, image.Height);
        float w = image.Width * scale, h = image.Height * scale;
        var cx = area.Width > w ? area.Left + w / 2 + rng.Range(0, 1) * (area.Width - w) : area.MidX;
        var cy = area.Height > h ? area.Top + h / 2 + rng.Range(0, 1) * (area.Height - h) : area.MidY;
        var target = new SKRect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        canvas.Save();
        canvas.RotateDegrees(rng.Range(-12, 12), cx, cy);
        if (rng.Chance(0.5)) canvas.Scale(-1, 1, cx, cy);
        var blur = Math.Max(0.5f, Math.Max(w, h) * rng.Range(0.01, 0.04));
        using (var shadowFilter = SKColorFilter.CreateBlendMode(new SKColor(0, 0, 0, (byte)rng.Int(70, 150)), SKBlendMode.SrcIn))
        using (var shadowBlur = SKImageFilter.CreateBlur(blur, blur))
        using (var shadow = new SKPaint { ColorFilter = shadowFilter, ImageFilter = shadowBlur })
        {
            var offset = new SKPoint(rng.Range(-0.05, 0.05) * w, rng.Range(0.01, 0.06) * h);
            canvas.DrawImage(image, new SKRect(target.Left + offset.X, target.Top + offset.Y, target.Right + offset.X, target.Bottom + offset.Y), sampling, shadow);
        }
        canvas.DrawImage(image, target, sampling);
        canvas.Restore();
        return true;
    }

    /// <summary>The decoded stamp if it is a photograph with transparency around it; null for drawings and unreadable files.</summary>
    private static SKImage? LoadPhotographic(string file)
    {
        using var decoded = SKBitmap.Decode(file);
        if (decoded is null) return null;
        var factor = Math.Min(1f, DecodeSide / (float)Math.Max(decoded.Width, decoded.Height));
        var info = new SKImageInfo(Math.Max(1, (int)(decoded.Width * factor)), Math.Max(1, (int)(decoded.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = decoded.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (bitmap is null) return null;
        var px = PixelSpan.Of(bitmap);
        var colours = new HashSet<int>();
        int opaque = 0, clear = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var i = y * bitmap.RowBytes + x * 4;
                if (px[i + 3] < 8) clear++;
                else if (px[i + 3] > 250)
                {
                    opaque++;
                    colours.Add(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
                }
            }
        }
        var area = bitmap.Width * bitmap.Height;
        // Drawings are flat: a few hundred colours with their anti-aliasing; photographs have thousands.
        if (opaque < 2000 || clear < area / 10 || colours.Count < 4000)
        {
            bitmap.Dispose();
            return null;
        }
        bitmap.SetImmutable();
        return SKImage.FromBitmap(bitmap);
    }
}
