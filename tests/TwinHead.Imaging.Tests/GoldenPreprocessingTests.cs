using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;
using TwinHead.Core.Models;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

/// <summary>
/// Pins the preprocessing: a fixed synthetic image through <see cref="ImagePreprocessor"/> at 32x32 must give exactly
/// these tensors. If one fails, preprocessing changed (decoder, resize, normalisation, or the Skia version): models
/// trained before the change no longer see the same input. Update the constants only on purpose, and say so.
/// </summary>
public class GoldenPreprocessingTests
{
    private static readonly ImagePreprocessor Preprocessor = new(PreprocessingSpec.Reference(32));

    /// <summary>96x72: not a multiple of 32 in either axis, so the resampling weights are uneven.</summary>
    private static RgbImage GoldenImage() => TestImages.Pattern(96, 72);

    private static string Sha256(float[] tensor) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(tensor.AsSpan())));

    [Fact]
    public void LosslessSourceGivesThePinnedTensor()
    {
        // PNG is lossless, so this pins resize and normalisation independently of any codec's version.
        var tensor = Preprocessor.Preprocess(TestImages.Encode(GoldenImage(), SKEncodedImageFormat.Png), "golden.png");

        Assert.Equal(GoldenPng.R_0_0, tensor[0]);
        Assert.Equal(GoldenPng.R_5_7, tensor[7 * 32 + 5]);
        Assert.Equal(GoldenPng.G_20_30, tensor[1024 + 30 * 32 + 20]);
        Assert.Equal(GoldenPng.B_31_31, tensor[2048 + 31 * 32 + 31]);
        Assert.Equal(GoldenPng.Sha256, Sha256(tensor));
    }

    [Fact]
    public void JpegSourceGivesThePinnedTensor()
    {
        // Pins the scaled JPEG decode too (96x72 at 1/2 = 48x36 >= 32); this one moves if Skia's libjpeg changes.
        var tensor = Preprocessor.Preprocess(TestImages.Encode(GoldenImage(), SKEncodedImageFormat.Jpeg, 90), "golden.jpg");

        Assert.Equal(GoldenJpeg.R_5_7, tensor[7 * 32 + 5]);
        Assert.Equal(GoldenJpeg.Sha256, Sha256(tensor));
    }

    private static class GoldenPng
    {
        public const float R_0_0 = -2.0665298f;
        public const float R_5_7 = -1.3986644f;
        public const float G_20_30 = 2.235994f;
        public const float B_31_31 = 1.6813945f;
        public const string Sha256 = "e4b27a0d33e7647c8c07787465f4fb171b284a16ca0eb2a1080cc3d955b2c44f";
    }

    private static class GoldenJpeg
    {
        public const float R_5_7 = -1.3472902f;
        public const string Sha256 = "7e38d1d4fa8e6f5094d35d1f9ec213175a7080443762590eae4a6807d1e6967f";
    }
}
