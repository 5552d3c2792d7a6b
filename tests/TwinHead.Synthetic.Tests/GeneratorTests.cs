using System.Globalization;
using SkiaSharp;
using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Synthetic.Tests;

public sealed class GeneratorTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-synth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private SynthOptions Small(string name, GeneratorVersion version = GeneratorVersion.Realistic, int count = 30) =>
        new(Path.Combine(root, name), Count: count, Seed: 7, Width: 48, Height: 40, Parallelism: 2, Version: version,
            ExtraPhotoDirectories: []);

    [Theory]
    [InlineData(GeneratorVersion.Procedural)]
    [InlineData(GeneratorVersion.Realistic)]
    [InlineData(GeneratorVersion.Photographic)]
    [InlineData(GeneratorVersion.Recaptured)]
    [InlineData(GeneratorVersion.FullFrame)]
    public void Same_seed_gives_identical_bytes_whatever_the_parallelism(GeneratorVersion version)
    {
        var a = Small("a", version, 12);
        new SyntheticDatasetGenerator(a).Generate();
        new SyntheticDatasetGenerator(a with { OutputDirectory = Path.Combine(root, "b"), Parallelism = 1 }).Generate();
        var files = Directory.GetFiles(a.OutputDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a.OutputDirectory, f)).Order().ToArray();
        Assert.Equal(12 + 5, files.Length);
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.OutputDirectory, file)), File.ReadAllBytes(Path.Combine(root, "b", file)));
        }
    }

    [Fact]
    public void A_different_seed_gives_different_images()
    {
        using var a = SyntheticDatasetGenerator.RenderSample(DocumentClass.Document, 1, 48, 48, GeneratorVersion.Realistic);
        using var b = SyntheticDatasetGenerator.RenderSample(DocumentClass.Document, 2, 48, 48, GeneratorVersion.Realistic);
        Assert.NotEqual(a.Bytes, b.Bytes);
    }

    [Fact]
    public void Writes_reference_layout_with_balanced_classes_and_stratified_splits()
    {
        var options = Small("layout", count: 60);
        var result = new SyntheticDatasetGenerator(options).Generate();

        Assert.Equal(60, result.Images);
        Assert.All(DocumentClasses.All, c => Assert.Equal(20, result.PerClass[c]));
        var splits = new[] { "train", "val", "test" }.ToDictionary(s => s, s => SplitCsv.Read(Path.Combine(options.OutputDirectory, s + ".csv")));
        Assert.All(splits.Values, s => Assert.Empty(s.Problems));
        var all = splits.Values.SelectMany(s => s.Rows).ToArray();
        Assert.Equal(60, all.Length);
        Assert.Equal(60, all.Select(r => r.RelativePath).Distinct().Count());
        foreach (var row in all)
        {
            Assert.StartsWith(DocumentClasses.FolderOf(row.Label) + "/", row.RelativePath);
            var file = Path.Combine(options.OutputDirectory, row.RelativePath);
            using var codec = SKCodec.Create(file);
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal(48, codec.Info.Width);
            Assert.Equal(40, codec.Info.Height);
        }
        Assert.Contains(all, r => r.RelativePath.StartsWith("not a documents/n_", StringComparison.Ordinal));
        Assert.Contains(all, r => r.RelativePath.StartsWith("screens/s_", StringComparison.Ordinal));
        // 20 per class: 14 train, 3 val, 3 test in every class.
        foreach (var c in DocumentClasses.All)
        {
            Assert.Equal(14, splits["train"].Rows.Count(r => r.Label == c));
            Assert.Equal(3, splits["val"].Rows.Count(r => r.Label == c));
            Assert.Equal(3, splits["test"].Rows.Count(r => r.Label == c));
        }
        Assert.Empty(Directory.GetFiles(options.OutputDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Generator_csv_has_one_row_per_image_with_seed_and_cues()
    {
        var options = Small("cues", count: 9);
        new SyntheticDatasetGenerator(options).Generate();
        var lines = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.GeneratorCsvName));
        var header = lines[0].Split(',');
        foreach (var column in new[] { "path", "label", "seed", "version", "layout", "device", "bezel", "moire", "perspective", "blur", "jpeg_quality", "background" })
        {
            Assert.Contains(column, header);
        }
        Assert.Equal(10, lines.Length);
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(options.OutputDirectory, r[0])), r[0]));
        Assert.All(rows, r => Assert.Equal("realistic", r[Array.IndexOf(header, "version")]));
        var quality = rows.Select(r => int.Parse(r[Array.IndexOf(header, "jpeg_quality")], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(quality, q => Assert.InRange(q, options.JpegQualityMin, options.JpegQualityMax));
        var seeds = rows.Select(r => r[Array.IndexOf(header, "seed")]).ToArray();
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.All(rows, r => Assert.Equal(r[0].Split('/')[0], DocumentClasses.FolderOf((DocumentClass)int.Parse(r[1], CultureInfo.InvariantCulture))));
        var screens = rows.Where(r => r[1] == "2").ToArray();
        Assert.All(screens, r => Assert.NotEqual("none", r[Array.IndexOf(header, "device")]));
    }

    [Fact]
    public void Sources_tsv_lists_the_font_files_from_the_known_folders_and_the_photos()
    {
        var photoDir = Path.Combine(root, "photos");
        Directory.CreateDirectory(photoDir);
        byte[] padded;
        using (var bitmap = new SKBitmap(400, 300))
        {
            using var canvas = new SKCanvas(bitmap);
            canvas.Clear(SKColors.CadetBlue);
            // Trailing bytes lift the file over the photo filter's 20 KB floor; decoders ignore them.
            padded = JpegEncoder.Encode(bitmap, 90).Concat(new byte[25_000]).ToArray();
        }
        File.WriteAllBytes(Path.Combine(photoDir, "p.jpg"), padded);
        var options = Small("sources", count: 3) with { ExtraPhotoDirectories = [photoDir] };

        var result = new SyntheticDatasetGenerator(options).Generate();

        var rows = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.SourcesTsvName));
        Assert.Equal("kind\tpath\tbytes", rows[0]);
        var fonts = rows.Skip(1).Select(r => r.Split('\t')).Where(r => r[0] == "font").ToArray();
        Assert.Equal(FontCatalog.Default.Files, fonts.Select(r => r[1]));
        Assert.All(fonts, r =>
        {
            Assert.Contains(DebianFontSources.KnownFolders, folder => r[1].StartsWith(folder + "/", StringComparison.Ordinal));
            Assert.Equal(new FileInfo(r[1]).Length.ToString(CultureInfo.InvariantCulture), r[2]);
        });
        var photos = rows.Skip(1).Select(r => r.Split('\t')).Where(r => r[0] == "photo").ToArray();
        Assert.Equal([[ "photo", Path.Combine(photoDir, "p.jpg"), padded.Length.ToString(CultureInfo.InvariantCulture) ]], photos);
        Assert.Equal(rows.Length - 1, fonts.Length + photos.Length);
        Assert.Equal((fonts.Length, 1), (result.FontFiles, result.PhotoFiles));
    }

    [Fact]
    public void Refuses_a_non_empty_directory_unless_overwrite()
    {
        var options = Small("busy", count: 3);
        Directory.CreateDirectory(options.OutputDirectory);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "keep.txt"), "x");
        var error = Assert.Throws<IOException>(() => new SyntheticDatasetGenerator(options).Generate());
        Assert.Contains("not empty", error.Message);
        Assert.Contains(Path.GetFullPath(options.OutputDirectory), error.Message);

        var result = new SyntheticDatasetGenerator(options with { Overwrite = true }).Generate();
        Assert.Equal(3, result.Images);
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "train.csv")));
    }

    [Fact]
    public void Rejects_bad_options_with_the_field_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticDatasetGenerator(Small("bad") with { JpegQualityMin = 96 }));
        Assert.Contains("JpegQualityMin", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticDatasetGenerator(Small("bad") with { TrainFraction = 0.9, ValFraction = 0.2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticDatasetGenerator(Small("bad") with { Count = 0 }));
    }
}
