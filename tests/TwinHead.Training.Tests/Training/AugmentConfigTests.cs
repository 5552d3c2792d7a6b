using TwinHead.Core.Config;
using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Training;

public class AugmentConfigTests
{
    [Fact]
    public void Jpeg_and_blur_keys_reach_the_augmenter_options()
    {
        var config = LayeredYamlConfig.ResolveText<TrainingConfig>(
            "data:\n  augment:\n    jpeg_quality_min: 60\n", "test.yaml", ["data.augment.blur_probability=0.25", "data.augment.aspect_stretch=1.78",
                "data.augment.chroma_min=0.03", "data.augment.chroma_max=0.25", "data.augment.noise=8"]);

        config.Validate();
        var options = config.Data.Augment.ToOptions();

        Assert.Equal(60f, options.JpegQualityMin);
        Assert.Equal(0.25f, options.GaussianBlurProbability);
        Assert.Equal(1.78f, options.AspectStretchMax);
        Assert.Equal((0.03f, 0.25f), (options.ChromaMin, options.ChromaMax));
        Assert.Equal(8f, options.NoiseMax);
        Assert.Contains("jpeg_quality_min: 60", LayeredYamlConfig.ToYaml(config));
    }

    [Fact]
    public void Jpeg_blur_and_aspect_stretch_are_off_by_default()
    {
        var options = new TrainingConfig().Data.Augment.ToOptions();
        Assert.Equal(1f, options.AspectStretchMax);

        Assert.Equal(0f, options.JpegQualityMin);
        Assert.Equal(0f, options.GaussianBlurProbability);
        Assert.Equal((0f, 0f), (options.ChromaMin, options.ChromaMax));
        Assert.Equal(0f, options.NoiseMax);
    }

    [Theory]
    [InlineData("data.augment.jpeg_quality_min=101")]
    [InlineData("data.augment.jpeg_quality_min=0.5")]
    [InlineData("data.augment.blur_probability=1.5")]
    [InlineData("data.augment.brightness=-0.1")]
    [InlineData("data.augment.contrast=2")]
    [InlineData("data.augment.saturation=3")]
    [InlineData("data.augment.aspect_stretch=0.5")]
    [InlineData("data.augment.aspect_stretch=5")]
    [InlineData("data.augment.chroma_max=1.5")]
    [InlineData("data.augment.chroma_min=0.1")]
    [InlineData("data.augment.noise=-1")]
    public void Out_of_range_values_are_refused_naming_the_key(string assignment)
    {
        var config = LayeredYamlConfig.ResolveText<TrainingConfig>("", "test.yaml", [assignment]);

        var error = Assert.Throws<ConfigException>(config.Validate);

        Assert.Contains(assignment.Split('=')[0], error.Message);
    }
}
