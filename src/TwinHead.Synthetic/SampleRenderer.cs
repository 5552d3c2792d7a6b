using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>Draws one sample with the chosen renderer version and records its cues.</summary>
internal static class SampleRenderer
{
    public static (SKBitmap Bitmap, SampleCues Cues) Render(DocumentClass label, ulong seed, int width, int height,
        GeneratorVersion version, SceneAssets assets, int jpegQualityMin, int jpegQualityMax)
    {
        var rng = new SampleRandom(seed);
        // The JPEG quality comes from its own stream and the same range for every class, so it cannot hint at the label.
        var cues = new SampleCues { JpegQuality = rng.Fork().Int(jpegQualityMin, jpegQualityMax) };
        // Version 3 frames like a phone camera, from a stream of its own for the same reason.
        if (version == GeneratorVersion.Photographic) (width, height) = PhoneFrame(rng.Fork(), Math.Max(width, height));
        var bitmap = version == GeneratorVersion.Procedural
            ? ProceduralRenderer.Render(label, rng, width, height, assets.Fonts, cues)
            : RealisticRenderer.Render(label, rng, width, height, assets, cues, version);
        return (bitmap, cues);
    }

    /// <summary>
    /// A phone photo's frame with the given long side: 4:3 (most phones' default), 16:9 or square, portrait more often
    /// than landscape. Training resizes every image to a square without keeping the aspect, as the reference does, so
    /// real photos reach the model squashed by 3/4 or 9/16; square training images never would be.
    /// </summary>
    internal static (int Width, int Height) PhoneFrame(SampleRandom rng, int longSide)
    {
        var ratio = rng.Weighted([0.65, 0.25, 0.1]) switch { 0 => 4 / 3.0, 1 => 16 / 9.0, _ => 1.0 };
        var shortSide = Math.Max(16, (int)Math.Round(longSide / ratio));
        return rng.Chance(0.65) ? (shortSide, longSide) : (longSide, shortSide);
    }
}
