using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

/// <summary>Damaged input of every shape must end in an image or an <see cref="ImageDecodeException"/>: never another exception or a crash.</summary>
public class DecoderRobustnessTests
{
    public static TheoryData<string> Formats => new() { "jpeg", "png", "webp", "gif", "bmp" };

    private static byte[] Sample(string format)
    {
        var image = TestImages.Pattern(40, 24);
        return format switch
        {
            "jpeg" => TestImages.Encode(image, SKEncodedImageFormat.Jpeg, 80),
            "png" => TestImages.Encode(image, SKEncodedImageFormat.Png),
            "webp" => TestImages.Encode(image, SKEncodedImageFormat.Webp, 80),
            "gif" => EncodedFixtures.Gif(8, 8, [TestImages.Red, TestImages.Green, TestImages.Blue, TestImages.Yellow],
                Enumerable.Range(0, 64).Select(i => (byte)(i % 4)).ToArray(), new byte[64]),
            "bmp" => EncodedFixtures.Bmp(image),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static void DecodesOrRejects(byte[] bytes, string source)
    {
        try
        {
            var image = ImageDecoder.Decode(bytes, 8, 8, ImageDecodeLimits.Default, source);
            Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
        }
        catch (ImageDecodeException error)
        {
            Assert.StartsWith(source + ": ", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryTruncationDecodesOrRejects(string format)
    {
        var bytes = Sample(format);
        for (int length = 1; length < bytes.Length; length += Math.Max(1, bytes.Length / 97))
            DecodesOrRejects(bytes[..length], $"{format} cut at {length}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void RandomByteDamageDecodesOrRejects(string format)
    {
        var bytes = Sample(format);
        var random = new Random(format.Length);
        for (int trial = 0; trial < 60; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            for (int hits = 1 + trial % 4; hits > 0; hits--)
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            DecodesOrRejects(damaged, $"{format} damage {trial}");
        }
    }
}
