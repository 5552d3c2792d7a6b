using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Models;
using TwinHead.Training.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.ResNet;

public sealed class ResNetHeadsTests(ITestOutputHelper output) : IDisposable
{
    private const int Size = 64;
    private readonly string directory = Directory.CreateTempSubdirectory("twinhead-resnet-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("two-headed", 4, ResNet18ImageNet.BackboneName)]
    [InlineData("three-output", 3, ResNet18ImageNet.BackboneName)]
    [InlineData("two-headed", 4, ResNet18ImageNet.Layer3BackboneName)]
    [InlineData("three-output", 3, ResNet18ImageNet.Layer2BackboneName)]
    public void Both_architectures_build_on_the_pretrained_trunk_and_export_with_parity(string architecture, int logits, string backbone)
    {
        using var model = ModelRegistry.Create(new ModelOptions { Architecture = architecture, Backbone = backbone });
        model.Network.eval();
        using (no_grad())
        {
            Assert.Equal([2L, logits], model.Network.call(randn(2, 3, Size, Size)).shape);
        }
        var metadata = new ModelMetadata
        {
            Architecture = model.Architecture.Name,
            Backbone = model.Backbone,
            Preprocessing = PreprocessingSpec.Reference(Size),
            ConfigHash = "0123456789abcdef",
        };
        var path = Path.Combine(directory, $"{architecture}-{backbone}.onnx");
        var summary = OnnxExporter.Export(model, metadata, path);

        var report = ExportParity.Check(model, metadata, path, new ParityOptions { Samples = 2 });
        output.WriteLine($"{architecture} on {backbone}: {model.ParameterCount:N0} parameters, {summary.FileBytes / 1e6:F1} MB ONNX, {summary.NodeCount} nodes");
        output.WriteLine(report.ToString());
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.MaxLogitMagnitude > 1e-2, "logits are too small for the comparison to mean anything");
    }

    [Fact]
    public void Trunk_weights_are_the_imported_ones_under_base_model()
    {
        using var model = ModelRegistry.Create(new ModelOptions { Backbone = ResNet18ImageNet.BackboneName });
        var state = model.Network.state_dict();
        var stem = ResNet18ImageNet.Import().Stem;

        Assert.Equal(stem.Weight.Take(10), state["base_model.conv1.weight"].data<float>().Take(10));
        Assert.Contains("base_model.layer4.2.conv2.weight", state.Keys);
        Assert.Contains("base_model.layer2.0.downsample.0.weight", state.Keys);
        Assert.Contains("base_model.input_adapter.scale", state.Keys);
        Assert.Contains("head1_conv.0.weight", state.Keys);
        Assert.Equal([1024L, 512, 1, 1], state["head1_conv.0.weight"].shape);
    }

    [Fact]
    public void The_layer3_trunk_is_the_imported_network_without_layer4()
    {
        using var full = ModelRegistry.Create(new ModelOptions { Backbone = ResNet18ImageNet.BackboneName });
        using var cut = ModelRegistry.Create(new ModelOptions { Backbone = ResNet18ImageNet.Layer3BackboneName });
        var (fullState, cutState) = (full.Network.state_dict(), cut.Network.state_dict());

        var trunkKeys = fullState.Keys.Where(k => k.StartsWith("base_model.", StringComparison.Ordinal)).ToList();
        Assert.Equal(trunkKeys.Where(k => !k.StartsWith("base_model.layer4.", StringComparison.Ordinal)),
            cutState.Keys.Where(k => k.StartsWith("base_model.", StringComparison.Ordinal)));
        Assert.Equal(fullState["base_model.layer3.1.conv2.weight"].data<float>().ToArray(), cutState["base_model.layer3.1.conv2.weight"].data<float>().ToArray());
        Assert.Equal([1024L, 256, 1, 1], cutState["head1_conv.0.weight"].shape);

        // Stride 16 instead of 32: a 64 px input leaves a 4x4 map.
        var trunk = (ResNet18ImageNet)cut.Network.named_children().Single(c => c.name == "base_model").module;
        trunk.eval();
        using (no_grad())
        {
            Assert.Equal([1L, 256, 4, 4], trunk.call(randn(1, 3, Size, Size)).shape);
        }
        Assert.Equal(["layer1", "layer2", "layer3"], trunk.Stages.Select(s => s.Name));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet18ImageNet.Import().FirstStages(5));
    }

    [Fact]
    public void Backbone_learning_rate_scale_makes_two_Adam_groups()
    {
        using var model = ModelRegistry.Create(new ModelOptions());
        var optimizer = Trainer.CreateOptimizer(model, new OptimConfig { Lr = 1e-3, BackboneLrScale = 0.1 });
        var groups = optimizer.ParamGroups.Cast<TorchSharp.Modules.Adam.ParamGroup>().ToArray();

        Assert.Equal(2, groups.Length);
        Assert.Equal(1e-3, groups[0].LearningRate, 12);
        Assert.Equal(1e-4, groups[1].LearningRate, 12);
        var backboneCount = model.Network.named_parameters().Count(p => p.name.StartsWith("base_model.", StringComparison.Ordinal));
        Assert.Equal(backboneCount, groups[1].Parameters.Count());
        Assert.Equal(model.Network.parameters().Count(), groups[0].Parameters.Count() + backboneCount);
        Assert.Single(Trainer.CreateOptimizer(model, new OptimConfig()).ParamGroups);
    }

    [Fact]
    public void Backbone_scale_zero_freezes_the_trunk_while_heads_learn()
    {
        manual_seed(3);
        using var model = ModelRegistry.Create(new ModelOptions());
        var optim = new OptimConfig { BackboneLrScale = 0 };
        var optimizer = Trainer.CreateOptimizer(model, optim);
        var before = model.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter.clone());
        var statsBefore = model.Network.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal))
            .ToDictionary(b => b.name, b => b.buffer.clone());

        Trainer.SetTrainingMode(model, optim);
        var x = randn(4, 3, 32, 32);
        var y = tensor(new long[] { 0, 1, 2, 2 });
        optimizer.zero_grad();
        model.Architecture.Loss(model.Network.call(x), y, new LossSettings()).backward();
        optimizer.step();

        foreach (var (name, parameter) in model.Network.named_parameters())
        {
            bool inBackbone = name.StartsWith("base_model.", StringComparison.Ordinal);
            var changed = (parameter - before[name]).abs().max().item<float>() > 0;
            Assert.True(changed != inBackbone, $"{name} changed: {changed}");
            Assert.True(parameter.requires_grad != inBackbone, $"{name} requires_grad {parameter.requires_grad}");
        }
        // The frozen trunk keeps its BatchNorm statistics (eval mode); the heads' BatchNorm still learns them.
        foreach (var (name, buffer) in model.Network.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)))
        {
            var changed = (buffer - statsBefore[name]).abs().max().item<float>() > 0;
            Assert.True(changed != name.StartsWith("base_model.", StringComparison.Ordinal), $"{name} running mean changed: {changed}");
        }
    }
}
