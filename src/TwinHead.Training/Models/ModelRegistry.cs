using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>What to build: architecture, backbone and head layout. Defaults are the reference (two heads on ShuffleNetV2 x0.5).</summary>
public sealed record ModelOptions
{
    /// <summary><c>two-headed</c> (reference) or <c>three-output</c>.</summary>
    public string Architecture { get; init; } = "two-headed";

    /// <summary>Backbone name in <see cref="ModelRegistry"/>.</summary>
    public string Backbone { get; init; } = "shufflenet_v2_x0_5";

    /// <summary>Output channels of each head's 1x1 conv (two-headed only; reference 1024).</summary>
    public int HeadChannels { get; init; } = 1024;

    /// <summary>Share one head conv between both heads (two-headed only; reference false).</summary>
    public bool SharedHeadConv { get; init; }

    /// <summary>
    /// Two-headed only: also run the trunk on the input averaged down 2x2 with a second pair of heads, and output the mean
    /// of both views' probabilities (<see cref="TwoHeadedNetwork.Fuse"/>). Off in the reference.
    /// </summary>
    public bool CoarseView { get; init; }
}

/// <summary>A network and how to read it.</summary>
/// <param name="Network">The TorchSharp module; forward returns logits.</param>
/// <param name="Architecture">How logits become probabilities and losses.</param>
/// <param name="Backbone">Backbone name.</param>
public sealed record BuiltModel(Module<Tensor, Tensor> Network, Architecture Architecture, string Backbone) : IDisposable
{
    /// <summary>Number of parameters (trainable weights, not BN running statistics).</summary>
    public long ParameterCount => Network.parameters().Sum(p => p.numel());

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}

/// <summary>One backbone the registry can build.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="TrunkChannels">Channels of the trunk's feature map.</param>
/// <param name="CreateTrunk">Builds the trunk (feature map output) for the two-headed architecture.</param>
/// <param name="CreateThreeOutput">Builds the three-output classifier with this backbone's own state-dict names.</param>
public sealed record BackboneEntry(string Name, long TrunkChannels, Func<Module<Tensor, Tensor>> CreateTrunk, Func<Module<Tensor, Tensor>> CreateThreeOutput);

/// <summary>Maps backbone names to builders, so new backbones plug into training, export and tests alike.</summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, BackboneEntry> Entries = new(StringComparer.OrdinalIgnoreCase);

    static ModelRegistry()
    {
        foreach (var width in new[] { ShuffleNetV2Width.X0_5, ShuffleNetV2Width.X1_0 })
        {
            Register(new BackboneEntry(width.Name, width.TrunkChannels,
                () => new ShuffleNetV2(width, classes: null),
                () => new ShuffleNetV2(width, classes: Core.Labels.DocumentClasses.Count)));
        }
        ResNet18ImageNet.Register();
    }

    /// <summary>Registered backbone names.</summary>
    public static IReadOnlyList<string> Backbones => [.. Entries.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds a backbone (later registrations replace earlier ones of the same name).</summary>
    public static void Register(BackboneEntry entry) => Entries[entry.Name] = entry;

    /// <summary>Builds the model <paramref name="options"/> describe (random heads; the backbone random or, for imported backbones, pretrained); throws naming the unknown field value.</summary>
    public static BuiltModel Create(ModelOptions options)
    {
        var architecture = Architecture.Parse(options.Architecture);
        if (!Entries.TryGetValue(options.Backbone, out var entry))
            throw new ArgumentException($"model.backbone '{options.Backbone}' is unknown; known: {string.Join(", ", Backbones)}");
        if (options.CoarseView && architecture != Architecture.TwoHeaded)
            throw new ArgumentException($"model.coarse_view needs model.architecture {Architecture.TwoHeaded.Name}, not {architecture.Name}");
        Module<Tensor, Tensor> network = architecture == Architecture.TwoHeaded
            ? new TwoHeadedNetwork(entry.CreateTrunk(), entry.TrunkChannels, new HeadDesign(options.HeadChannels, options.SharedHeadConv), options.CoarseView)
            : entry.CreateThreeOutput();
        return new BuiltModel(network, architecture, entry.Name);
    }
}
