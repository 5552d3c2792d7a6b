using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class ImageAugmenterTests
{
    private static readonly AugmentationOptions Everything = new(
        MaxRotationDegrees: 10f, HorizontalFlip: true, BrightnessJitter: 0.3f, ContrastJitter: 0.3f, SaturationJitter: 0.3f,
        RandomResizedCropMinScale: 0.6f, JpegQualityMin: 50f, GaussianBlurProbability: 0.5f, AspectStretchMax: 16f / 9,
        ChromaMin: 0.03f, ChromaMax: 0.25f, NoiseMax: 6f);

    private static RgbImage Flat(int size, byte r, byte g, byte b) =>
        new(size, size, Enumerable.Repeat(new[] { r, g, b }, size * size).SelectMany(p => p).ToArray());

    [Fact]
    public void RotatingByZeroLeavesTheImageUnchanged()
    {
        var image = TestImages.Noise(33, 32, 5);
        var rotated = ImageAugmenter.Rotate(image, 0);
        Assert.NotSame(image.Pixels, rotated.Pixels);
        Assert.Equal(image.Pixels, rotated.Pixels);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(7)]
    public void PositiveAngleTurnsCounterClockwise(int size)
    {
        // A quarter turn counter-clockwise is exact: destination (x, y) shows source (size-1-y, x); no black corners.
        var image = TestImages.Noise(size, size, size);
        var rotated = ImageAugmenter.Rotate(image, 90);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                Assert.Equal(TestImages.PixelAt(image, size - 1 - y, x), TestImages.PixelAt(rotated, x, y));
    }

    [Fact]
    public void SmallRotationFillsTheCornersWithBlack()
    {
        var rotated = ImageAugmenter.Rotate(Flat(64, 255, 255, 255), 10);
        Assert.Equal((64, 64), (rotated.Width, rotated.Height));
        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.PixelAt(rotated, 0, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.PixelAt(rotated, 63, 63));
        Assert.Equal(((byte)255, (byte)255, (byte)255), TestImages.PixelAt(rotated, 32, 32));
        Assert.Equal(((byte)255, (byte)255, (byte)255), TestImages.PixelAt(rotated, 32, 1));
    }

    [Fact]
    public void ReferenceRecipeIsDeterministicForASeed()
    {
        var image = TestImages.Pattern(64, 64);
        var first = ImageAugmenter.Apply(image, AugmentationOptions.Reference, new Random(42));
        var second = ImageAugmenter.Apply(image, AugmentationOptions.Reference, new Random(42));
        var otherSeed = ImageAugmenter.Apply(image, AugmentationOptions.Reference, new Random(43));

        Assert.Equal(first.Pixels, second.Pixels);
        Assert.NotEqual(image.Pixels, first.Pixels);
        Assert.NotEqual(first.Pixels, otherSeed.Pixels);
    }

    [Fact]
    public void ReferenceRecipeRotatesByTheAngleDrawnFromTheRandom()
    {
        // The reference draws one number: angle = (2u - 1) * 10 degrees.
        var image = TestImages.Pattern(64, 64);
        double angle = (new Random(42).NextDouble() * 2 - 1) * 10;
        var expected = ImageAugmenter.Rotate(image, angle);
        Assert.Equal(expected.Pixels, ImageAugmenter.Apply(image, AugmentationOptions.Reference, new Random(42)).Pixels);
    }

    [Fact]
    public void EveryAugmentationTogetherIsDeterministicAndKeepsTheSize()
    {
        var image = TestImages.Pattern(64, 64);
        var original = (byte[])image.Pixels.Clone();
        for (int seed = 0; seed < 8; seed++)
        {
            var first = ImageAugmenter.Apply(image, Everything, new Random(seed));
            var second = ImageAugmenter.Apply(image, Everything, new Random(seed));
            Assert.Equal((64, 64), (first.Width, first.Height));
            Assert.Equal(first.Pixels, second.Pixels);
        }
        Assert.Equal(original, image.Pixels);
    }

    [Fact]
    public void NoneReturnsAnEqualCopy()
    {
        var image = TestImages.Noise(32, 32, 9);
        var result = ImageAugmenter.Apply(image, AugmentationOptions.None, new Random(1));
        Assert.NotSame(image.Pixels, result.Pixels);
        Assert.Equal(image.Pixels, result.Pixels);
    }

    [Fact]
    public void HorizontalFlipMirrorsAboutHalfTheTime()
    {
        var image = TestImages.Noise(16, 16, 2);
        var options = AugmentationOptions.None with { HorizontalFlip = true };
        int flipped = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var result = ImageAugmenter.Apply(image, options, new Random(seed));
            bool mirrored = Enumerable.Range(0, 16 * 16).All(p =>
                TestImages.PixelAt(result, p % 16, p / 16) == TestImages.PixelAt(image, 15 - p % 16, p / 16));
            Assert.True(mirrored || result.Pixels.SequenceEqual(image.Pixels), $"seed {seed}: neither the image nor its mirror");
            flipped += mirrored ? 1 : 0;
        }
        Assert.InRange(flipped, 10, 30);
    }

    [Fact]
    public void BrightnessScalesWithinTheJitterRange()
    {
        var options = AugmentationOptions.None with { BrightnessJitter = 0.5f };
        for (int seed = 0; seed < 10; seed++)
        {
            var result = ImageAugmenter.Apply(Flat(8, 100, 100, 100), options, new Random(seed));
            Assert.All(result.Pixels, v => Assert.InRange(v, (byte)50, (byte)150));
            Assert.All(result.Pixels, v => Assert.Equal(result.Pixels[0], v));
        }
    }

    [Fact]
    public void SaturationAndContrastLeaveAFlatGreyImageAlone()
    {
        var grey = Flat(8, 90, 90, 90);
        var options = AugmentationOptions.None with { SaturationJitter = 0.9f, ContrastJitter = 0.9f };
        Assert.Equal(grey.Pixels, ImageAugmenter.Apply(grey, options, new Random(3)).Pixels);
    }

    [Fact]
    public void SaturationBlendsTowardsTheLuma()
    {
        // Only saturation is enabled, so the factor is the Random's first draw scaled to [0, 2].
        var image = Flat(8, 200, 40, 40);
        var options = AugmentationOptions.None with { SaturationJitter = 1f };
        var result = ImageAugmenter.Apply(image, options, new Random(0));
        double factor = new Random(0).NextDouble() * 2;
        int luma = (200 * 19595 + 40 * 38470 + 40 * 7471 + 0x8000) >> 16;
        var (r, g, b) = TestImages.PixelAt(result, 0, 0);
        Assert.InRange(r, luma + factor * (200 - luma) - 1, luma + factor * (200 - luma) + 1);
        Assert.InRange(g, luma + factor * (40 - luma) - 1, luma + factor * (40 - luma) + 1);
        Assert.Equal(g, b);
    }

    [Fact]
    public void BlurSmoothsEdgesAndKeepsFlatAreas()
    {
        var options = AugmentationOptions.None with { GaussianBlurProbability = 1f };
        var flat = Flat(16, 70, 80, 90);
        Assert.Equal(flat.Pixels, ImageAugmenter.Apply(flat, options, new Random(1)).Pixels);

        // Draws: the blur coin, then sigma = 0.1 + 1.9u. Pick the first seed whose sigma exceeds 1 pixel.
        int seed = Enumerable.Range(0, 100).First(s =>
        {
            var random = new Random(s);
            random.NextDouble();
            return 0.1 + random.NextDouble() * 1.9 > 1.0;
        });
        var noise = TestImages.Noise(16, 16, 4);
        var blurred = ImageAugmenter.Apply(noise, options, new Random(seed));
        Assert.True(Spread(blurred.Pixels) < Spread(noise.Pixels) * 0.8, "blur did not reduce the spread of noise");
    }

    [Fact]
    public void JpegRecompressionStaysCloseToTheInput()
    {
        var image = TestImages.Pattern(64, 64);
        var result = ImageAugmenter.Apply(image, AugmentationOptions.None with { JpegQualityMin = 60f }, new Random(2));
        Assert.NotEqual(image.Pixels, result.Pixels);
        double meanError = image.Pixels.Zip(result.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < 8, $"mean absolute error {meanError}");
    }

    [Fact]
    public void RandomResizedCropZoomsIn()
    {
        var image = TestImages.Pattern(64, 64);
        var result = ImageAugmenter.Apply(image, AugmentationOptions.None with { RandomResizedCropMinScale = 0.3f }, new Random(5));
        Assert.Equal((64, 64), (result.Width, result.Height));
        Assert.NotEqual(image.Pixels, result.Pixels);
    }

    [Fact]
    public void AspectStretchStretchesAWindowOfAtMostTheGivenRatioBackToTheSquare()
    {
        // Rows carry their index (value 4 * y), columns are all alike: a window wider than tall, stretched back, shows
        // fewer rows (a vertical stretch); a window taller than wide changes nothing, as every column is the same.
        const int size = 64;
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            Array.Fill(pixels, (byte)(4 * y), y * size * 3, size * 3);
        var image = new RgbImage(size, size, pixels);
        var options = AugmentationOptions.None with { AspectStretchMax = 16f / 9 };
        var rowSpans = new List<int>();
        for (int seed = 0; seed < 60; seed++)
        {
            var result = ImageAugmenter.Apply(image, options, new Random(seed));
            Assert.Equal((size, size), (result.Width, result.Height));
            var firstColumn = Enumerable.Range(0, size).Select(y => (int)result.Pixels[y * size * 3]).ToArray();
            // Rows stay uniform: the stretch is along one axis only.
            for (int y = 0; y < size; y++)
                Assert.All(Enumerable.Range(0, size * 3), i => Assert.InRange(Math.Abs(result.Pixels[y * size * 3 + i] - firstColumn[y]), 0, 1));
            rowSpans.Add((firstColumn.Max() - firstColumn.Min()) / 4 + 1);
        }
        // The narrowest window a 16:9 ratio allows is 36 of 64 rows; about half the draws are wider than tall.
        Assert.All(rowSpans, span => Assert.InRange(span, 34, size));
        Assert.Contains(rowSpans, span => span < 44);
        Assert.Contains(rowSpans, span => span == size);
        Assert.Equal(ImageAugmenter.Apply(image, options, new Random(3)).Pixels, ImageAugmenter.Apply(image, options, new Random(3)).Pixels);
        Assert.Contains(nameof(AugmentationOptions.AspectStretchMax), Assert.Throws<ArgumentException>(() =>
            ImageAugmenter.Apply(image, options with { AspectStretchMax = 0.5f }, new Random(1))).Message);
    }

    [Fact]
    public void ChromaMatchingGivesDrabAndGaudyImagesTheSameRangeOfColourfulness()
    {
        var options = AugmentationOptions.None with { ChromaMin = 0.05f, ChromaMax = 0.2f };
        var gaudy = Flat(8, 220, 40, 90);
        var drab = Flat(8, 120, 110, 104);
        var chromas = new List<double>();
        for (var seed = 0; seed < 20; seed++)
        {
            foreach (var image in new[] { gaudy, drab })
            {
                var result = ImageAugmenter.Apply(image, options, new Random(seed));
                // The one draw, log-uniform in [0.05, 0.2]; rounding to bytes moves a channel by at most half a step.
                var target = 0.05 * Math.Pow(4, new Random(seed).NextDouble());
                Assert.InRange(ImageAugmenter.MeanChroma(result), target - 1.0 / 255, target + 1.0 / 255);
                chromas.Add(ImageAugmenter.MeanChroma(result));
            }
        }
        Assert.True(ImageAugmenter.MeanChroma(gaudy) > 0.5 && ImageAugmenter.MeanChroma(drab) < 0.07);
        Assert.True(chromas.Max() - chromas.Min() > 0.08, "targets spread over the range");
    }

    [Fact]
    public void ChromaMatchingKeepsGreyImagesGreyAndCapsTheGain()
    {
        var options = AugmentationOptions.None with { ChromaMin = 0.3f, ChromaMax = 0.3f };
        var grey = Flat(8, 90, 90, 90);
        Assert.Equal(grey.Pixels, ImageAugmenter.Apply(grey, options, new Random(1)).Pixels);
        // Chroma 2/255: a gain of 38 would be needed, the cap of 4 gives about 8/255.
        var almostGrey = Flat(8, 100, 98, 98);
        Assert.InRange(ImageAugmenter.MeanChroma(ImageAugmenter.Apply(almostGrey, options, new Random(1))), 7.0 / 255, 9.0 / 255);
    }

    [Fact]
    public void NoiseAugmentationDrawsItsSpreadPerImageUpToTheMaximum()
    {
        var grey = Flat(32, 128, 128, 128);
        var options = AugmentationOptions.None with { NoiseMax = 8f };
        var spreads = Enumerable.Range(0, 12).Select(seed =>
        {
            var result = ImageAugmenter.Apply(grey, options, new Random(seed));
            Assert.Equal(result.Pixels, ImageAugmenter.Apply(grey, options, new Random(seed)).Pixels);
            return Spread(result.Pixels);
        }).ToArray();
        Assert.All(spreads, s => Assert.InRange(s, 0, 8.6));
        Assert.True(spreads.Max() - spreads.Min() > 3, "each image draws its own spread");
        Assert.Contains(nameof(AugmentationOptions.NoiseMax), Assert.Throws<ArgumentException>(() =>
            ImageAugmenter.Apply(grey, options with { NoiseMax = 65f }, new Random(1))).Message);
    }

    [Theory]
    [InlineData(0.1f, 0f)]
    [InlineData(0f, 0.2f)]
    [InlineData(0.3f, 0.2f)]
    [InlineData(0.1f, 1.5f)]
    public void ChromaRangeMustBeOffOrOrdered(float min, float max)
    {
        var error = Assert.Throws<ArgumentException>(() => ImageAugmenter.Apply(TestImages.Noise(8, 8, 1),
            AugmentationOptions.None with { ChromaMin = min, ChromaMax = max }, new Random(1)));
        Assert.Contains("Chroma", error.Message);
    }

    [Fact]
    public void OutOfRangeOptionIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageAugmenter.Apply(TestImages.Noise(8, 8, 1), new AugmentationOptions(MaxRotationDegrees: -1), new Random(1)));
        Assert.Contains(nameof(AugmentationOptions.MaxRotationDegrees), error.Message);
    }

    [Fact]
    public void ReferenceIsRotationTenOnly()
    {
        Assert.Equal(new AugmentationOptions(), AugmentationOptions.Reference);
        Assert.Equal(10f, AugmentationOptions.Reference.MaxRotationDegrees);
        Assert.Equal(AugmentationOptions.Reference with { MaxRotationDegrees = 0 }, AugmentationOptions.None);
    }

    private static double Spread(byte[] values)
    {
        double mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
