using TwinHead.Core.Config;
using TwinHead.Core.Models;
using TwinHead.Training.Export;
using TwinHead.Training.Interop;
using TwinHead.Training.Models;

namespace TwinHead.Training.Training;

/// <summary>
/// The weights a new run starts from (<c>model.init</c>): a TwinHead checkpoint, a run folder (its best checkpoint), or a
/// PyTorch state_dict of the reference model (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>). Only the weights are taken; the
/// run's own config sets preprocessing, thresholds, optimiser and schedule. This is how a model trained on generated
/// data (the shipped <c>models/twinhead-default.ckpt</c>) is fine-tuned on a user's own labelled photos.
/// </summary>
public sealed class InitialWeights : IDisposable
{
    private InitialWeights(BuiltModel model, ModelOptions options, PreprocessingSpec? preprocessing, string path)
    {
        Model = model;
        Options = options;
        Preprocessing = preprocessing;
        Path = path;
    }

    /// <summary>The network holding the weights.</summary>
    public BuiltModel Model { get; }

    /// <summary>The options that build it (read from the checkpoint, or inferred from a state_dict's keys and shapes).</summary>
    public ModelOptions Options { get; }

    /// <summary>The preprocessing the weights were trained with; null for a state_dict, which does not record it.</summary>
    public PreprocessingSpec? Preprocessing { get; }

    /// <summary>The file read, as a full path.</summary>
    public string Path { get; }

    /// <summary>The file a <c>model.init</c> value names: a state_dict or checkpoint file, or a run folder's best checkpoint; null when none exists.</summary>
    public static string? Locate(string init) =>
        RunFolder.FindCheckpoint(init) is { } file ? System.IO.Path.GetFullPath(file) : null;

    /// <summary>Reads the weights <paramref name="init"/> names.</summary>
    /// <exception cref="ConfigException">Nothing usable at <paramref name="init"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint or state_dict TwinHead can read (the message names it).</exception>
    public static InitialWeights Load(string init)
    {
        var path = Locate(init)
            ?? throw new ConfigException($"config key 'model.init' = {init}: no such checkpoint or state_dict file, nor a run folder with checkpoints/best.ckpt");
        if (ExportSource.PyTorchExtensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            var import = PyTorchStateDict.Load(path);
            return new InitialWeights(import.Model, import.Options, null, path);
        }
        var checkpoint = CheckpointFile.Load(path);
        return new InitialWeights(checkpoint.Model, checkpoint.Options, checkpoint.Metadata.Preprocessing, path);
    }

    /// <summary>Throws naming the first <c>model.*</c> key whose value the weights do not fit.</summary>
    /// <exception cref="ConfigException">The run's model differs in architecture, backbone or head design.</exception>
    public void CheckFits(ModelOptions run)
    {
        Require("model.architecture", Options.Architecture, run.Architecture);
        Require("model.backbone", Options.Backbone, run.Backbone);
        if (Models.Architecture.Parse(run.Architecture) != Models.Architecture.TwoHeaded) return;
        Require("model.head_channels", Options.HeadChannels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            run.HeadChannels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Require("model.shared_head_conv", Options.SharedHeadConv ? "true" : "false", run.SharedHeadConv ? "true" : "false");
        Require("model.coarse_view", Options.CoarseView ? "true" : "false", run.CoarseView ? "true" : "false");
    }

    /// <summary>
    /// How the run's preprocessing differs from the one the weights were trained with, one line each (empty when they
    /// agree or the file does not say). Not an error: fine-tuning at another size is common, but it should be a choice.
    /// </summary>
    public IReadOnlyList<string> PreprocessingChanges(PreprocessingSpec run)
    {
        if (Preprocessing is not { } trained) return [];
        var changes = new List<string>();
        if ((trained.Width, trained.Height) != (run.Width, run.Height))
            changes.Add($"the weights were trained at {trained.Width}x{trained.Height}, this run uses {run.Width}x{run.Height} (data.image_size)");
        if (trained.Resize != run.Resize) changes.Add($"the weights were trained with resize mode {trained.Resize}, this run uses {run.Resize}");
        if (!trained.Mean.SequenceEqual(run.Mean) || !trained.Std.SequenceEqual(run.Std))
            changes.Add("the weights were trained with another normalisation (mean / std) than this run's");
        return changes;
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private void Require(string key, string trained, string run)
    {
        if (!trained.Equals(run, StringComparison.OrdinalIgnoreCase))
            throw new ConfigException($"config key '{key}' = {run}: model.init ({Path}) holds weights for {trained}; set {key}: {trained} or start from other weights");
    }
}
