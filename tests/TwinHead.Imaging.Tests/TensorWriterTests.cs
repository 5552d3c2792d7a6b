using TwinHead.Core.Models;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class TensorWriterTests
{
    private static readonly PreprocessingSpec TwoByTwo = new(2, 2, ResizeMode.Stretch, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    [Fact]
    public void NormalisesEachChannelIntoPlanes()
    {
        // Pixels (row-major): black, white, (128, 64, 32), (10, 20, 30).
        byte[] pixels = [0, 0, 0, 255, 255, 255, 128, 64, 32, 10, 20, 30];
        var tensor = new float[12];

        TensorWriter.WriteChw(new RgbImage(2, 2, pixels), TwoByTwo, tensor);

        // Hand-computed (v/255 - mean)/std; R plane, then G plane, then B plane.
        float[] expected =
        [
            -2.1179039f, 2.2489083f, 0.0740646f, -1.9466564f,
            -2.0357143f, 2.4285714f, -0.9152661f, -1.6855742f,
            -1.8044444f, 2.6400000f, -1.2467102f, -1.2815686f,
        ];
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - tensor[i]) < 2e-5f, $"element {i}: expected {expected[i]}, got {tensor[i]}");
    }

    [Fact]
    public void UsesTorchvisionOrderOfFloatOperations()
    {
        // ToTensor divides by 255 in float32, Normalize then subtracts and divides in float32: bit-identical results.
        byte[] pixels = [37, 141, 255, 0, 1, 2, 90, 180, 250, 7, 77, 177];
        var tensor = new float[12];
        TensorWriter.WriteChw(new RgbImage(2, 2, pixels), TwoByTwo, tensor);
        for (int p = 0; p < 4; p++)
            for (int c = 0; c < 3; c++)
            {
                float v = pixels[p * 3 + c] / 255f;
                float expected = (v - TwoByTwo.Mean[c]) / TwoByTwo.Std[c];
                Assert.Equal(expected, tensor[c * 4 + p]);
            }
    }

    [Fact]
    public void ResizesToTheSpecSizeFirst()
    {
        var image = TestImages.Noise(40, 30, 3);
        var spec = PreprocessingSpec.Reference(16);
        var direct = new float[3 * 16 * 16];
        var viaResize = new float[3 * 16 * 16];

        TensorWriter.WriteChw(image, spec, direct);
        TensorWriter.WriteChw(ImageResizer.Resize(image, 16, 16), spec, viaResize);

        Assert.Equal(viaResize, direct);
    }

    [Fact]
    public void WrongDestinationLengthIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TensorWriter.WriteChw(TestImages.Noise(2, 2, 1), TwoByTwo, new float[11]));
        Assert.Contains("12", error.Message);
    }
}
