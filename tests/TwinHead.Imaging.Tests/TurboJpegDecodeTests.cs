using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

/// <summary>
/// The system libjpeg-turbo path (TurboJPEG) must give exactly Skia's pixels, so which library decoded a JPEG never changes
/// a tensor; files it does not decode cleanly fall back to Skia and its error messages.
/// </summary>
public class TurboJpegDecodeTests
{
    public static TheoryData<int, int, int, int, int> Cases => new()
    {
        // width, height, quality, EXIF orientation, minimum size: every DCT reduction, odd sizes, all eight orientations.
        { 640, 480, 90, 1, 64 },
        { 641, 479, 75, 1, 80 },
        { 1203, 805, 95, 6, 150 },
        { 333, 517, 60, 3, 64 },
        { 400, 300, 85, 8, 0 },
        { 96, 72, 95, 2, 96 },
        { 250, 130, 80, 5, 40 },
        { 512, 512, 70, 7, 200 },
        { 16, 9, 90, 4, 0 },
    };

    [TurboJpegTheory]
    [MemberData(nameof(Cases))]
    public void Generated_jpegs_decode_to_the_same_pixels_as_skia(int width, int height, int quality, int orientation, int minSize)
    {
        byte[] jpeg = EncodedFixtures.WithExifOrientation(TestImages.Encode(TestImages.Noise(width, height, seed: width * 7 + height), SKEncodedImageFormat.Jpeg, quality), orientation);

        AssertSamePixels(jpeg, minSize, $"{width}x{height} q{quality} orientation {orientation}");
    }

    [TurboJpegFact]
    public void Grey_jpegs_decode_to_the_same_pixels_as_skia()
    {
        using var grey = new SKBitmap(new SKImageInfo(300, 200, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 300; x++)
                grey.SetPixel(x, y, new SKColor((byte)(x ^ y), (byte)(x ^ y), (byte)(x ^ y)));
        byte[] jpeg = TestImages.Encode(grey, SKEncodedImageFormat.Jpeg, 90);

        AssertSamePixels(jpeg, 64, "grey 300x200");
    }

    [TurboJpegFact]
    public void Truncated_jpegs_fall_back_to_skia_and_are_rejected_as_truncated()
    {
        byte[] jpeg = TestImages.Encode(TestImages.Noise(320, 240, seed: 3), SKEncodedImageFormat.Jpeg, 90);
        byte[] truncated = jpeg[..(jpeg.Length / 2)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated, 64, 64, ImageDecodeLimits.Default, "cut.jpg"));

        Assert.Equal(ImageDecodeFailure.Corrupt, error.Reason);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("cut.jpg", error.Message);
    }

    [TurboJpegFact]
    public void The_decoder_reports_turbojpeg_in_use()
    {
        Assert.StartsWith("libjpeg-turbo via TurboJPEG", ImageDecoder.JpegDecoderName);
    }

    [TurboJpegFact(NeedsRealPhotos = true)]
    public void Real_photos_decode_to_the_same_pixels_as_skia_at_the_reference_size()
    {
        var photos = File.ReadLines(Path.Combine(RealPhotos.Folder!, "test.csv"))
            .Where(line => line.Length > 0)
            .Select(line => Path.Combine(RealPhotos.Folder!, line[..line.LastIndexOf(',')]))
            .ToList();

        foreach (string path in photos)
            AssertSamePixels(File.ReadAllBytes(path), 256, path);
        Assert.True(photos.Count > 100, $"expected the 133 real-dev photos, found {photos.Count}");
    }

    private static void AssertSamePixels(byte[] jpeg, int minSize, string what)
    {
        var turbo = ImageDecoder.Decode(jpeg, minSize, minSize, ImageDecodeLimits.Default, what, allowTurboJpeg: true);
        var skia = ImageDecoder.Decode(jpeg, minSize, minSize, ImageDecodeLimits.Default, what, allowTurboJpeg: false);

        Assert.Equal((skia.Width, skia.Height), (turbo.Width, turbo.Height));
        Assert.True(skia.Pixels.AsSpan().SequenceEqual(turbo.Pixels), $"{what}: TurboJPEG and Skia pixels differ");
    }
}

/// <summary>A fact skipped when the system has no TurboJPEG library (tools/install-test-packages.sh installs libturbojpeg0).</summary>
public sealed class TurboJpegFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when libturbojpeg cannot be loaded.</summary>
    public TurboJpegFactAttribute()
    {
        if (!TurboJpegLibrary.IsAvailable) Skip = TurboJpegTheoryAttribute.Reason;
    }

    /// <summary>Also skip when shared/data/real-dev cannot be found.</summary>
    public bool NeedsRealPhotos
    {
        get => needsRealPhotos;
        init
        {
            needsRealPhotos = value;
            if (value && RealPhotos.Folder is null) Skip ??= "shared/data/real-dev not found above the test assembly";
        }
    }

    private readonly bool needsRealPhotos;
}

/// <summary>A theory skipped when the system has no TurboJPEG library.</summary>
public sealed class TurboJpegTheoryAttribute : TheoryAttribute
{
    internal const string Reason = "libturbojpeg is not installed (Debian: apt-get install libturbojpeg0; tools/install-test-packages.sh does it)";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when libturbojpeg cannot be loaded.</summary>
    public TurboJpegTheoryAttribute()
    {
        if (!TurboJpegLibrary.IsAvailable) Skip = Reason;
    }
}
