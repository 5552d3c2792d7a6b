using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;
using static TwinHead.Imaging.Tests.Fixtures.TestImages;

namespace TwinHead.Imaging.Tests;

public class DecoderOrientationTests
{
    private const int UprightWidth = 64, UprightHeight = 48;

    /// <summary>
    /// For each EXIF orientation, how the camera stored an image whose upright view has red, green, blue, yellow quadrants
    /// (top-left, top-right, bottom-left, bottom-right): stored = inverse of the display transform, applied to the upright
    /// layout, written out by hand from the EXIF definitions.
    /// </summary>
    public static TheoryData<int, string> Orientations => new()
    {
        { 1, "as is" },
        { 2, "mirrored left-right" },
        { 3, "rotated 180" },
        { 4, "mirrored top-bottom" },
        { 5, "transposed" },
        { 6, "rotated 90 counter-clockwise (display turns it clockwise)" },
        { 7, "transversed" },
        { 8, "rotated 90 clockwise (display turns it counter-clockwise)" },
    };

    private static RgbImage StoredImage(int orientation)
    {
        int w = UprightWidth, h = UprightHeight;
        return orientation switch
        {
            1 => Quadrants(w, h, Red, Green, Blue, Yellow),
            2 => Quadrants(w, h, Green, Red, Yellow, Blue),
            3 => Quadrants(w, h, Yellow, Blue, Green, Red),
            4 => Quadrants(w, h, Blue, Yellow, Red, Green),
            5 => Quadrants(h, w, Red, Blue, Green, Yellow),
            6 => Quadrants(h, w, Green, Yellow, Red, Blue),
            7 => Quadrants(h, w, Yellow, Green, Blue, Red),
            8 => Quadrants(h, w, Blue, Red, Yellow, Green),
            _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
        };
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void ExifOrientationGivesTheUprightImage(int orientation, string storedAs)
    {
        var jpeg = EncodedFixtures.WithExifOrientation(Encode(StoredImage(orientation), SKEncodedImageFormat.Jpeg, 100), orientation);
        using (var codec = SKCodec.Create(SKData.CreateCopy(jpeg)))
            Assert.Equal((SKEncodedOrigin)orientation, codec.EncodedOrigin);

        var image = ImageDecoder.Decode(jpeg, 1000, 1000, ImageDecodeLimits.Default, $"orientation-{orientation}.jpg");

        Assert.Equal((UprightWidth, UprightHeight), (image.Width, image.Height));
        int left = UprightWidth / 4, right = UprightWidth * 3 / 4, top = UprightHeight / 4, bottom = UprightHeight * 3 / 4;
        AssertColour(Red, PixelAt(image, left, top), 12, $"top-left, stored {storedAs}");
        AssertColour(Green, PixelAt(image, right, top), 12, $"top-right, stored {storedAs}");
        AssertColour(Blue, PixelAt(image, left, bottom), 12, $"bottom-left, stored {storedAs}");
        AssertColour(Yellow, PixelAt(image, right, bottom), 12, $"bottom-right, stored {storedAs}");
    }

    [Fact]
    public void ScaledDecodeMeasuresTheMinimumInUprightAxes()
    {
        // Stored 2000x1500 with orientation 6 is a 1500x2000 portrait. Needing 400 wide x 300 high upright means
        // 300 x 400 stored: 1/4 gives 500x375 (375 < 400), so the decoder must go to 1/2 (1000x750).
        var stored = new RgbImage(2000, 1500, new byte[2000 * 1500 * 3]);
        var jpeg = EncodedFixtures.WithExifOrientation(Encode(stored, SKEncodedImageFormat.Jpeg, 50), 6);

        var portrait = ImageDecoder.Decode(jpeg, 400, 300, ImageDecodeLimits.Default, "portrait.jpg");

        Assert.Equal((750, 1000), (portrait.Width, portrait.Height));
    }
}
