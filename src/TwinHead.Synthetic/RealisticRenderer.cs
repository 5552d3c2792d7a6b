using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>Version 2: a scene is rendered, then photographed by a simulated phone camera.</summary>
internal static class RealisticRenderer
{
    public static SKBitmap Render(DocumentClass label, SampleRandom rng, int width, int height, PhotoLibrary photos, SampleCues cues)
    {
        var bitmap = ProceduralRenderer.Render(label, rng, width, height, cues);
        cues.Noise = rng.Range(0.005, 0.03);
        SensorNoise.Apply(bitmap, rng, (float)cues.Noise);
        return bitmap;
    }
}
