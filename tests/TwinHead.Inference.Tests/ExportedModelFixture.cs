using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Inference.Tests;

/// <summary>A tiny random two-headed model (64 px), exported once per test class, kept alive for TorchSharp comparisons.</summary>
public sealed class ExportedModelFixture : IDisposable
{
    public const int ImageSize = 64;

    public ExportedModelFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("twinhead-inference-").FullName;
        manual_seed(11);
        Model = ModelRegistry.Create(new ModelOptions { HeadChannels = 64 });
        // Running statistics from one batch at momentum 1 keep the signal alive to the output (see the Training tests' TinyModels).
        var batchNorms = Model.Network.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
        Model.Network.train();
        using (no_grad())
        {
            foreach (var bn in batchNorms) bn.momentum = 1.0;
            using (NewDisposeScope()) Model.Network.call(randn(8, 3, ImageSize, ImageSize));
            foreach (var bn in batchNorms) bn.momentum = 0.1;
        }
        Model.Network.eval();
        Metadata = new ModelMetadata
        {
            Architecture = Model.Architecture.Name,
            Backbone = Model.Backbone,
            Preprocessing = PreprocessingSpec.Reference(ImageSize),
            Thresholds = new DecisionThresholds(0.5, 0.5),
            ConfigHash = "feedfacecafebeef",
        };
        ModelPath = Path.Combine(Directory, "tiny.onnx");
        OnnxExporter.Export(Model, Metadata, ModelPath);
    }

    public string Directory { get; }

    public BuiltModel Model { get; }

    public ModelMetadata Metadata { get; }

    public string ModelPath { get; }

    public string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        Model.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
