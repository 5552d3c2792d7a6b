using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic.Tests;

public sealed class DisplaySceneTests
{
    /// <summary>
    /// A flat grey panel whose pixels are 0.4 scene pixels apart (400 across 160): drawn straight into the scene (v2's
    /// way) the sub-pixel grid aliases into pixel-to-pixel texture; sampled finely and averaged down (v3's distant
    /// display, as a phone's high-resolution sensor and the downscaled photo do) the texture must be mostly gone.
    /// </summary>
    [Fact]
    public void A_distant_display_keeps_no_pixel_grid_that_a_near_one_shows()
    {
        SKPoint[] quad = [new(20, 20), new(180, 23), new(177, 118), new(22, 116)];
        var near = Roughness(quad, distant: false);
        var far = Roughness(quad, distant: true);

        Assert.True(near > 4 * far, $"pixel-to-pixel difference near {near:F2}, distant {far:F2}");
        Assert.True(far < 3, $"distant panel still textured: {far:F2}");
    }

    [Fact]
    public void Photographic_screens_record_their_pixel_pitch_and_mostly_do_not_resolve_it()
    {
        var root = Path.Combine(Path.GetTempPath(), "twinhead-pitch-" + Guid.NewGuid().ToString("N"));
        try
        {
            new SyntheticDatasetGenerator(new SynthOptions(root, Count: 60, Seed: 3, Width: 48, Height: 48, Parallelism: 2,
                Version: GeneratorVersion.Photographic, ExtraPhotoDirectories: [])).Generate();
            var rows = File.ReadAllLines(Path.Combine(root, SyntheticDatasetGenerator.GeneratorCsvName)).Skip(1).Select(l => l.Split(',')).ToArray();
            var pitch = Array.IndexOf(SampleCues.Columns, "pixel_pitch");
            var screens = rows.Where(r => r[1] == ((int)DocumentClass.Screen).ToString()).Select(r => double.Parse(r[pitch], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(20, screens.Length);
            Assert.All(screens, p => Assert.True(p > 0));
            Assert.True(screens.Count(p => p < 1) >= 10, $"pitches: {string.Join(' ', screens)}");
            Assert.All(rows.Where(r => r[1] != ((int)DocumentClass.Screen).ToString()), r => Assert.Equal("0", r[pitch]));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Version 4 is version 2 with photographs on the screens that showed a picture: for one seed, every document and
    /// not-document file is v2's, screens recorded as showing a photograph differ, and all other screens are v2's.
    /// </summary>
    [Fact]
    public void Recaptured_changes_only_the_screens_that_show_a_photograph()
    {
        var root = Path.Combine(Path.GetTempPath(), "twinhead-recaptured-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var generator in new[] { GeneratorVersion.Realistic, GeneratorVersion.Recaptured })
            {
                new SyntheticDatasetGenerator(new SynthOptions(Path.Combine(root, generator.ToString()), Count: 60, Seed: 3, Width: 48, Height: 48,
                    Parallelism: 2, Version: generator, ExtraPhotoDirectories: [])).Generate();
            }
            var rows = File.ReadAllLines(Path.Combine(root, nameof(GeneratorVersion.Recaptured), SyntheticDatasetGenerator.GeneratorCsvName))
                .Skip(1).Select(l => l.Split(',')).ToArray();
            var content = Array.IndexOf(SampleCues.Columns, "content");
            var version = Array.IndexOf(SampleCues.Columns, "version");
            Assert.All(rows, r => Assert.Equal("recaptured", r[version]));
            var changed = new List<string>();
            foreach (var row in rows)
            {
                var same = File.ReadAllBytes(Path.Combine(root, nameof(GeneratorVersion.Realistic), row[0]))
                    .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, nameof(GeneratorVersion.Recaptured), row[0])));
                var photograph = row[1] == ((int)DocumentClass.Screen).ToString() && row[content] == "photograph";
                Assert.True(same != photograph, $"{row[0]} (content {row[content]}): {(same ? "unchanged" : "changed")}");
                if (photograph) changed.Add(row[0]);
            }
            Assert.InRange(changed.Count, 4, 16);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Version 5 is version 4 plus full-frame screens: for one seed every document and not-document file is v4's, and
    /// the full-frame screens have no bezel and a pixel pitch below one output pixel (the grid is not resolved).
    /// </summary>
    [Fact]
    public void Full_frame_adds_unresolved_bezel_less_screens_and_keeps_the_other_classes()
    {
        var root = Path.Combine(Path.GetTempPath(), "twinhead-fullframe-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var generator in new[] { GeneratorVersion.Recaptured, GeneratorVersion.FullFrame })
            {
                new SyntheticDatasetGenerator(new SynthOptions(Path.Combine(root, generator.ToString()), Count: 90, Seed: 3, Width: 48, Height: 48,
                    Parallelism: 2, Version: generator, ExtraPhotoDirectories: [])).Generate();
            }
            var rows = File.ReadAllLines(Path.Combine(root, nameof(GeneratorVersion.FullFrame), SyntheticDatasetGenerator.GeneratorCsvName))
                .Skip(1).Select(l => l.Split(',')).ToArray();
            int Column(string name) => Array.IndexOf(SampleCues.Columns, name);
            Assert.All(rows, r => Assert.Equal("fullframe", r[Column("version")]));
            var screen = ((int)DocumentClass.Screen).ToString();
            foreach (var row in rows.Where(r => r[1] != screen))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(root, nameof(GeneratorVersion.Recaptured), row[0])),
                    File.ReadAllBytes(Path.Combine(root, nameof(GeneratorVersion.FullFrame), row[0])));
            }
            var fullFrame = rows.Where(r => r[1] == screen && r[Column("device")] == "fullframe").ToArray();
            Assert.InRange(fullFrame.Length, 2, 14);
            Assert.All(fullFrame, r =>
            {
                Assert.Equal("no", r[Column("bezel")]);
                Assert.InRange(double.Parse(r[Column("pixel_pitch")], System.Globalization.CultureInfo.InvariantCulture), 0.01, 0.99);
            });
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Photographic_frames_are_phone_shaped_and_the_same_whatever_the_class()
    {
        var sizes = new HashSet<(int, int)>();
        for (var seed = 0; seed < 40; seed++)
        {
            var perClass = DocumentClasses.All.Select(label =>
            {
                using var image = SyntheticDatasetGenerator.RenderSample(label, seed, 64, 48, GeneratorVersion.Photographic);
                return (image.Width, image.Height);
            }).Distinct().ToArray();
            Assert.Single(perClass);
            sizes.Add(perClass[0]);
        }
        Assert.Equal([(36, 64), (48, 64), (64, 36), (64, 48), (64, 64)], sizes.Order().ToArray());
    }

    [Theory]
    [InlineData(2, 37, 23, 0)]
    [InlineData(3, 41, 17, 12)]
    [InlineData(4, 19, 30, 4)]
    [InlineData(3, 5, 3, 0)]
    public void Box_average_matches_the_integer_reference(int factor, int width, int height, int stridePadding)
    {
        var random = new Random(factor * 1000 + width);
        var fineStride = width * factor * 4 + stridePadding;
        var fine = new byte[fineStride * height * factor];
        random.NextBytes(fine);
        // Saturated rows too: the largest sums are where a division rounded in float would go wrong first.
        for (var i = 0; i < fineStride * factor * 2; i++) fine[i] = 255;
        var outputStride = width * 4 + stridePadding;
        var output = new byte[outputStride * height];
        DisplayScene.BoxAverage(fine, fineStride, output, outputStride, width, height, factor);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 4; c++)
                {
                    var sum = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int bx = Math.Clamp(x + dx, 0, width - 1), by = Math.Clamp(y + dy, 0, height - 1);
                            var weight = (2 - Math.Abs(dx)) * (2 - Math.Abs(dy));
                            for (var fy = 0; fy < factor; fy++)
                            {
                                for (var fx = 0; fx < factor; fx++) sum += weight * fine[(by * factor + fy) * fineStride + (bx * factor + fx) * 4 + c];
                            }
                        }
                    }
                    var total = 16 * factor * factor;
                    Assert.Equal((sum + total / 2) / total, output[y * outputStride + x * 4 + c]);
                }
            }
        }
        Assert.Contains(output, b => b == 255);
    }

    private static double Roughness(SKPoint[] quad, bool distant)
    {
        using var content = new SKBitmap(new SKImageInfo(400, 240, SKColorType.Rgba8888, SKAlphaType.Premul));
        content.Erase(new SKColor(128, 128, 128));
        var panel = new SubpixelDisplay(content, "rgb-stripe", new SampleRandom(3));
        using var scene = new SKBitmap(new SKImageInfo(200, 140, SKColorType.Rgba8888, SKAlphaType.Premul));
        var gain = 1 / panel.Transmission;
        float[] emissive = [gain, 0, 0, 0, 0, 0, gain, 0, 0, 0, 0, 0, gain, 0, 0, 0, 0, 0, 1, 0];
        using (var canvas = new SKCanvas(scene))
        {
            canvas.Clear(SKColors.Black);
            var map = Homography.RectToQuad(panel.Width, panel.Height, quad);
            if (distant) DisplayScene.DrawSupersampled(canvas, new SKRect(0, 0, 200, 140), quad, panel, map, bilinear: true, emissive);
            else panel.Draw(canvas, map, bilinear: true, emissive);
        }
        // Mean absolute difference between horizontal neighbours, all channels, well inside the panel.
        double sum = 0;
        var n = 0;
        for (var y = 40; y < 100; y++)
        {
            for (var x = 50; x < 150; x++)
            {
                SKColor a = scene.GetPixel(x, y), b = scene.GetPixel(x + 1, y);
                sum += Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
                n += 3;
            }
        }
        return sum / n;
    }
}
