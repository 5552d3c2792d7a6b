using BenchmarkDotNet.Attributes;
using SkiaSharp;
using TwinHead.Core.Models;
using TwinHead.Imaging;

namespace TwinHead.Bench;

/// <summary>Preprocessing of a 12 MP JPEG to the 256x256 input tensor: scaled decode, resize, normalise.</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private byte[] jpeg = [];
    private RgbImage decoded = null!;
    private readonly float[] tensor = new float[3 * 256 * 256];
    private readonly ImagePreprocessor preprocessor = new(PreprocessingSpec.Reference(256));

    /// <summary>Makes a 4000x3000 JPEG with detail, so decode cost is realistic.</summary>
    [GlobalSetup]
    public void Setup()
    {
        using var bitmap = new SKBitmap(4000, 3000);
        using (var canvas = new SKCanvas(bitmap))
        {
            var random = new Random(1);
            using var paint = new SKPaint { IsAntialias = true };
            canvas.Clear(SKColors.White);
            for (var i = 0; i < 4000; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawCircle(random.Next(4000), random.Next(3000), random.Next(2, 60), paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        jpeg = data.ToArray();
        decoded = preprocessor.DecodeAndResize(jpeg, "bench");
    }

    /// <summary>Scaled decode + resize + normalise.</summary>
    [Benchmark]
    public void DecodeResizeNormalise() => preprocessor.Preprocess(jpeg, tensor, "bench");

    /// <summary>Normalise an already resized image.</summary>
    [Benchmark]
    public void NormaliseOnly() => TensorWriter.WriteChw(decoded, preprocessor.Spec, tensor);
}
