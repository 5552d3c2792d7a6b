using System.Text;
using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class DecoderRejectionTests
{
    private static readonly Lazy<byte[]> Jpeg = new(() =>
        TestImages.Encode(TestImages.Pattern(64, 48), SKEncodedImageFormat.Jpeg, 90));

    private static ImageDecodeException Rejects(byte[] bytes, string source, ImageDecodeFailure reason, ImageDecodeLimits? limits = null)
    {
        var error = Assert.Throws<ImageDecodeException>(() =>
            ImageDecoder.Decode(bytes, 32, 32, limits ?? ImageDecodeLimits.Default, source));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(source, error.Source);
        Assert.StartsWith(source + ": ", error.Message);
        return error;
    }

    [Fact]
    public void EmptyInputIsRejected()
    {
        var error = Rejects([], "empty.jpg", ImageDecodeFailure.Empty);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void TextNamedJpgIsNotAnImage()
    {
        var error = Rejects(Encoding.UTF8.GetBytes("this is a shopping list, not a photo\n"), "notes.jpg", ImageDecodeFailure.NotAnImage);
        Assert.Contains("not an image", error.Message);
    }

    [Fact]
    public void RandomBytesAreNotAnImage()
    {
        var bytes = new byte[1000];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x00;
        Rejects(bytes, "upload", ImageDecodeFailure.NotAnImage);
    }

    [Fact]
    public void TruncatedJpegIsRejectedAsCorrupt()
    {
        var truncated = Jpeg.Value.AsSpan(0, Jpeg.Value.Length / 2).ToArray();
        var error = Rejects(truncated, "half.jpg", ImageDecodeFailure.Corrupt);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void JpegCutInsideItsHeaderIsCorrupt()
    {
        var error = Rejects(Jpeg.Value.AsSpan(0, 40).ToArray(), "stub.jpg", ImageDecodeFailure.Corrupt);
        Assert.Contains("JPEG", error.Message);
    }

    [Fact]
    public void PngWithBrokenImageDataIsCorrupt()
    {
        var png = EncodedFixtures.PngWithIdat(32, 32, 8, 2, [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x11, 0x22]);
        Rejects(png, "broken.png", ImageDecodeFailure.Corrupt);
    }

    [Fact]
    public void DecompressionBombIsRejectedFromTheHeader()
    {
        // 30000 x 30000 RGB would need 3.6 GB of pixels; the file is a few dozen bytes.
        var bomb = EncodedFixtures.PngWithIdat(30000, 30000, 8, 2, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        var error = Rejects(bomb, "bomb.png", ImageDecodeFailure.TooLarge);
        Assert.Contains("30000x30000", error.Message);
    }

    [Fact]
    public void PixelLimitIsConfigurable()
    {
        var error = Rejects(Jpeg.Value, "photo.jpg", ImageDecodeFailure.TooLarge, new ImageDecodeLimits(MaxPixels: 64 * 48 - 1));
        Assert.Contains("64x48", error.Message);
        Assert.Equal(64, ImageDecoder.Decode(Jpeg.Value, 64, 48, new ImageDecodeLimits(MaxPixels: 64 * 48), "photo.jpg").Width);
    }

    [Fact]
    public void ByteLimitIsCheckedBeforeDecoding()
    {
        var error = Rejects(Jpeg.Value, "photo.jpg", ImageDecodeFailure.TooLarge, new ImageDecodeLimits(MaxBytes: 100));
        Assert.Contains("bytes", error.Message);
    }

    [Fact]
    public void TiffAndHeicAreUnsupported()
    {
        Rejects([.. "II*\0"u8, 8, 0, 0, 0, 0, 0], "scan.tif", ImageDecodeFailure.Unsupported);
        var error = Rejects([0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8], "IMG_0001.HEIC", ImageDecodeFailure.Unsupported);
        Assert.Contains("HEIC", error.Message);
    }

    [Fact]
    public void DecodeFileNamesThePathAndChecksSizeBeforeReading()
    {
        string path = Path.Combine(Path.GetTempPath(), $"twinhead-imaging-{Guid.NewGuid():N}.jpg");
        File.WriteAllText(path, "not an image");
        try
        {
            var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path, 8, 8, ImageDecodeLimits.Default));
            Assert.Equal(ImageDecodeFailure.NotAnImage, error.Reason);
            Assert.Contains(path, error.Message);

            var tooLarge = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path, 8, 8, new ImageDecodeLimits(MaxBytes: 4)));
            Assert.Equal(ImageDecodeFailure.TooLarge, tooLarge.Reason);
            Assert.Contains(path, tooLarge.Message);

            File.WriteAllBytes(path, []);
            Assert.Equal(ImageDecodeFailure.Empty, Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path, 8, 8, ImageDecodeLimits.Default)).Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFileIsAnIoError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"twinhead-imaging-missing-{Guid.NewGuid():N}.jpg");
        Assert.Throws<FileNotFoundException>(() => ImageDecoder.DecodeFile(path, 8, 8, ImageDecodeLimits.Default));
    }
}
