using System.Globalization;
using SkiaSharp;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Synthetic.Tests;

/// <summary><see cref="SynthOptions.HeldOutSources"/>: validation and test images drawn only from photos and fonts no training image used.</summary>
public sealed class HeldOutSourcesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-held-out-" + Guid.NewGuid().ToString("N"));

    public HeldOutSourcesTests() => Directory.CreateDirectory(root);

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>A folder of <paramref name="count"/> different noisy PNG photos, each above the 20 kB icon limit.</summary>
    private string PhotoFolder(int count)
    {
        var folder = Path.Combine(root, "photos");
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        for (var k = 0; k < count; k++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(96, 96, SKColorType.Rgba8888, SKAlphaType.Premul));
            var pixels = new byte[96 * 96 * 4];
            random.NextBytes(pixels);
            for (var i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, $"photo{k}.png"), data.ToArray());
        }
        return folder;
    }

    [Theory]
    [InlineData(10, 0.2, 2)]
    [InlineData(10, 0.01, 1)]
    [InlineData(10, 0.99, 9)]
    [InlineData(3, 0.5, 2)]
    public void A_split_holds_out_the_rounded_share_and_keeps_the_order(int n, double fraction, int heldOut)
    {
        var items = Enumerable.Range(0, n).Select(i => $"f{i:00}").ToArray();

        var (kept, held) = SourcePartition.Split(items, fraction, new SampleRandom(7));
        var (keptAgain, heldAgain) = SourcePartition.Split(items, fraction, new SampleRandom(7));

        Assert.Equal(heldOut, held.Count);
        Assert.Empty(kept.Intersect(held));
        Assert.Equal(items, kept.Concat(held).Order(StringComparer.Ordinal));
        Assert.Equal(kept.Order(StringComparer.Ordinal), kept);
        Assert.Equal(held.Order(StringComparer.Ordinal), held);
        Assert.Equal(kept, keptAgain);
        Assert.Equal(held, heldAgain);
    }

    [Fact]
    public void Another_seed_holds_out_other_items_and_a_single_item_is_on_both_sides()
    {
        var items = Enumerable.Range(0, 40).Select(i => $"f{i:00}").ToArray();

        var draws = Enumerable.Range(0, 4).Select(seed => string.Join(',', SourcePartition.Split(items, 0.25, new SampleRandom((ulong)seed)).HeldOut)).ToArray();
        var single = SourcePartition.Split(["only"], 0.5, new SampleRandom(1));

        Assert.Equal(4, draws.Distinct().Count());
        Assert.Equal(["only"], single.Kept);
        Assert.Equal(["only"], single.HeldOut);
    }

    [Fact]
    public void Font_kinds_are_split_apart_so_both_sides_keep_text_monospace_and_handwriting_faces()
    {
        var fonts = FontCatalog.Default;
        Assert.True(fonts.HandFaces.Count >= 2 && fonts.MonoFaces.Count >= 2, "the Debian font packages are not installed; run tools/install-data-packages.sh");

        var (kept, held) = fonts.Partition(0.2, new SampleRandom(3));

        Assert.Empty(kept.Files.Intersect(held.Files));
        Assert.Equal(fonts.Files.Order(StringComparer.Ordinal), kept.Files.Concat(held.Files).Order(StringComparer.Ordinal));
        Assert.All(new[] { kept, held }, side => Assert.True(side.HandFaces.Count > 0 && side.MonoFaces.Count > 0 && side.TextFaces.Count > 0));
        Assert.InRange(held.Files.Count, 0.15 * fonts.Files.Count, 0.25 * fonts.Files.Count);
    }

    [Fact]
    public void Training_images_use_only_kept_sources_and_validation_and_test_images_only_held_out_ones()
    {
        var options = new SynthOptions(Path.Combine(root, "data"), Count: 18, Seed: 11, Width: 48, Height: 48, Parallelism: 2,
            ExtraPhotoDirectories: [PhotoFolder(6)], HeldOutSources: 0.5);

        var result = new SyntheticDatasetGenerator(options).Generate();

        var (training, heldOut) = SourcePartition.Split(SyntheticDatasetGenerator.Assets(options), 0.5, options.Seed);
        Assert.Equal((3, heldOut.Photos.Count), (result.HeldOutPhotoFiles, 3));
        Assert.Empty(training.Photos.Files.Intersect(heldOut.Photos.Files));
        var sources = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.SourcesTsvName)).Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.Equal(heldOut.Photos.Files, sources.Where(r => r[0] == "held-out photo").Select(r => r[1]));
        Assert.Equal(result.HeldOutFontFiles, sources.Count(r => r[0] == "held-out font"));
        Assert.True(result.HeldOutFontFiles > 0);

        var splitOf = new[] { "train", "val", "test" }
            .SelectMany(s => File.ReadAllLines(Path.Combine(options.OutputDirectory, s + ".csv")).Select(l => (Path: l.Split(',')[0], Split: s)))
            .ToDictionary(x => x.Path, x => x.Split);
        var rows = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.GeneratorCsvName)).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(18, rows.Length);
        Assert.Contains("val", splitOf.Values);
        foreach (var row in rows)
        {
            var label = (DocumentClass)int.Parse(row[1], CultureInfo.InvariantCulture);
            var seed = ulong.Parse(row[2], CultureInfo.InvariantCulture);
            var expectedAssets = splitOf[row[0]] == "train" ? training : heldOut;
            var (bitmap, cues) = SampleRenderer.Render(label, seed, 48, 48, options.Version, expectedAssets, options.JpegQualityMin, options.JpegQualityMax);
            using (bitmap)
            {
                Assert.Equal(JpegEncoder.Encode(bitmap, cues.JpegQuality), File.ReadAllBytes(Path.Combine(options.OutputDirectory, row[0])));
            }
        }
    }

    [Fact]
    public void Without_a_held_out_share_every_split_draws_from_all_sources()
    {
        var photos = PhotoFolder(4);
        var options = new SynthOptions(Path.Combine(root, "plain"), Count: 9, Seed: 11, Width: 48, Height: 48, Parallelism: 2, ExtraPhotoDirectories: [photos]);

        var result = new SyntheticDatasetGenerator(options).Generate();

        Assert.Equal((0, 0), (result.HeldOutFontFiles, result.HeldOutPhotoFiles));
        var kinds = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.SourcesTsvName)).Skip(1).Select(l => l.Split('\t')[0]).Distinct();
        Assert.Equal(["font", "photo"], kinds);
        var assets = SyntheticDatasetGenerator.Assets(options);
        var row = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.GeneratorCsvName))[1].Split(',');
        var (bitmap, cues) = SampleRenderer.Render((DocumentClass)int.Parse(row[1], CultureInfo.InvariantCulture), ulong.Parse(row[2], CultureInfo.InvariantCulture),
            48, 48, options.Version, assets, options.JpegQualityMin, options.JpegQualityMax);
        using (bitmap) Assert.Equal(JpegEncoder.Encode(bitmap, cues.JpegQuality), File.ReadAllBytes(Path.Combine(options.OutputDirectory, row[0])));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_held_out_share_outside_zero_to_one_is_refused_by_name(double share)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticDatasetGenerator(new SynthOptions(Path.Combine(root, "bad"), HeldOutSources: share)));

        Assert.Contains("HeldOutSources", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "bad")));
    }
}
