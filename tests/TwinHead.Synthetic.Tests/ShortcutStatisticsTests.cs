using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic.Tests;

/// <summary>
/// A model must learn documents, screens and everything else from what they look like, not from incidental statistics
/// that differ between classes. This generates a small batch and compares class-conditional means of such statistics.
/// </summary>
public sealed class ShortcutStatisticsTests : IDisposable
{
    private const int PerClass = 30;
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-shortcuts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private sealed record ImageStats(double Mean, double Std, double BytesPerPixel, double BorderMean, double BorderSaturation);

    [Theory]
    [InlineData(GeneratorVersion.Realistic)]
    [InlineData(GeneratorVersion.Photographic)]
    [InlineData(GeneratorVersion.Recaptured)]
    [InlineData(GeneratorVersion.FullFrame)]
    public void Class_means_of_brightness_contrast_jpeg_size_and_border_colour_stay_close(GeneratorVersion version)
    {
        var options = new SynthOptions(root, Count: PerClass * 3, Seed: 11, Width: 64, Height: 64, Parallelism: 2,
            Version: version, ExtraPhotoDirectories: []);
        new SyntheticDatasetGenerator(options).Generate();
        var stats = DocumentClasses.All.ToDictionary(c => c, c =>
            Directory.GetFiles(Path.Combine(root, DocumentClasses.FolderOf(c)), "*.jpg").Select(Measure).ToArray());
        Assert.All(stats.Values, s => Assert.Equal(PerClass, s.Length));

        // Tolerances: about three standard errors of a difference of two class means with 30 images each
        // (per-image spread measured on generated batches: brightness sd ~0.09, contrast sd ~0.05, border sd ~0.13,
        // so 3 * sd * sqrt(2/30) = 0.07, 0.04, 0.10), rounded up a little. A real shortcut (e.g. screens always darker)
        // shows up as a gap several times larger.
        var report = new List<string>();
        var ok = Close(stats, s => s.Mean, 0.08, "mean brightness", report)
            & Close(stats, s => s.Std, 0.05, "brightness standard deviation", report)
            & Close(stats, s => s.BorderMean, 0.11, "border mean brightness", report)
            & Close(stats, s => s.BorderSaturation, 0.08, "border saturation", report);
        // JPEG size depends on detail; compared as a ratio since it is not bounded. Quality is drawn from one range for all.
        var bytes = DocumentClasses.All.Select(c => stats[c].Average(s => s.BytesPerPixel)).ToArray();
        var ratio = bytes.Max() / bytes.Min();
        report.Add($"JPEG bytes per pixel: {string.Join(" / ", bytes.Select(b => b.ToString("F3")))}, max/min {ratio:F2} (limit 1.35)");
        ok &= ratio < 1.35;
        Assert.True(ok, string.Join(Environment.NewLine, report));
    }

    private static bool Close(Dictionary<DocumentClass, ImageStats[]> stats, Func<ImageStats, double> pick, double tolerance, string what, List<string> report)
    {
        var means = DocumentClasses.All.Select(c => stats[c].Average(pick)).ToArray();
        var spread = means.Max() - means.Min();
        report.Add($"{what}: document {means[0]:F3}, not-document {means[1]:F3}, screen {means[2]:F3}; spread {spread:F3} (limit {tolerance})");
        return spread <= tolerance;
    }

    private static ImageStats Measure(string file)
    {
        using var bitmap = SKBitmap.Decode(file);
        double sum = 0, sumSq = 0, border = 0, borderSat = 0;
        var n = 0;
        var nb = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                var l = (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue) / 255;
                sum += l;
                sumSq += l * l;
                n++;
                if (x < 4 || y < 4 || x >= bitmap.Width - 4 || y >= bitmap.Height - 4)
                {
                    border += l;
                    borderSat += (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue))) / 255.0;
                    nb++;
                }
            }
        }
        var mean = sum / n;
        return new ImageStats(mean, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), new FileInfo(file).Length / (double)n, border / nb, borderSat / nb);
    }
}
