using SkiaSharp;
using TwinHead.Core.Models;

namespace TwinHead.Imaging.Tests;

public class SmokeTests
{
    [Fact]
    public void JpegDecodesAndPreprocesses()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(200, 100, 50));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var image = ImageDecoder.Decode(data.AsSpan(), 0, 0, ImageDecodeLimits.Default, "t.jpg");
        Assert.Equal(8, image.Width);
        var tensor = new ImagePreprocessor(PreprocessingSpec.Reference(32)).Preprocess(data.AsSpan(), "t.jpg");
        Assert.Equal(3 * 32 * 32, tensor.Length);
    }
}
