using SkiaSharp;
using TwinHead.Core.Models;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class ImagePreprocessorTests
{
    private static readonly byte[] Jpeg = TestImages.Encode(TestImages.Pattern(200, 150), SKEncodedImageFormat.Jpeg, 90);

    [Fact]
    public void DecodeAndResizeGivesTheSpecSize()
    {
        var preprocessor = new ImagePreprocessor(PreprocessingSpec.Reference(32));
        var image = preprocessor.DecodeAndResize(Jpeg, "photo.jpg");
        Assert.Equal((32, 32), (image.Width, image.Height));
    }

    [Fact]
    public void PreprocessIsDecodeAndResizeThenWriteChw()
    {
        var spec = PreprocessingSpec.Reference(32);
        var preprocessor = new ImagePreprocessor(spec);
        var expected = new float[3 * 32 * 32];
        TensorWriter.WriteChw(preprocessor.DecodeAndResize(Jpeg, "photo.jpg"), spec, expected);

        var allocated = preprocessor.Preprocess(Jpeg, "photo.jpg");
        var intoSpan = new float[3 * 32 * 32];
        preprocessor.Preprocess(Jpeg, intoSpan, "photo.jpg");

        Assert.Equal(expected, allocated);
        Assert.Equal(expected, intoSpan);
    }

    [Fact]
    public void DecodesAtAReducedJpegScaleButNotBelowTheInputSize()
    {
        // 200x150 at 1/4 is 50x38 (>= 32) so the preprocessor resizes from that, as PIL's draft would.
        var preprocessor = new ImagePreprocessor(PreprocessingSpec.Reference(32));
        var scaled = ImageDecoder.Decode(Jpeg, 32, 32, ImageDecodeLimits.Default, "photo.jpg");
        Assert.Equal((50, 38), (scaled.Width, scaled.Height));
        Assert.Equal(ImageResizer.Resize(scaled, 32, 32).Pixels, preprocessor.DecodeAndResize(Jpeg, "photo.jpg").Pixels);
    }

    [Fact]
    public void ErrorsNameTheSource()
    {
        var preprocessor = new ImagePreprocessor(PreprocessingSpec.Reference(32));
        var error = Assert.Throws<ImageDecodeException>(() => preprocessor.Preprocess("hello"u8, "upload"));
        Assert.StartsWith("upload: ", error.Message);
    }

    [Fact]
    public void LimitsAreApplied()
    {
        var preprocessor = new ImagePreprocessor(PreprocessingSpec.Reference(32), new ImageDecodeLimits(MaxPixels: 1000));
        Assert.Equal(ImageDecodeFailure.TooLarge, Assert.Throws<ImageDecodeException>(() => preprocessor.Preprocess(Jpeg, "photo.jpg")).Reason);
    }

    [Fact]
    public void InvalidSpecIsRejected() =>
        Assert.Throws<ArgumentException>(() => new ImagePreprocessor(PreprocessingSpec.Reference(4)));

    [Fact]
    public void WrongDestinationLengthIsRejected()
    {
        var preprocessor = new ImagePreprocessor(PreprocessingSpec.Reference(32));
        Assert.Throws<ArgumentException>(() => preprocessor.Preprocess(Jpeg, new float[10], "photo.jpg"));
    }
}
