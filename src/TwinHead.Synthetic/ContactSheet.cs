using SkiaSharp;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Synthetic;

/// <summary>Grids of generated samples for eyeballing the generator's output next to real photos.</summary>
public static class ContactSheet
{
    /// <summary>
    /// Writes a PNG grid of <paramref name="columns"/> x <paramref name="rows"/> samples of one class, each
    /// <paramref name="tile"/> pixels square, passed through JPEG at a mid quality so compression shows as in a dataset.
    /// Sample k uses seed <paramref name="seed"/> + k. The samples are drawn with the version, fonts, photos and cutouts
    /// of <paramref name="options"/>; its output folder, count, size and splits are not used.
    /// </summary>
    public static void Write(string path, DocumentClass label, SynthOptions options, int columns = 4, int rows = 3, int tile = 160, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (columns < 1 || rows < 1 || tile < 16) throw new ArgumentOutOfRangeException(nameof(columns), "a contact sheet needs at least one 16 px tile");
        var generator = new SyntheticDatasetGenerator(options with { Width = tile, Height = tile });
        const int gap = 2;
        var info = new SKImageInfo(columns * (tile + gap) + gap, rows * (tile + gap) + gap, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var sheet = new SKBitmap(info);
        using (var canvas = new SKCanvas(sheet))
        {
            canvas.Clear(SKColors.White);
            for (var k = 0; k < columns * rows; k++)
            {
                using var sample = generator.RenderSample(label, seed + k);
                using var jpeg = SKBitmap.Decode(JpegEncoder.Encode(sample, 85));
                using var image = SKImage.FromBitmap(jpeg);
                // Version 3 frames are phone-shaped: centred in their square tile.
                canvas.DrawImage(image, gap + (k % columns) * (tile + gap) + (tile - image.Width) / 2, gap + (k / columns) * (tile + gap) + (tile - image.Height) / 2, SKSamplingOptions.Default);
            }
        }
        using var data = sheet.Encode(SKEncodedImageFormat.Png, 100);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, data.ToArray());
        File.Move(temp, path, overwrite: true);
    }
}
