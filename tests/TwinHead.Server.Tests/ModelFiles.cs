using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Server.Tests;

/// <summary>
/// Two tiny random two-headed models (64 px, slim heads) exported once for the whole suite: exporting at test time keeps
/// binaries out of git and the fixture in step with the exporter. They differ in weights and thresholds, so a reload shows.
/// </summary>
public sealed class ModelFiles : IDisposable
{
    public const int ImageSize = 64;

    public ModelFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("twinhead-server-").FullName;
        First = Export("first.onnx", seed: 3, new DecisionThresholds(0.5, 0.5));
        Second = Export("second.onnx", seed: 5, new DecisionThresholds(0.3, 0.7));
    }

    public string Directory { get; }

    /// <summary>Thresholds 0.5 / 0.5.</summary>
    public string First { get; }

    /// <summary>Other weights, thresholds 0.3 / 0.7.</summary>
    public string Second { get; }

    /// <summary>A copy of <paramref name="model"/> at a fresh path (a test that rewrites it disturbs nobody).</summary>
    public string CopyOf(string model)
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, Guid.NewGuid().ToString("N"))).FullName;
        var path = Path.Combine(folder, "model.onnx");
        File.Copy(model, path);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private string Export(string name, int seed, DecisionThresholds thresholds)
    {
        manual_seed(seed);
        using var model = ModelRegistry.Create(new ModelOptions { HeadChannels = 64 });
        model.Network.train();
        using (no_grad())
        {
            for (var i = 0; i < 2; i++)
            {
                using var scope = NewDisposeScope();
                model.Network.call(randn(4, 3, ImageSize, ImageSize));
            }
            // Larger classifier weights spread the probabilities away from 0.5, as in a trained model.
            foreach (var (_, p) in model.Network.named_parameters())
            {
                if (p.dim() == 2) p.mul_(20);
            }
        }
        model.Network.eval();
        var path = Path.Combine(Directory, name);
        OnnxExporter.Export(model, new ModelMetadata
        {
            Architecture = model.Architecture.Name,
            Backbone = model.Backbone,
            Preprocessing = PreprocessingSpec.Reference(ImageSize),
            Thresholds = thresholds,
            ConfigHash = $"test{seed:D12}",
        }, path);
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ModelFiles>
{
    public const string Name = "service";
}
