using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class ImageResizerTests
{
    [Fact]
    public void HalvingMatchesHandComputedTriangleFilter()
    {
        // 4 -> 2 pixels: support 2, so output 0 sees inputs 0,1,2 with weights 0.75, 0.75, 0.25 (normalised by 1.75)
        // and output 1 sees inputs 1,2,3 with 0.25, 0.75, 0.75: (0*.75 + 100*.75 + 200*.25)/1.75 = 71.4 -> 71 and
        // (100*.25 + 200*.75 + 255*.75)/1.75 = 209.3 -> 209.
        byte[] row = [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255];
        var resized = ImageResizer.Resize(new RgbImage(4, 1, row), 2, 1);
        Assert.Equal([71, 71, 71, 209, 209, 209], resized.Pixels);

        var column = ImageResizer.Resize(new RgbImage(1, 4, row), 1, 2);
        Assert.Equal([71, 71, 71, 209, 209, 209], column.Pixels);
    }

    [Fact]
    public void DoublingInterpolatesBilinearly()
    {
        // Upscaling keeps support 1: outputs at input positions -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
        byte[] row = [0, 0, 0, 200, 200, 200];
        var resized = ImageResizer.Resize(new RgbImage(2, 1, row), 4, 1);
        Assert.Equal([0, 0, 0, 50, 50, 50, 150, 150, 150, 200, 200, 200], resized.Pixels);
    }

    [Theory]
    [InlineData(97, 61, 32, 32)]
    [InlineData(500, 375, 256, 256)]
    [InlineData(31, 45, 64, 64)]
    [InlineData(300, 7, 33, 50)]
    [InlineData(40, 40, 40, 17)]
    [InlineData(40, 40, 17, 40)]
    public void MatchesAPlainImplementationOfPilBilinear(int inWidth, int inHeight, int outWidth, int outHeight)
    {
        var image = TestImages.Noise(inWidth, inHeight, seed: inWidth * 1000 + inHeight);
        var expected = PlainPilBilinear(image, outWidth, outHeight);
        var actual = ImageResizer.Resize(image, outWidth, outHeight);
        Assert.Equal((outWidth, outHeight), (actual.Width, actual.Height));
        Assert.Equal(expected, actual.Pixels);
    }

    [Fact]
    public void FlatImageStaysFlat()
    {
        var flat = new RgbImage(50, 30, Enumerable.Repeat(new byte[] { 10, 128, 250 }, 50 * 30).SelectMany(p => p).ToArray());
        var resized = ImageResizer.Resize(flat, 23, 41);
        for (int i = 0; i < resized.Pixels.Length; i += 3)
            Assert.Equal((10, 128, 250), (resized.Pixels[i], resized.Pixels[i + 1], resized.Pixels[i + 2]));
    }

    [Fact]
    public void SameSizeReturnsTheInput()
    {
        var image = TestImages.Noise(8, 8, 1);
        Assert.Same(image, ImageResizer.Resize(image, 8, 8));
    }

    [Fact]
    public void InvalidSizeIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResizer.Resize(TestImages.Noise(8, 8, 1), 0, 8));

    /// <summary>
    /// Pillow's 8-bit resampling written as plainly as possible: triangle filter scaled by the shrink factor, weights
    /// rounded to 22 fractional bits, horizontal pass (skipped when the width is unchanged) then vertical pass.
    /// </summary>
    private static byte[] PlainPilBilinear(RgbImage image, int outWidth, int outHeight)
    {
        byte[] pixels = image.Pixels;
        int width = image.Width;
        if (outWidth != width)
        {
            pixels = Pass(pixels, width, image.Height, outWidth, horizontal: true);
            width = outWidth;
        }
        if (outHeight != image.Height)
            pixels = Pass(pixels, width, image.Height, outHeight, horizontal: false);
        return pixels;
    }

    private static byte[] Pass(byte[] input, int width, int height, int outSize, bool horizontal)
    {
        int inSize = horizontal ? width : height;
        int outWidth = horizontal ? outSize : width, outHeight = horizontal ? height : outSize;
        var output = new byte[outWidth * outHeight * 3];
        double scale = (double)inSize / outSize, filterScale = Math.Max(1.0, scale);
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            int lo = Math.Max(0, (int)(center - filterScale + 0.5));
            int hi = Math.Min(inSize, (int)(center + filterScale + 0.5));
            var raw = new double[hi - lo];
            for (int i = lo; i < hi; i++)
                raw[i - lo] = Math.Max(0.0, 1.0 - Math.Abs((i - center + 0.5) / filterScale));
            double total = raw.Sum();
            var fixedWeights = raw.Select(w => (int)Math.Floor(w / total * (1 << 22) + 0.5)).ToArray();
            int across = horizontal ? outHeight : outWidth;
            for (int a = 0; a < across; a++)
                for (int c = 0; c < 3; c++)
                {
                    long sum = 1 << 21;
                    for (int i = lo; i < hi; i++)
                    {
                        int index = horizontal ? (a * width + i) * 3 + c : (i * width + a) * 3 + c;
                        sum += (long)input[index] * fixedWeights[i - lo];
                    }
                    int target = horizontal ? (a * outWidth + o) * 3 + c : (o * outWidth + a) * 3 + c;
                    output[target] = (byte)Math.Clamp(sum >> 22, 0, 255);
                }
        }
        return output;
    }
}
