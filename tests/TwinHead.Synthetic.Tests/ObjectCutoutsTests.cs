using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

public sealed class ObjectCutoutsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-cutouts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>A disc on a transparent square, filled with random colours (a photograph) or one colour (a drawing); or an opaque noise square.</summary>
    private void WriteStamp(string relativePath, bool photographic, bool transparent = true)
    {
        const int side = 120;
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var random = new Random(relativePath.Length);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var inside = (x - 60) * (x - 60) + (y - 60) * (y - 60) < 50 * 50;
                var colour = photographic ? new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) : new SKColor(200, 80, 40);
                bitmap.SetPixel(x, y, inside || !transparent ? colour : SKColors.Transparent);
            }
        }
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void Keeps_photographic_stamps_with_transparency_only_and_places_them_deterministically()
    {
        WriteStamp("animals/photo.png", photographic: true);
        WriteStamp("animals/drawing.png", photographic: false);
        WriteStamp("symbols/letter.png", photographic: true);
        WriteStamp("town/opaque.png", photographic: true, transparent: false);

        var cutouts = ObjectCutouts.FromFolder(root);
        Assert.Equal(1, cutouts.Count);
        Assert.Equal(0, ObjectCutouts.FromFolder(Path.Combine(root, "missing")).Count);
        using (var blank = new SKBitmap(8, 8))
        using (var canvas = new SKCanvas(blank))
        {
            Assert.False(ObjectCutouts.Empty.Place(canvas, new SKRect(0, 0, 8, 8), new SampleRandom(1), 0.5, 0.9));
        }

        byte[] Render(ulong seed)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.White);
                Assert.True(cutouts.Place(canvas, new SKRect(0, 0, 64, 64), new SampleRandom(seed), 0.5, 0.9));
            }
            return bitmap.Bytes;
        }
        var first = Render(3);
        Assert.Equal(first, Render(3));
        Assert.NotEqual(first, Render(4));
        Assert.True(first.Where((b, i) => i % 4 != 3 && b != 255).Count() > 64 * 64, "the cutout covers a good part of the frame");
    }

    [Fact]
    public void The_cutouts_option_places_objects_or_names_the_missing_package()
    {
        var options = new SynthOptions(Path.Combine(root, "data"), Count: 30, Seed: 5, Width: 48, Height: 48, Parallelism: 2,
            ExtraPhotoDirectories: [], ObjectCutouts: true);
        if (ObjectCutouts.Debian.Count == 0)
        {
            var error = Assert.Throws<DirectoryNotFoundException>(() => new SyntheticDatasetGenerator(options).Generate());
            Assert.Contains("tuxpaint-stamps-default", error.Message);
            Assert.False(Directory.Exists(options.OutputDirectory));
            return;
        }
        new SyntheticDatasetGenerator(options).Generate();
        var layouts = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.GeneratorCsvName)).Skip(1).Select(l => l.Split(',')[4]);
        Assert.Contains("objects", layouts);
    }
}
