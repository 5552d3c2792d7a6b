using Microsoft.ML.OnnxRuntime;
using TwinHead.Core.Models;
using TwinHead.Training.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.ResNet;

public sealed class ResNet18ImportTests(ITestOutputHelper output)
{
    private const int OnnxSize = 224;

    [Fact]
    public void Graph_walk_finds_the_CNTK_layout_with_its_uneven_pads()
    {
        var imported = ResNet18ImageNet.Import();

        Assert.Equal([2, 2, 2, 3], imported.Stages.Select(s => s.Count));
        Assert.Equal(512, imported.OutputChannels);
        Assert.Equal(new ExplicitPadding(3, 3, 2, 2), imported.Stem.Pads);
        Assert.Equal(new ExplicitPadding(1, 1, 0, 0), imported.MaxPool.Pads);
        Assert.All(imported.Stages.Skip(1), stage => Assert.NotNull(stage[0].Downsample));
        Assert.All(imported.Stages.Skip(1), stage => Assert.Equal(new ExplicitPadding(1, 1, 0, 0), stage[0].Conv1.Pads));
        // DESIGN 5b: channel means of the mean image, about B 103.1, G 115.9, R 123.2.
        Assert.Equal(103.06, imported.BgrMean[0], 0.05);
        Assert.Equal(115.90, imported.BgrMean[1], 0.05);
        Assert.Equal(123.15, imported.BgrMean[2], 0.05);
    }

    [Fact]
    public void Imported_features_equal_ONNX_Runtime_on_the_original_file()
    {
        var files = ResNet18Files.Locate();
        var imported = ResNet18ImageNet.Import();
        var rgb = SmoothImage(OnnxSize, seed: 5);

        // ONNX Runtime gets the CNTK convention: BGR, 0..255, minus the per-channel mean.
        var plane = OnnxSize * OnnxSize;
        var cntk = new float[3 * plane];
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < plane; i++) cntk[c * plane + i] = rgb[(2 - c) * plane + i] * 255f - imported.BgrMean[c];
        float[] expected;
        using (var session = new InferenceSession(files.NetworkPath, new SessionOptions { IntraOpNumThreads = 1 }))
        using (var input = OrtValue.CreateTensorValueFromMemory(cntk, [1, 3, OnnxSize, OnnxSize]))
        using (var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [input], [session.OutputNames[0]]))
        {
            expected = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        // Ours gets TwinHead's convention: RGB, ImageNet mean/std.
        using var trunk = new ResNet18ImageNet(imported);
        trunk.eval();
        float[] actual;
        using (no_grad())
        {
            var features = trunk.call(Normalised(rgb, OnnxSize));
            Assert.Equal([1L, 512, 7, 7], features.shape);
            actual = features.mean([2, 3]).data<float>().ToArray();
        }

        Assert.Equal(512, expected.Length);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"max |ORT - TorchSharp| = {maxDiff:E2}, largest feature {expected.Max():F3}, mean feature {expected.Average():F3}");
        Assert.True(expected.Max() > 0.1f, "features are too small for the comparison to mean anything");
        Assert.InRange(maxDiff, 0, 1e-4);
    }

    [Fact]
    public void Trunk_runs_at_small_inputs_and_the_adapter_undoes_the_normalisation()
    {
        using var trunk = new ResNet18ImageNet(ResNet18ImageNet.Import());
        trunk.eval();
        var rgb = SmoothImage(64, seed: 2);
        using (no_grad())
        {
            var x = cat([Normalised(rgb, 64), Normalised(rgb, 64)], 0);
            var features = trunk.call(x);
            Assert.Equal([2L, 512, 2, 2], features.shape);
            // Each stage's map has the declared channels and stride, and the last stage is the trunk's output.
            Assert.Equal([("layer1", 64L, 4), ("layer2", 128L, 8), ("layer3", 256L, 16), ("layer4", 512L, 32)], trunk.Stages.Select(s => (s.Name, s.Channels, s.Stride)));
            var stages = trunk.StageOutputs(x);
            foreach (var (stage, map) in trunk.Stages.Zip(stages)) Assert.Equal([2L, stage.Channels, 64 / stage.Stride, 64 / stage.Stride], map.shape);
            Assert.Equal(0f, (stages[^1] - features).abs().max().item<float>());
        }

        var mean = new[] { 103.06f, 115.90f, 123.15f };
        using var adapter = new CaffeInputAdapter(PreprocessingSpec.Reference().Mean, PreprocessingSpec.Reference().Std, mean);
        // A pure red pixel of value 0.5 becomes B = -mean_B, G = -mean_G, R = 127.5 - mean_R.
        var red = tensor(new float[] { 0.5f, 0, 0 }).reshape(1, 3, 1, 1);
        var reference = PreprocessingSpec.Reference();
        var normalised = (red - tensor(reference.Mean).reshape(1, 3, 1, 1)) / tensor(reference.Std).reshape(1, 3, 1, 1);
        var bgr = adapter.call(normalised).data<float>().ToArray();
        Assert.Equal(-mean[0], bgr[0], 1e-3);
        Assert.Equal(-mean[1], bgr[1], 1e-3);
        Assert.Equal(127.5f - mean[2], bgr[2], 1e-3);
        Assert.Equal(["scale", "shift"], adapter.state_dict().Keys.Order());
    }

    [Fact]
    public void Missing_explicit_file_is_named_in_the_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18Files.Locate("/nonexistent/ResNet18.onnx"));
        Assert.Contains("/nonexistent/ResNet18.onnx", error.Message);
    }

    /// <summary>A smooth random RGB image in 0..1 (CHW), more like a photo than white noise.</summary>
    internal static float[] SmoothImage(int size, int seed)
    {
        var random = new Random(seed);
        var image = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            var (a, b, phase) = (random.NextDouble() * 6, random.NextDouble() * 6, random.NextDouble() * 6);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var v = 0.5 + 0.3 * Math.Sin(a * x / size * Math.PI + phase) * Math.Cos(b * y / size * Math.PI) + 0.15 * (random.NextDouble() - 0.5);
                    image[(c * size + y) * size + x] = (float)Math.Clamp(v, 0, 1);
                }
        }
        return image;
    }

    /// <summary>TwinHead's input: (x - mean) / std per RGB channel, shape [1,3,size,size].</summary>
    internal static Tensor Normalised(float[] rgb, int size)
    {
        var spec = PreprocessingSpec.Reference(size);
        return (tensor(rgb).reshape(1, 3, size, size) - tensor(spec.Mean).reshape(1, 3, 1, 1)) / tensor(spec.Std).reshape(1, 3, 1, 1);
    }
}
