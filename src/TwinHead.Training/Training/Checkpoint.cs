using TwinHead.Core.IO;
using System.IO.Compression;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using TwinHead.Core.Models;
using TwinHead.Training.Models;

namespace TwinHead.Training.Training;

/// <summary>Where training stood when a checkpoint was written, for resuming and for reports.</summary>
/// <param name="Epoch">Number of completed epochs.</param>
/// <param name="GlobalStep">Number of optimiser steps taken.</param>
/// <param name="BestScore">Best validation selection score so far (F1 of head 1, or macro F1).</param>
/// <param name="BestEpoch">Epoch of <paramref name="BestScore"/>.</param>
public sealed record TrainerState(int Epoch, long GlobalStep, double BestScore, int BestEpoch);

/// <summary>A checkpoint read back: the model with its weights and everything the file says about itself.</summary>
/// <param name="Model">The rebuilt network with loaded weights, in eval mode.</param>
/// <param name="Options">The options that build this model.</param>
/// <param name="Metadata">Self-description (preprocessing, labels, thresholds, config hash).</param>
/// <param name="State">Training progress, when the file carries it.</param>
/// <param name="OptimizerState">Serialized optimiser state (TorchSharp format), when the file carries it.</param>
/// <param name="TrainingWeights">
/// With a weight average (<c>optim.ema_decay</c>), <paramref name="Model"/> holds the average and this the weights the
/// optimiser was training (a PyTorch-format state dict), for resuming; null otherwise.
/// </param>
/// <param name="HintWeights">
/// With distillation hints (<c>distill.feature_weight</c>, <c>distill.stage_weight</c>), the projections from the student's
/// maps to the teacher's as they stood (a PyTorch-format state dict), for resuming; null otherwise. They are not part of the model.
/// </param>
public sealed record LoadedCheckpoint(BuiltModel Model, ModelOptions Options, ModelMetadata Metadata, TrainerState? State, byte[]? OptimizerState,
    byte[]? TrainingWeights = null, byte[]? HintWeights = null) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The TwinHead checkpoint: one ZIP file holding <c>metadata.json</c>, <c>model.json</c> (the builder options),
/// <c>state_dict.pt</c> (PyTorch format, so <c>torch.load</c> reads it after unzipping), and for resumable checkpoints
/// <c>trainer_state.json</c> and <c>optimizer.bin</c>; a run with a weight average keeps the average in
/// <c>state_dict.pt</c> (it is the model that was validated) and the optimiser's weights in <c>training_weights.pt</c>;
/// a resumable checkpoint of a run with distillation hints keeps their projections in <c>distill_hints.pt</c>.
/// Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint behind.
/// </summary>
public static class CheckpointFile
{
    private const string MetadataEntry = "metadata.json";
    private const string ModelEntry = "model.json";
    private const string StateDictEntry = "state_dict.pt";
    private const string TrainerStateEntry = "trainer_state.json";
    private const string OptimizerEntry = "optimizer.bin";
    private const string TrainingWeightsEntry = "training_weights.pt";
    private const string HintWeightsEntry = "distill_hints.pt";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes a checkpoint atomically.</summary>
    /// <param name="path">Checkpoint file.</param>
    /// <param name="model">The model the checkpoint publishes (with a weight average, the average).</param>
    /// <param name="options">Options that build it.</param>
    /// <param name="metadata">Self-description.</param>
    /// <param name="state">Trainer progress, for resumable checkpoints.</param>
    /// <param name="optimizer">Optimiser state, for resumable checkpoints.</param>
    /// <param name="trainingWeights">The weights the optimiser trains, when they differ from <paramref name="model"/>'s.</param>
    /// <param name="hintWeights">The distillation hints' projections (a PyTorch-format state dict), for resumable checkpoints.</param>
    public static void Save(string path, BuiltModel model, ModelOptions options, ModelMetadata metadata,
        TrainerState? state = null, TorchSharp.Modules.OptimizerHelper? optimizer = null, BuiltModel? trainingWeights = null, byte[]? hintWeights = null)
    {
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            WriteText(zip, MetadataEntry, metadata.ToJson());
            WriteText(zip, ModelEntry, JsonSerializer.Serialize(options, Json));
            WriteWeights(zip, StateDictEntry, model);
            if (trainingWeights is not null) WriteWeights(zip, TrainingWeightsEntry, trainingWeights);
            if (hintWeights is not null)
            {
                using var hints = zip.CreateEntry(HintWeightsEntry, CompressionLevel.NoCompression).Open();
                hints.Write(hintWeights);
            }
            if (state is not null) WriteText(zip, TrainerStateEntry, JsonSerializer.Serialize(state, Json));
            if (optimizer is not null)
            {
                var optimizerTemp = Path.GetTempFileName();
                try
                {
                    optimizer.save_state_dict(optimizerTemp);
                    using var entry = zip.CreateEntry(OptimizerEntry, CompressionLevel.Fastest).Open();
                    using var source = File.OpenRead(optimizerTemp);
                    source.CopyTo(entry);
                }
                finally
                {
                    File.Delete(optimizerTemp);
                }
            }
        });
    }

    /// <summary>Reads a checkpoint and rebuilds its model; throws <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
    public static LoadedCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        using (var zip = OpenZip(path))
        {
            var metadata = ModelMetadata.FromJson(ReadText(zip, MetadataEntry, path), path);
            var options = JsonSerializer.Deserialize<ModelOptions>(ReadText(zip, ModelEntry, path))
                ?? throw new InvalidDataException($"{path}: {ModelEntry} is empty");
            BuiltModel model;
            try { model = ModelRegistry.Create(options); }
            catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
            try
            {
                using var weights = new MemoryStream(ReadBytes(zip, StateDictEntry, path));
                model.Network.load_py(weights, strict: true);
            }
            catch (Exception e) when (e is not InvalidDataException)
            {
                model.Dispose();
                throw new InvalidDataException($"{path}: weights do not fit a {options.Architecture} {options.Backbone} model: {e.Message}", e);
            }
            model.Network.eval();
            var state = zip.GetEntry(TrainerStateEntry) is null ? null
                : JsonSerializer.Deserialize<TrainerState>(ReadText(zip, TrainerStateEntry, path));
            var optimizer = zip.GetEntry(OptimizerEntry) is null ? null : ReadBytes(zip, OptimizerEntry, path);
            var trainingWeights = zip.GetEntry(TrainingWeightsEntry) is null ? null : ReadBytes(zip, TrainingWeightsEntry, path);
            var hintWeights = zip.GetEntry(HintWeightsEntry) is null ? null : ReadBytes(zip, HintWeightsEntry, path);
            return new LoadedCheckpoint(model, options, metadata, state, optimizer, trainingWeights, hintWeights);
        }
    }

    /// <summary>Reads only the metadata of a checkpoint (no weights are loaded).</summary>
    public static ModelMetadata ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        using var zip = OpenZip(path);
        return ModelMetadata.FromJson(ReadText(zip, MetadataEntry, path), path);
    }

    /// <summary>Rewrites a checkpoint with changed metadata (e.g. tuned thresholds), atomically; weights and state are copied unchanged.</summary>
    public static void UpdateMetadata(string path, Func<ModelMetadata, ModelMetadata> change)
    {
        using var source = OpenZip(path);
        var metadata = change(ModelMetadata.FromJson(ReadText(source, MetadataEntry, path), path));
        AtomicFile.Write(path, file =>
        {
            using var target = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var entry in source.Entries)
            {
                if (entry.FullName == MetadataEntry)
                {
                    WriteText(target, MetadataEntry, metadata.ToJson());
                    continue;
                }
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, entry.FullName is StateDictEntry or TrainingWeightsEntry or HintWeightsEntry ? CompressionLevel.NoCompression : CompressionLevel.Fastest).Open();
                from.CopyTo(to);
            }
        });
    }

    private static ZipArchive OpenZip(string path)
    {
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a TwinHead checkpoint (not a ZIP file: {e.Message})", e); }
    }

    /// <summary>Restores optimiser state saved in a checkpoint.</summary>
    public static void RestoreOptimizer(TorchSharp.Modules.OptimizerHelper optimizer, byte[] state)
    {
        var temp = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(temp, state);
            optimizer.load_state_dict(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Loads weights saved as <see cref="LoadedCheckpoint.TrainingWeights"/> into <paramref name="model"/>.</summary>
    public static void LoadWeights(BuiltModel model, byte[] stateDict, string path)
    {
        try
        {
            using var weights = new MemoryStream(stateDict);
            model.Network.load_py(weights, strict: true);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path}: {TrainingWeightsEntry} does not fit a {model.Architecture.Name} {model.Backbone} model: {e.Message}", e);
        }
    }

    private static void WriteWeights(ZipArchive zip, string name, BuiltModel model)
    {
        using var weights = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        // save_py closes the stream it writes; MemoryStream.ToArray still works after that.
        var buffer = new MemoryStream();
        model.Network.save_py(buffer);
        weights.Write(buffer.ToArray());
    }

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open());
        writer.Write(text);
    }

    private static byte[] ReadBytes(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: checkpoint has no {name}; is it a TwinHead checkpoint?");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ReadText(ZipArchive zip, string name, string path) =>
        System.Text.Encoding.UTF8.GetString(ReadBytes(zip, name, path));
}
