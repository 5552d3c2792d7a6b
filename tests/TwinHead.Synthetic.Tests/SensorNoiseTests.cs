using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

public sealed class SensorNoiseTests
{
    private static SKBitmap Gradient()
    {
        var bitmap = new SKBitmap(new SKImageInfo(37, 23, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 7), (byte)(y * 11), (byte)(255 - x * 3), 255));
        }
        return bitmap;
    }

    [Fact]
    public void Vector_and_scalar_paths_add_the_same_noise()
    {
        using var vector = Gradient();
        using var scalar = Gradient();
        using var clean = Gradient();
        SensorNoise.Apply(vector, new SampleRandom(5), 0.03f, useVectors: true);
        SensorNoise.Apply(scalar, new SampleRandom(5), 0.03f, useVectors: false);

        Assert.Equal(scalar.Bytes, vector.Bytes);
        Assert.NotEqual(clean.Bytes, vector.Bytes);
        Assert.All(Enumerable.Range(0, vector.Bytes.Length / 4), i => Assert.Equal(255, vector.Bytes[i * 4 + 3]));
    }
}
