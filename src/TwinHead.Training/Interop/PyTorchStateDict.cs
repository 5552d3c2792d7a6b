using TwinHead.Core.IO;
using System.Collections;
using TorchSharp.PyBridge;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Interop;

/// <summary>A PyTorch state_dict loaded into one of our models.</summary>
/// <param name="Model">The model with the file's weights, in eval mode.</param>
/// <param name="Options">The options that build it (architecture, backbone and head layout read from the key set and shapes).</param>
/// <param name="SkippedKeys">Keys in the file that the model does not use (the reference's dead <c>base_model.conv5.*</c>).</param>
public sealed record PyTorchImport(BuiltModel Model, ModelOptions Options, IReadOnlyList<string> SkippedKeys) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Reads and writes PyTorch <c>state_dict</c> files (<c>torch.save(model.state_dict(), path)</c>) in the reference
/// pipeline's layouts: the two-headed <c>base_model.*</c>/<c>head1_conv.*</c>/<c>fc1.*</c> names, and torchvision's
/// ShuffleNetV2 names for the three-output model. Uses TorchSharp.PyBridge's pickle reader and writer.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>Prefixes of trunk modules the two-headed reference saves but never runs (torchvision's conv5 and fc).</summary>
    public static IReadOnlyList<string> ReferenceDeadPrefixes { get; } = ["base_model.conv5.", "base_model.fc."];

    /// <summary>Parameter and buffer names of the reference's dead conv5, as it saves them.</summary>
    public static IReadOnlyList<string> ReferenceDeadConv5Keys { get; } =
    [
        "base_model.conv5.0.weight", "base_model.conv5.1.weight", "base_model.conv5.1.bias",
        "base_model.conv5.1.running_mean", "base_model.conv5.1.running_var", "base_model.conv5.1.num_batches_tracked",
    ];

    /// <summary>
    /// Loads a state_dict file into a new model. The architecture is read from the key names unless
    /// <paramref name="architecture"/> is given (then it must agree); the backbone and head layout from the shapes.
    /// Every model key must be present with its shape (strict); only the reference's dead trunk keys may be left over.
    /// Throws <see cref="InvalidDataException"/> naming the file and the offending keys.
    /// </summary>
    public static PyTorchImport Load(string path, string? architecture = null)
    {
        var tensors = Read(path);
        try
        {
            if (tensors.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)))
                tensors = tensors.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value);
            var options = InferOptions(tensors.ToDictionary(kv => kv.Key, kv => kv.Value.shape), architecture, path);
            var model = ModelRegistry.Create(options);
            try
            {
                var expected = model.Network.state_dict();
                var skipped = tensors.Keys.Where(k => !expected.ContainsKey(k) && ReferenceDeadPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList();
                var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
                var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k) && !skipped.Contains(k)).ToList();
                var wrongShape = expected.Where(kv => tensors.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
                    .Select(kv => $"{kv.Key} is [{string.Join(",", tensors[kv.Key].shape)}], the model needs [{string.Join(",", kv.Value.shape)}]").ToList();
                if (missing.Count > 0 || unexpected.Count > 0 || wrongShape.Count > 0)
                {
                    throw new InvalidDataException($"{path}: the state_dict does not fit a {options.Architecture} {options.Backbone} model (head channels {options.HeadChannels}{(options.SharedHeadConv ? ", shared" : "")}):"
                        + Describe("missing", missing) + Describe("unexpected", unexpected) + Describe("wrong shape", wrongShape));
                }
                var source = tensors.Where(kv => expected.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
                using (no_grad()) model.Network.load_state_dict(source, strict: true);
                model.Network.eval();
                return new PyTorchImport(model, options, skipped);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Writes the model's state_dict so that PyTorch's <c>torch.load</c> and <c>load_state_dict(strict=True)</c> accept it in the
    /// reference module. For a two-headed ShuffleNetV2 model, <paramref name="includeReferenceDeadWeights"/> adds the
    /// <c>base_model.conv5.*</c> entries the reference module has (a placeholder: zero conv, unit BN), because its
    /// strict loading requires them. Written atomically.
    /// </summary>
    public static void Save(BuiltModel model, string path, bool includeReferenceDeadWeights = true)
    {
        var state = new Dictionary<string, Tensor>(model.Network.state_dict());
        using var scope = NewDisposeScope();
        if (includeReferenceDeadWeights && model.Architecture == Architecture.TwoHeaded && ShuffleNetWidth(model.Backbone) is { } width
            && !state.ContainsKey(ReferenceDeadConv5Keys[0]))
        {
            var channels = width.FeatureChannels;
            state[ReferenceDeadConv5Keys[0]] = zeros(channels, width.TrunkChannels, 1, 1);
            state[ReferenceDeadConv5Keys[1]] = ones(channels);
            state[ReferenceDeadConv5Keys[2]] = zeros(channels);
            state[ReferenceDeadConv5Keys[3]] = zeros(channels);
            state[ReferenceDeadConv5Keys[4]] = ones(channels);
            state[ReferenceDeadConv5Keys[5]] = tensor(0L);
        }
        var full = Path.GetFullPath(path);
        AtomicFile.Write(full, file => PyTorchPickler.PickleStateDict(file, state));
    }

    /// <summary>Reads a state_dict file into name → tensor; throws <see cref="InvalidDataException"/> naming the file when it is not one.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: PyTorch state_dict not found", path);
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a PyTorch state_dict saved with torch.save ({e.GetType().Name}: {e.Message})", e);
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor value)
                throw new InvalidDataException($"{path}: entry '{entry.Key}' is not a named tensor; save model.state_dict(), not the whole model or a training checkpoint dict");
            tensors[key] = value;
        }
        return tensors;
    }

    /// <summary>
    /// The model options a state_dict's key set and shapes describe: two-headed when keys start with <c>base_model.</c>,
    /// three-output when it has torchvision's <c>fc.weight</c> of 3 rows; backbone from the trunk's last channel width;
    /// head channels and sharing from the head convs.
    /// </summary>
    public static ModelOptions InferOptions(IReadOnlyDictionary<string, long[]> shapes, string? architecture, string source)
    {
        var twoHeaded = shapes.Keys.Any(k => k.StartsWith("base_model.", StringComparison.Ordinal));
        var inferred = twoHeaded ? Architecture.TwoHeaded : shapes.ContainsKey("fc.weight") ? Architecture.ThreeOutput : null;
        if (architecture is not null)
        {
            Architecture requested;
            try { requested = Architecture.Parse(architecture); }
            catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
            if (inferred is not null && inferred != requested)
                throw new InvalidDataException($"{source}: --architecture {requested.Name} was given but the keys are those of a {inferred.Name} model ({(twoHeaded ? "base_model.*" : "fc.*")})");
            inferred = requested;
        }
        if (inferred is null)
            throw new InvalidDataException($"{source}: cannot tell the architecture: no base_model.* keys (two-headed) and no fc.weight (three-output)");

        var prefix = inferred == Architecture.TwoHeaded ? "base_model." : "";
        var lastUnit = shapes.Keys.Where(k => k.StartsWith(prefix + "stage4.", StringComparison.Ordinal) && k.EndsWith(".branch2.5.weight", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidDataException($"{source}: no {prefix}stage4.*.branch2.5.weight; is it a ShuffleNetV2 state_dict?");
        var trunkChannels = shapes[lastUnit][0] * 2;
        var width = new[] { ShuffleNetV2Width.X0_5, ShuffleNetV2Width.X1_0 }.FirstOrDefault(w => w.TrunkChannels == trunkChannels)
            ?? throw new InvalidDataException($"{source}: stage4 has {trunkChannels} channels, which matches no registered ShuffleNetV2 width");

        if (inferred == Architecture.ThreeOutput)
        {
            if (shapes["fc.weight"][0] != Core.Labels.DocumentClasses.Count)
                throw new InvalidDataException($"{source}: fc.weight has {shapes["fc.weight"][0]} outputs; a three-output model has {Core.Labels.DocumentClasses.Count}");
            return new ModelOptions { Architecture = inferred.Name, Backbone = width.Name };
        }
        var shared = shapes.ContainsKey("head_conv.0.weight");
        var headKey = shared ? "head_conv.0.weight" : "head1_conv.0.weight";
        if (!shapes.TryGetValue(headKey, out var headShape))
            throw new InvalidDataException($"{source}: a two-headed state_dict needs {headKey}");
        return new ModelOptions { Architecture = inferred.Name, Backbone = width.Name, HeadChannels = (int)headShape[0], SharedHeadConv = shared };
    }

    private static ShuffleNetV2Width? ShuffleNetWidth(string backbone) =>
        new[] { ShuffleNetV2Width.X0_5, ShuffleNetV2Width.X1_0 }.FirstOrDefault(w => w.Name.Equals(backbone, StringComparison.OrdinalIgnoreCase));

    private static string Describe(string what, IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "" : $" {what}: {string.Join(", ", keys.Take(8))}{(keys.Count > 8 ? $" and {keys.Count - 8} more" : "")};";
}
