using BenchmarkDotNet.Attributes;
using SkiaSharp;
using TwinHead.Core.Labels;
using TwinHead.Imaging;
using TwinHead.Synthetic;

namespace TwinHead.Bench;

/// <summary>
/// Compressing one generated 512 px image, as the generator saves every sample: Skia's bundled libjpeg against
/// <see cref="JpegEncoder"/> (the system's libjpeg-turbo when installed; the same bytes either way).
/// </summary>
[MemoryDiagnoser]
public class JpegEncodingBenchmarks
{
    private SKBitmap sample = null!;

    /// <summary>Quality in the generator's range (70-95).</summary>
    [Params(70, 95)]
    public int Quality { get; set; }

    /// <summary>Renders a realistic document sample with the installed Debian fonts and photos.</summary>
    [GlobalSetup]
    public void Setup() => sample = SyntheticDatasetGenerator.RenderSample(DocumentClass.Document, 5, 512, 512, GeneratorVersion.Realistic);

    /// <summary>Releases the sample.</summary>
    [GlobalCleanup]
    public void Cleanup() => sample.Dispose();

    /// <summary>Skia's encoder, as the generator used until session 18.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Skia()
    {
        using var data = sample.Encode(SKEncodedImageFormat.Jpeg, Quality);
        return data.ToArray();
    }

    /// <summary>What the generator uses now.</summary>
    [Benchmark]
    public byte[] TwinHeadJpegEncoder() => JpegEncoder.Encode(sample, Quality);
}
