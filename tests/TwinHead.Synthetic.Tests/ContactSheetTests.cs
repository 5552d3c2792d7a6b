using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic.Tests;

public sealed class ContactSheetTests
{
    [Fact]
    public void Writes_a_png_grid_of_the_requested_size()
    {
        var path = Path.Combine(Path.GetTempPath(), "twinhead-contact-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            ContactSheet.Write(path, DocumentClass.Screen, new SynthOptions("unused", Version: GeneratorVersion.Procedural), columns: 3, rows: 2, tile: 32);
            using var codec = SKCodec.Create(path);
            Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
            Assert.Equal(3 * 34 + 2, codec.Info.Width);
            Assert.Equal(2 * 34 + 2, codec.Info.Height);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Realistic_samples_of_every_class_are_deterministic_and_not_blank()
    {
        foreach (var label in DocumentClasses.All)
        {
            using var a = SyntheticDatasetGenerator.RenderSample(label, 5, 48, 48, GeneratorVersion.Realistic);
            using var b = SyntheticDatasetGenerator.RenderSample(label, 5, 48, 48, GeneratorVersion.Realistic);
            Assert.Equal(a.Bytes, b.Bytes);
            var distinct = a.Pixels.Select(p => p.Red / 16 * 256 + p.Green / 16 * 16 + p.Blue / 16).Distinct().Count();
            Assert.True(distinct > 20, $"{label} sample has only {distinct} colours");
        }
    }
}
