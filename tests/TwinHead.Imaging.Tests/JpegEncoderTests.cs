using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

/// <summary>
/// <see cref="JpegEncoder"/> must write exactly Skia's bytes, whichever library compresses, so a generated dataset is the
/// same file for file on machines with and without libturbojpeg.
/// </summary>
public class JpegEncoderTests
{
    public static TheoryData<int, int, int> Cases => new()
    {
        // width, height, quality: odd sizes (partial MCUs), a single block, the generator's quality range and its ends.
        { 512, 512, 83 },
        { 641, 479, 70 },
        { 333, 517, 95 },
        { 16, 16, 90 },
        { 9, 7, 75 },
        { 1, 1, 100 },
        { 200, 120, 1 },
    };

    [TurboJpegTheory]
    [MemberData(nameof(Cases))]
    public void TurboJpeg_writes_skias_bytes(int width, int height, int quality)
    {
        using var bitmap = TestImages.ToBitmap(TestImages.Noise(width, height, seed: width * 31 + height));

        Assert.StartsWith("libjpeg-turbo via TurboJPEG", JpegEncoder.Name);
        Assert.Equal(JpegEncoder.EncodeWithSkia(bitmap, quality), JpegEncoder.Encode(bitmap, quality));
    }

    [TurboJpegFact]
    public void Padded_rows_and_premultiplied_alpha_encode_as_skia_does()
    {
        var info = new SKImageInfo(97, 61, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info, info.RowBytes + 40);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(97, 61), [SKColors.Navy, SKColors.Orange], SKShaderTileMode.Clamp) })
        {
            canvas.Clear(SKColors.White.WithAlpha(128));
            canvas.DrawCircle(40, 30, 25, paint);
        }

        Assert.Equal(info.RowBytes + 40, bitmap.RowBytes);
        Assert.Equal(JpegEncoder.EncodeWithSkia(bitmap, 88), JpegEncoder.Encode(bitmap, 88));
    }

    [TurboJpegFact]
    public void Pixmaps_over_native_memory_encode_as_skia_does()
    {
        using var bitmap = TestImages.ToBitmap(TestImages.Noise(203, 97, seed: 11));
        using var pixmap = new SKPixmap(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes);
        using var skia = pixmap.Encode(SKEncodedImageFormat.Jpeg, 77)!;

        Assert.Equal(skia.ToArray(), JpegEncoder.Encode(pixmap, 77));
    }

    [Fact]
    public void Other_colour_types_go_through_skia()
    {
        using var grey = new SKBitmap(new SKImageInfo(40, 30, SKColorType.Gray8, SKAlphaType.Opaque));
        grey.Erase(new SKColor(90, 90, 90));

        var jpeg = JpegEncoder.Encode(grey, 90);

        Assert.Equal(JpegEncoder.EncodeWithSkia(grey, 90), jpeg);
        using var decoded = SKBitmap.Decode(jpeg);
        Assert.Equal((40, 30), (decoded.Width, decoded.Height));
    }
}
