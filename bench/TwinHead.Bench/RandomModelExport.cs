using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Models;

namespace TwinHead.Bench;

/// <summary>
/// Writes a randomly initialised model to ONNX: inference speed does not depend on the weights, so latency benchmarks need no
/// trained model.
/// </summary>
public static class RandomModelExport
{
    /// <summary>Exports and prints the file's path and size.</summary>
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var path = a.Get("out", Path.Combine(Path.GetTempPath(), "twinhead-bench-random.onnx"));
        var size = a.GetInt("image-size", 256);
        TorchSharp.torch.random.manual_seed(a.GetInt("seed", 42));
        using var model = ModelRegistry.Create(new ModelOptions { Architecture = a.Get("architecture", "two-headed"), Backbone = a.Get("backbone", "shufflenet_v2_x0_5") });
        model.Network.eval();
        var metadata = new ModelMetadata
        {
            Architecture = model.Architecture.Name,
            Backbone = model.Backbone,
            Preprocessing = PreprocessingSpec.Reference(size),
            Extra = new Dictionary<string, string> { ["weights"] = "random (benchmark only)" },
        };
        var summary = OnnxExporter.Export(model, metadata, path);
        Console.WriteLine($"{summary.Path}: {model.Architecture.Name} {model.Backbone} {size}px, {model.ParameterCount:N0} parameters, {summary.FileBytes / 1e6:F2} MB, {summary.NodeCount} nodes");
        return 0;
    }
}
