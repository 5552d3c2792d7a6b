using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using TwinHead.Training.Export;
using TwinHead.Training.Models;
using ModelMetadata = TwinHead.Core.Models.ModelMetadata;

namespace TwinHead.Training.Tests.Export;

public sealed class OnnxExportParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("twinhead-export-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("two-headed")]
    [InlineData("three-output")]
    [InlineData("shared-head")]
    [InlineData("slim-head")]
    [InlineData("coarse-view")]
    [InlineData("coarse-view-shared-head")]
    public void Exported_model_matches_TorchSharp_eval_within_1e4_with_identical_decisions(string design)
    {
        using var model = TinyModels.Create(TinyModels.Options(design));
        var metadata = TinyModels.Metadata(model);
        var path = Path.Combine(directory, design + ".onnx");
        OnnxExporter.Export(model, metadata, path);

        var report = ExportParity.Check(model, metadata, path);
        output.WriteLine(report.ToString());

        Assert.True(report.Passed, report.ToString());
        Assert.InRange(report.MaxProbabilityDifference, 0, 1e-4);
        Assert.InRange(report.MaxBatchVersusSingleDifference, 0, 1e-4);
        Assert.Equal(0, report.DecisionMismatches);
        Assert.Equal(4, report.Samples);
        Assert.True(report.MaxLogitMagnitude > 1e-3, "logits are too small for the comparison to mean anything");
    }

    /// <summary>The coarse view runs the trunk a second time: its weights must be stored once, not twice.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_coarse_view_stores_the_trunk_once(bool halfPrecision)
    {
        using var plain = TinyModels.Create(TinyModels.Options("slim-head"));
        using var twoViews = TinyModels.Create(TinyModels.Options("coarse-view"));
        var options = new OnnxExportOptions { HalfPrecisionWeights = halfPrecision };
        var a = OnnxExporter.Build(plain, TinyModels.Metadata(plain), options).Graph;
        var b = OnnxExporter.Build(twoViews, TinyModels.Metadata(twoViews), options).Graph;

        static long TrunkValues(Onnx.GraphProto g) => g.Initializer.Where(i => i.Name.StartsWith("base_model.", StringComparison.Ordinal)).Sum(i => i.Dims.Aggregate(1L, (x, d) => x * d));
        Assert.True(TrunkValues(a) > 100_000, $"trunk values: {TrunkValues(a)}");
        var extra = b.Initializer.Where(i => i.Name.StartsWith("base_model.", StringComparison.Ordinal)).Select(i => i.Name).Except(a.Initializer.Select(i => i.Name));
        Assert.True(TrunkValues(a) == TrunkValues(b), "stored twice: " + string.Join(" ", extra));
        Assert.Contains(b.Initializer, i => i.Name.StartsWith("coarse_fc1.", StringComparison.Ordinal));
        Assert.Equal(1, b.Node.Count(n => n.OpType == "AveragePool") - a.Node.Count(n => n.OpType == "AveragePool"));
    }

    [Fact]
    public void Half_precision_weights_halve_the_file_and_stay_close()
    {
        using var model = TinyModels.Create(TinyModels.Options("two-headed"));
        var metadata = TinyModels.Metadata(model);
        var full = OnnxExporter.Export(model, metadata, Path.Combine(directory, "fp32.onnx"));
        var half = OnnxExporter.Export(model, metadata, Path.Combine(directory, "fp16.onnx"), new OnnxExportOptions { HalfPrecisionWeights = true });

        Assert.InRange(half.FileBytes, full.FileBytes * 0.4, full.FileBytes * 0.6);
        var report = ExportParity.Check(model, metadata, half.Path, new ParityOptions { Tolerance = 5e-2 });
        Assert.True(report.Passed, report.ToString());
        using var session = new InferenceSession(half.Path);
        Assert.Equal(typeof(float), session.InputMetadata["image"].ElementType);
    }

    [Theory]
    [InlineData("two-headed", new[] { "logits", "screen_prob", "not_document_prob" })]
    [InlineData("three-output", new[] { "logits", "probs", "screen_prob", "not_document_prob" })]
    public void Model_has_the_contract_inputs_outputs_and_metadata(string design, string[] outputs)
    {
        using var model = TinyModels.Create(TinyModels.Options(design));
        var metadata = TinyModels.Metadata(model) with { Thresholds = new(0.7, 0.4) };
        var path = Path.Combine(directory, "contract.onnx");
        OnnxExporter.Export(model, metadata, path);

        using var session = new InferenceSession(path);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("image", input.Key);
        Assert.Equal(new[] { -1, 3, 64, 64 }, input.Value.Dimensions);
        Assert.Equal(outputs.Order(), session.OutputMetadata.Keys.Order());
        Assert.Equal(new[] { -1 }, session.OutputMetadata["screen_prob"].Dimensions);
        Assert.Equal(17, OpsetOf(path));
        var read = ModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
        Assert.Equal(metadata.ToProperties(), read.ToProperties());
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
    }

    [Fact]
    public void Batch_norms_are_folded_into_convolutions()
    {
        using var model = TinyModels.Create(TinyModels.Options("two-headed"));
        var proto = OnnxExporter.Build(model, TinyModels.Metadata(model));

        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Contains(proto.Graph.Initializer, t => t.Name == "base_model.conv1.0.bias");
    }

    [Fact]
    public void Unknown_module_type_fails_naming_the_module()
    {
        using var model = new BuiltModel(TorchSharp.torch.nn.Sequential(("odd", TorchSharp.torch.nn.GELU())), Architecture.ThreeOutput, "custom");
        var metadata = new ModelMetadata { Architecture = "three-output", Backbone = "custom", Preprocessing = Core.Models.PreprocessingSpec.Reference(64) };

        var error = Assert.Throws<NotSupportedException>(() => { OnnxExporter.Build(model, metadata); });
        Assert.Contains("'odd'", error.Message);
        Assert.Contains("GELU", error.Message);
    }

    private static long OpsetOf(string path) =>
        Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.Single(o => o.Domain == "").Version;
}
