using TwinHead.Core.Models;
using TwinHead.Training.Interop;
using TwinHead.Training.Models;
using TwinHead.Training.Training;

namespace TwinHead.Training.Export;

/// <summary>A model to export and what it says about itself.</summary>
/// <param name="Model">The network with its weights, in eval mode.</param>
/// <param name="Metadata">Metadata to store in the ONNX file.</param>
/// <param name="Description">Where it came from, for the console.</param>
public sealed record ExportSource(BuiltModel Model, ModelMetadata Metadata, string Description) : IDisposable
{
    /// <summary>File extensions read as PyTorch state_dicts.</summary>
    public static IReadOnlyList<string> PyTorchExtensions { get; } = [".pt", ".pth", ".bin"];

    /// <summary>
    /// Loads a TwinHead checkpoint, or a PyTorch state_dict (by extension: .pt, .pth, .bin). A state_dict carries no
    /// metadata, so it gets the reference preprocessing at <paramref name="imageSize"/> and default thresholds;
    /// <paramref name="architecture"/> is checked against (or, when null, read from) its keys.
    /// </summary>
    public static ExportSource Load(string path, string? architecture = null, int imageSize = 256)
    {
        if (PyTorchExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            var import = PyTorchStateDict.Load(path, architecture);
            var metadata = new ModelMetadata
            {
                Architecture = import.Options.Architecture,
                Backbone = import.Options.Backbone,
                Preprocessing = PreprocessingSpec.Reference(imageSize).Validate(),
                Extra = new Dictionary<string, string>
                {
                    ["source"] = "pytorch:" + Path.GetFileName(path),
                },
            };
            var skipped = import.SkippedKeys.Count > 0 ? $"; ignored {import.SkippedKeys.Count} unused reference keys (base_model.conv5.*)" : "";
            return new ExportSource(import.Model, metadata, $"PyTorch state_dict {path}: {metadata.Architecture} {metadata.Backbone}{(import.Model.Architecture == Architecture.TwoHeaded ? $", head channels {import.Options.HeadChannels}" : "")}{skipped}");
        }
        var checkpoint = CheckpointFile.Load(path);
        if (architecture is not null && !architecture.Equals(checkpoint.Metadata.Architecture, StringComparison.OrdinalIgnoreCase))
        {
            checkpoint.Dispose();
            throw new InvalidDataException($"{path}: --architecture {architecture} was given but the checkpoint holds a {checkpoint.Metadata.Architecture} model");
        }
        return new ExportSource(checkpoint.Model, checkpoint.Metadata, $"checkpoint {path}: {checkpoint.Metadata.Architecture} {checkpoint.Metadata.Backbone}");
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
