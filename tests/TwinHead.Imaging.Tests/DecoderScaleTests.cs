using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class DecoderScaleTests
{
    private static readonly Lazy<byte[]> LargeJpeg = new(() =>
        TestImages.Encode(TestImages.Pattern(2000, 1500), SKEncodedImageFormat.Jpeg, 60));

    [Theory]
    [InlineData(256, 256, 500, 375)] // 1/8 = 250x188 is too small; 1/4 fits
    [InlineData(250, 187, 250, 188)] // 1/8: 2000 >= 8 x 250 and 1500 >= 8 x 187
    [InlineData(250, 188, 500, 375)] // PIL's rule: 1500 // 188 = 7 < 8, so 1/4, although 1/8 would give 188 rows
    [InlineData(256, 0, 500, 375)] // only the width constrains
    [InlineData(0, 0, 250, 188)] // no minimum: the smallest scale
    [InlineData(501, 100, 1000, 750)] // 1/4 is one pixel too narrow
    [InlineData(1001, 10, 2000, 1500)] // only full size is wide enough
    [InlineData(4000, 4000, 2000, 1500)] // never upscaled
    public void JpegIsDecodedAtPilDraftScale(int minWidth, int minHeight, int width, int height)
    {
        var image = ImageDecoder.Decode(LargeJpeg.Value, minWidth, minHeight, ImageDecodeLimits.Default, "large.jpg");
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void ChosenScaleAgreesWithSkiaScaledDimensions()
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(LargeJpeg.Value));
        var quarter = codec.GetScaledDimensions(0.25f);
        var eighth = codec.GetScaledDimensions(0.125f);
        Assert.True(eighth.Height < 256 && quarter.Height >= 256, $"fixture assumption: 1/8 {eighth}, 1/4 {quarter}");

        var image = ImageDecoder.Decode(LargeJpeg.Value, 256, 256, ImageDecodeLimits.Default, "large.jpg");

        Assert.Equal((quarter.Width, quarter.Height), (image.Width, image.Height));
        Assert.InRange(Math.Min(image.Width, image.Height), 256, 511);
    }

    [Fact]
    public void PngIsDecodedAtFullSize()
    {
        var png = TestImages.Encode(TestImages.Pattern(100, 80), SKEncodedImageFormat.Png);
        var image = ImageDecoder.Decode(png, 10, 10, ImageDecodeLimits.Default, "small.png");
        Assert.Equal((100, 80), (image.Width, image.Height));
    }

    [Fact]
    public void ScaledDecodeKeepsTheContent()
    {
        var image = ImageDecoder.Decode(LargeJpeg.Value, 256, 256, ImageDecodeLimits.Default, "large.jpg");
        // The pattern's red rises left to right and green top to bottom.
        var topLeft = TestImages.PixelAt(image, 10, 10);
        var bottomRight = TestImages.PixelAt(image, image.Width - 10, image.Height - 10);
        Assert.True(topLeft.R < 20 && topLeft.G < 20, $"top-left {topLeft}");
        Assert.True(bottomRight.R > 235 && bottomRight.G > 235, $"bottom-right {bottomRight}");
    }
}
