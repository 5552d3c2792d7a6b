using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>Draws one sample with the chosen renderer version and records its cues.</summary>
internal static class SampleRenderer
{
    public static (SKBitmap Bitmap, SampleCues Cues) Render(DocumentClass label, ulong seed, int width, int height,
        GeneratorVersion version, PhotoLibrary photos, int jpegQualityMin, int jpegQualityMax)
    {
        var rng = new SampleRandom(seed);
        // The JPEG quality comes from its own stream and the same range for every class, so it cannot hint at the label.
        var cues = new SampleCues { JpegQuality = rng.Fork().Int(jpegQualityMin, jpegQualityMax) };
        var bitmap = version == GeneratorVersion.Procedural
            ? ProceduralRenderer.Render(label, rng, width, height, cues)
            : RealisticRenderer.Render(label, rng, width, height, photos, cues, distantDisplays: version == GeneratorVersion.Photographic);
        return (bitmap, cues);
    }
}
