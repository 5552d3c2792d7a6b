using TorchSharp;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Models;

public class ModelShapeTests
{
    [Fact]
    public void Torchvision_x0_5_with_1000_classes_has_torchvisions_parameter_count()
    {
        using var model = new ShuffleNetV2(ShuffleNetV2Width.X0_5, classes: 1000);
        Assert.Equal(1_366_792, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Torchvision_x1_0_with_1000_classes_has_torchvisions_parameter_count()
    {
        using var model = new ShuffleNetV2(ShuffleNetV2Width.X1_0, classes: 1000);
        Assert.Equal(2_278_604, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("two-headed", 544_548, 4)]
    [InlineData("three-output", 344_867, 3)]
    public void Reference_architectures_have_the_measured_sizes_and_output_widths(string architecture, long parameters, int logits)
    {
        using var model = ModelRegistry.Create(new ModelOptions { Architecture = architecture });
        Assert.Equal(parameters, model.ParameterCount);
        model.Network.eval();
        using var scope = NewDisposeScope();
        var output = model.Network.call(randn(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, logits }, output.shape);
    }

    [Fact]
    public void Staged_trunk_outputs_have_the_declared_channels_and_strides_and_end_with_the_trunk()
    {
        manual_seed(3);
        using var trunk = new ShuffleNetV2(ShuffleNetV2Width.X0_5, classes: null);
        trunk.eval();
        var x = randn(2, 3, 64, 64);
        using var noGrad = no_grad();
        Assert.Equal([("stage2", 48L, 8), ("stage3", 96L, 16), ("stage4", 192L, 32)], trunk.Stages.Select(s => (s.Name, s.Channels, s.Stride)));
        var stages = trunk.StageOutputs(x);
        foreach (var (stage, map) in trunk.Stages.Zip(stages)) Assert.Equal([2L, stage.Channels, 64 / stage.Stride, 64 / stage.Stride], map.shape);
        Assert.Equal(0f, (stages[^1] - trunk.call(x)).abs().max().item<float>());

        using var model = ModelRegistry.Create(new ModelOptions());
        model.Network.eval();
        var network = (TwoHeadedNetwork)model.Network;
        var (logits, networkStages) = network.ForwardWithStages(x);
        Assert.Equal(0f, (logits - network.call(x)).abs().max().item<float>());
        Assert.Equal(3, networkStages.Count);
        Assert.Equal(trunk.Stages, network.TrunkStages);
    }

    [Fact]
    public void Two_headed_state_dict_uses_the_reference_names()
    {
        using var model = ModelRegistry.Create(new ModelOptions());
        var keys = model.Network.state_dict().Keys.ToHashSet();
        Assert.Contains("base_model.conv1.0.weight", keys);
        Assert.Contains("base_model.stage2.0.branch1.0.weight", keys);
        Assert.Contains("base_model.stage4.3.branch2.6.weight", keys);
        Assert.Contains("head1_conv.0.weight", keys);
        Assert.Contains("head2_conv.1.running_var", keys);
        Assert.Contains("fc1.weight", keys);
        Assert.Contains("fc2.bias", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("base_model.conv5", StringComparison.Ordinal) || k.StartsWith("base_model.fc", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_output_state_dict_uses_torchvision_names()
    {
        using var model = ModelRegistry.Create(new ModelOptions { Architecture = "three-output" });
        var keys = model.Network.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.0.weight", keys);
        Assert.Contains("stage2.0.branch1.0.weight", keys);
        Assert.Contains("conv5.1.num_batches_tracked", keys);
        Assert.Contains("fc.weight", keys);
    }

    [Theory]
    [InlineData(1024, true, 143_136 + 198_656 + 2 * 2_050)]
    [InlineData(256, false, 143_136 + 2 * (192 * 256 + 2 * 256) + 2 * (256 * 2 + 2))]
    public void Head_designs_change_parameter_counts_as_designed(int channels, bool shared, long expected)
    {
        using var model = ModelRegistry.Create(new ModelOptions { HeadChannels = channels, SharedHeadConv = shared });
        Assert.Equal(expected, model.ParameterCount);
    }

    [Fact]
    public void Unknown_backbone_and_architecture_are_named_in_the_error()
    {
        var backbone = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(new ModelOptions { Backbone = "resnet9000" }));
        Assert.Contains("model.backbone 'resnet9000'", backbone.Message);
        var architecture = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(new ModelOptions { Architecture = "four-headed" }));
        Assert.Contains("model.architecture 'four-headed'", architecture.Message);
    }

    [Fact]
    public void Channel_shuffle_interleaves_groups()
    {
        using var scope = NewDisposeScope();
        var x = arange(6, dtype: ScalarType.Float32).view(1, 6, 1, 1);
        var shuffled = ShuffleUnit.ChannelShuffle(x, 2).view(6).data<float>().ToArray();
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, shuffled);
    }
}
