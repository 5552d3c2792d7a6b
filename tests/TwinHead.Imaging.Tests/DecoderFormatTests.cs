using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;
using static TwinHead.Imaging.Tests.Fixtures.TestImages;

namespace TwinHead.Imaging.Tests;

public class DecoderFormatTests
{
    private static readonly RgbImage Colours = Quadrants(32, 32, Red, Green, Blue, Yellow);

    private static void AssertQuadrants(RgbImage image, int tolerance, string format)
    {
        Assert.Equal((32, 32), (image.Width, image.Height));
        AssertColour(Red, PixelAt(image, 8, 8), tolerance, $"{format} top-left");
        AssertColour(Green, PixelAt(image, 24, 8), tolerance, $"{format} top-right");
        AssertColour(Blue, PixelAt(image, 8, 24), tolerance, $"{format} bottom-left");
        AssertColour(Yellow, PixelAt(image, 24, 24), tolerance, $"{format} bottom-right");
    }

    private static RgbImage Decode(byte[] bytes, string source) =>
        ImageDecoder.Decode(bytes, 0, 0, ImageDecodeLimits.Default, source);

    [Fact]
    public void PngIsLossless()
    {
        var image = Decode(Encode(Colours, SKEncodedImageFormat.Png), "colours.png");
        Assert.Equal(Colours.Pixels, image.Pixels);
    }

    [Fact]
    public void LosslessWebpIsLossless()
    {
        var image = Decode(LosslessWebp(Colours), "colours.webp");
        Assert.Equal(Colours.Pixels, image.Pixels);
    }

    [Fact]
    public void LossyWebpDecodes() =>
        AssertQuadrants(Decode(Encode(Colours, SKEncodedImageFormat.Webp, 90), "colours.webp"), 16, "WebP");

    [Fact]
    public void BmpIsLossless()
    {
        var image = Decode(EncodedFixtures.Bmp(Colours), "colours.bmp");
        Assert.Equal(Colours.Pixels, image.Pixels);
    }

    [Fact]
    public void GreyPngBecomesEqualRgb()
    {
        byte[] rows = new byte[32 * 32];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = (byte)(i % 32 * 8);
        var image = Decode(EncodedFixtures.Png(32, 32, 8, 0, rows), "grey.png");
        for (int i = 0; i < rows.Length; i++)
            Assert.Equal((rows[i], rows[i], rows[i]), PixelAt(image, i % 32, i / 32));
    }

    [Fact]
    public void SixteenBitPngIsReducedToEightBits()
    {
        // Samples v * 257 reduce to exactly v whether a decoder truncates or rounds.
        var rows = new byte[32 * 32 * 6];
        for (int p = 0; p < 32 * 32; p++)
        {
            var (r, g, b) = PixelAt(Colours, p % 32, p / 32);
            byte[] sample = [r, r, g, g, b, b];
            sample.CopyTo(rows, p * 6);
        }
        var image = Decode(EncodedFixtures.Png(32, 32, 16, 2, rows), "deep.png");
        Assert.Equal(Colours.Pixels, image.Pixels);
    }

    [Fact]
    public void TransparencyIsCompositedOverWhite()
    {
        // RGBA rows: transparent black, half-transparent red, opaque blue, transparent "red" (colour without coverage).
        byte[] pixel0 = [0, 0, 0, 0], pixel1 = [255, 0, 0, 128], pixel2 = [0, 0, 255, 255], pixel3 = [255, 0, 0, 0];
        var row = pixel0.Concat(pixel1).Concat(pixel2).Concat(pixel3).ToArray();
        var rows = Enumerable.Repeat(row, 4).SelectMany(r => r).ToArray();

        var image = Decode(EncodedFixtures.Png(4, 4, 8, 6, rows), "alpha.png");

        Assert.Equal(((byte)255, (byte)255, (byte)255), PixelAt(image, 0, 1));
        AssertColour((255, 127, 127), PixelAt(image, 1, 1), 1, "half-transparent red over white");
        Assert.Equal(((byte)0, (byte)0, (byte)255), PixelAt(image, 2, 1));
        Assert.Equal(((byte)255, (byte)255, (byte)255), PixelAt(image, 3, 1));
    }

    [Fact]
    public void GreyWithAlphaPngIsCompositedOverWhite()
    {
        byte[] rows = [0, 0, 0, 255, 0, 0, 0, 255]; // 2x2 grey+alpha: transparent black, opaque black
        var image = Decode(EncodedFixtures.Png(2, 2, 8, 4, rows), "grey-alpha.png");
        Assert.Equal(((byte)255, (byte)255, (byte)255), PixelAt(image, 0, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), PixelAt(image, 1, 0));
    }

    [Fact]
    public void GifGivesItsFirstFrame()
    {
        (byte, byte, byte)[] palette = [Red, Green, Blue, Yellow];
        var first = new byte[32 * 32];
        for (int i = 0; i < first.Length; i++)
            first[i] = (byte)((i % 32 >= 16 ? 1 : 0) + (i / 32 >= 16 ? 2 : 0));
        var second = Enumerable.Repeat((byte)3, 32 * 32).ToArray();

        var image = Decode(EncodedFixtures.Gif(32, 32, palette, first, second), "animation.gif");

        Assert.Equal(Colours.Pixels, image.Pixels);
    }

    [Fact]
    public void AdobeCmykJpegBecomesRgb()
    {
        // Inverted CMYK as Adobe stores it: with K at 255 (no black ink) the stored C, M, Y samples are the R, G, B values.
        var jpeg = EncodedFixtures.AdobeCmykJpeg(200, 100, 50, 255);
        using (var codec = SKCodec.Create(SKData.CreateCopy(jpeg)))
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);

        var image = Decode(jpeg, "cmyk.jpg");

        Assert.Equal((2, 2), (image.Width, image.Height)); // 16x16 at 1/8: no minimum size asked for
        var full = ImageDecoder.Decode(jpeg, 16, 16, ImageDecodeLimits.Default, "cmyk.jpg");
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                AssertColour((200, 100, 50), PixelAt(full, x, y), 1, $"pixel ({x},{y})");
    }

    [Fact]
    public void CmykBlackInkDarkensTheColour()
    {
        var image = ImageDecoder.Decode(EncodedFixtures.AdobeCmykJpeg(200, 100, 50, 128), 16, 16, ImageDecodeLimits.Default, "cmyk.jpg");
        AssertColour((100, 50, 25), PixelAt(image, 5, 5), 1, "inverted CMYK with K = 128");
    }

    [Fact]
    public void DecodeFileReadsFromDisk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"twinhead-imaging-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, Encode(Colours, SKEncodedImageFormat.Png));
        try
        {
            var image = ImageDecoder.DecodeFile(path, 0, 0, ImageDecodeLimits.Default);
            Assert.Equal(Colours.Pixels, image.Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
