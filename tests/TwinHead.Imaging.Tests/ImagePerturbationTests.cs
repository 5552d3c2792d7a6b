using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

public class ImagePerturbationTests
{
    private static RgbImage Flat(int size, byte r, byte g, byte b) =>
        new(size, size, Enumerable.Repeat(new[] { r, g, b }, size * size).SelectMany(p => p).ToArray());

    [Fact]
    public void The_standard_probe_starts_unchanged_and_names_every_change_once()
    {
        var probe = ImagePerturbation.Standard;
        Assert.Equal(ImagePerturbation.None, probe[0]);
        Assert.Equal(probe.Count, probe.Select(p => p.Name).Distinct().Count());
        Assert.Contains("saturation x1.6", probe.Select(p => p.Name));
        Assert.Contains("noise sd 8/255", probe.Select(p => p.Name));
    }

    [Fact]
    public void Unchanged_returns_an_equal_copy_and_grey_removes_all_colour()
    {
        var image = TestImages.Noise(16, 16, 4);
        var same = ImagePerturbation.None.Apply(image, new Random(1));
        Assert.Equal(image.Pixels, same.Pixels);
        Assert.NotSame(image.Pixels, same.Pixels);

        var grey = new ImagePerturbation(PerturbationKind.Saturation, 0).Apply(image, new Random(1));
        Assert.True(ImageAugmenter.MeanChroma(image) > 0.1);
        Assert.Equal(0, ImageAugmenter.MeanChroma(grey));
    }

    [Fact]
    public void Brightness_scales_every_channel()
    {
        var result = new ImagePerturbation(PerturbationKind.Brightness, 0.5f).Apply(Flat(4, 200, 100, 40), new Random(1));
        Assert.Equal(((byte)100, (byte)50, (byte)20), TestImages.PixelAt(result, 2, 2));
    }

    [Fact]
    public void Noise_is_seeded_and_has_the_asked_spread()
    {
        var grey = Flat(64, 128, 128, 128);
        var noise = new ImagePerturbation(PerturbationKind.Noise, 8);
        var a = noise.Apply(grey, new Random(5));
        Assert.Equal(a.Pixels, noise.Apply(grey, new Random(5)).Pixels);
        Assert.NotEqual(a.Pixels, noise.Apply(grey, new Random(6)).Pixels);
        var deviations = a.Pixels.Select(v => v - 128.0).ToArray();
        Assert.InRange(deviations.Average(), -0.5, 0.5);
        // 12,288 draws: the sample sd is within a few percent of 8 (rounding to whole levels adds 1/12 to the variance).
        Assert.InRange(Math.Sqrt(deviations.Average(d => d * d)), 7.6, 8.4);
    }

    [Theory]
    [InlineData(PerturbationKind.Jpeg, 0f)]
    [InlineData(PerturbationKind.Jpeg, 50.5f)]
    [InlineData(PerturbationKind.Blur, 0f)]
    [InlineData(PerturbationKind.Noise, -1f)]
    [InlineData(PerturbationKind.Saturation, 5f)]
    public void An_amount_out_of_range_is_refused_naming_the_kind(PerturbationKind kind, float amount)
    {
        var error = Assert.Throws<ArgumentException>(() => new ImagePerturbation(kind, amount).Apply(Flat(4, 1, 2, 3), new Random(1)));
        Assert.Contains(kind.ToString(), error.Message);
    }
}
