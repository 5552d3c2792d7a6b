using TwinHead.Training.Export;
using TwinHead.Training.Models;
using TwinHead.Training.Tests.Interop;
using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Export;

public sealed class ExportSourceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("twinhead-source-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Checkpoint_source_keeps_the_checkpoint_metadata_and_exports_with_parity()
    {
        var options = new ModelOptions { Architecture = "three-output" };
        using var model = TinyModels.Create(options);
        var metadata = TinyModels.Metadata(model) with { Thresholds = new(0.8, 0.3) };
        var checkpoint = Path.Combine(directory, "best.ckpt");
        CheckpointFile.Save(checkpoint, model, options, metadata);

        using var source = ExportSource.Load(checkpoint);
        Assert.Equal(metadata.ToProperties(), source.Metadata.ToProperties());
        var onnx = Path.Combine(directory, "model.onnx");
        OnnxExporter.Export(source.Model, source.Metadata, onnx);
        Assert.True(ExportParity.Check(source.Model, source.Metadata, onnx).Passed);
        Assert.Throws<InvalidDataException>(() => { ExportSource.Load(checkpoint, "two-headed"); });
    }

    [Fact]
    public void State_dict_source_gets_reference_preprocessing_at_the_requested_size()
    {
        using var source = ExportSource.Load(PyTorchFixtures.TwoHeaded, imageSize: 320);

        Assert.Equal("two-headed", source.Metadata.Architecture);
        Assert.Equal(Core.Models.PreprocessingSpec.Reference(320), source.Metadata.Preprocessing);
        Assert.Equal("pytorch:two_headed.pt", source.Metadata.Extra["source"]);
        Assert.Contains("base_model.conv5", source.Description);
    }
}
