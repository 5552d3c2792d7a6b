using TwinHead.Core.Labels;
using TwinHead.Core.Models;

namespace TwinHead.Core.Tests;

public class ModelMetadataTests
{
    private static ModelMetadata Sample() => new()
    {
        Architecture = "two-headed",
        Backbone = "shufflenet_v2_x0_5",
        Preprocessing = PreprocessingSpec.Reference(224),
        Thresholds = new DecisionThresholds(0.73, 0.41),
        ConfigHash = "0123456789abcdef",
        Extra = new Dictionary<string, string> { ["run"] = "r1" },
    };

    [Fact]
    public void Properties_round_trip()
    {
        var back = ModelMetadata.FromProperties(Sample().ToProperties(), "m.onnx");
        Assert.Equal("two-headed", back.Architecture);
        Assert.Equal(PreprocessingSpec.Reference(224), back.Preprocessing);
        Assert.Equal(new DecisionThresholds(0.73, 0.41), back.Thresholds);
        Assert.Equal(["document", "not_document", "screen"], back.ClassNames);
        Assert.Equal(["screen", "not_document"], back.HeadNames);
        Assert.Equal("r1", back.Extra["run"]);
        Assert.Equal("0123456789abcdef", back.ConfigHash);
    }

    [Fact]
    public void Json_round_trips()
    {
        var back = ModelMetadata.FromJson(Sample().ToJson(), "x.ckpt");
        Assert.Equal(Sample().ToProperties(), back.ToProperties());
    }

    [Fact]
    public void Missing_or_bad_keys_are_named()
    {
        var props = Sample().ToProperties().ToDictionary();
        props.Remove(ModelMetadata.Keys.Mean);
        var missing = Assert.Throws<InvalidDataException>(() => ModelMetadata.FromProperties(props, "m.onnx"));
        Assert.Contains("m.onnx", missing.Message);
        Assert.Contains(ModelMetadata.Keys.Mean, missing.Message);

        props = Sample().ToProperties().ToDictionary();
        props[ModelMetadata.Keys.ImageWidth] = "wide";
        var bad = Assert.Throws<InvalidDataException>(() => ModelMetadata.FromProperties(props, "m.onnx"));
        Assert.Contains(ModelMetadata.Keys.ImageWidth, bad.Message);
    }
}
