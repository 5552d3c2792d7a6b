using TorchSharp;
using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Interop;
using TwinHead.Training.Models;
using TwinHead.Training.Tests.Export;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Interop;

public sealed class PyTorchStateDictTests : IDisposable
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("twinhead-interop-").FullName;

    public void Dispose() => System.IO.Directory.Delete(directory, recursive: true);

    [Fact]
    public void Reference_two_headed_state_dict_loads_skips_dead_conv5_and_computes_PyTorchs_logits()
    {
        using var import = PyTorchStateDict.Load(PyTorchFixtures.TwoHeaded);

        Assert.Equal("two-headed", import.Options.Architecture);
        Assert.Equal("shufflenet_v2_x0_5", import.Options.Backbone);
        Assert.Equal(128, import.Options.HeadChannels);
        Assert.False(import.Options.SharedHeadConv);
        Assert.Equal(PyTorchStateDict.ReferenceDeadConv5Keys.Order(StringComparer.Ordinal), import.SkippedKeys);
        AssertLogits(import.Model, PyTorchFixtures.ExpectedLogits("two_headed"));
    }

    [Fact]
    public void Torchvision_three_output_state_dict_loads_and_computes_PyTorchs_logits()
    {
        using var import = PyTorchStateDict.Load(PyTorchFixtures.ThreeOutput, "three-output");

        Assert.Equal("three-output", import.Options.Architecture);
        Assert.Empty(import.SkippedKeys);
        AssertLogits(import.Model, PyTorchFixtures.ExpectedLogits("three_output"));
    }

    [Fact]
    public void Architecture_that_contradicts_the_keys_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => { PyTorchStateDict.Load(PyTorchFixtures.TwoHeaded, "three-output"); });
        Assert.Contains("two_headed.pt", error.Message);
        Assert.Contains("base_model", error.Message);
    }

    [Fact]
    public void Saved_state_dict_reads_back_with_PyBridges_unpickler_including_the_reference_dead_keys()
    {
        using var model = TinyModels.Create(new ModelOptions());
        var path = Path.Combine(directory, "ours.pt");
        PyTorchStateDict.Save(model, path);

        var read = PyTorchStateDict.Read(path);
        var ours = model.Network.state_dict();
        Assert.Equal(ours.Keys.Concat(PyTorchStateDict.ReferenceDeadConv5Keys).Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in ours) Assert.True(value.eq(read[key]).all().item<bool>(), key);
        Assert.Equal(new long[] { 1024, 192, 1, 1 }, read["base_model.conv5.0.weight"].shape);

        using var reloaded = PyTorchStateDict.Load(path);
        using var scope = NewDisposeScope();
        var input = tensor(PyTorchFixtures.Input()).reshape(2, 3, 64, 64);
        Assert.True(model.Network.call(input).eq(reloaded.Model.Network.call(input)).all().item<bool>());
    }

    [Fact]
    public void Missing_key_is_named()
    {
        using var model = TinyModels.Create(new ModelOptions { Architecture = "three-output" });
        var path = Path.Combine(directory, "partial.pt");
        model.Network.save_py(path, skip: ["stage3.2.branch2.4.running_var"]);

        var error = Assert.Throws<InvalidDataException>(() => { PyTorchStateDict.Load(path); });
        Assert.Contains("missing: stage3.2.branch2.4.running_var", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_state_dict_is_rejected_naming_it()
    {
        var path = Path.Combine(directory, "text.pt");
        File.WriteAllText(path, "not a pickle");
        var error = Assert.Throws<InvalidDataException>(() => { PyTorchStateDict.Load(path); });
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Imported_reference_model_exports_to_ONNX_with_parity()
    {
        using var import = PyTorchStateDict.Load(PyTorchFixtures.TwoHeaded);
        var metadata = new ModelMetadata { Architecture = "two-headed", Backbone = import.Model.Backbone, Preprocessing = PreprocessingSpec.Reference(64) };
        var path = Path.Combine(directory, "imported.onnx");
        OnnxExporter.Export(import.Model, metadata, path);

        var report = ExportParity.Check(import.Model, metadata, path);
        Assert.True(report.Passed, report.ToString());
    }

    private static void AssertLogits(BuiltModel model, float[] expected)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.Network.call(tensor(PyTorchFixtures.Input()).reshape(PyTorchFixtures.Batch, 3, PyTorchFixtures.ImageSize, PyTorchFixtures.ImageSize));
        var actual = logits.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDiff <= 1e-4, $"max |logit diff| {maxDiff:E2}");
        Assert.True(Math.Abs(actual[0] - actual[expected.Length / 2]) > 1e-2, "the two inputs should give different logits");
    }
}
