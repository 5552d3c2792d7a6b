using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>
/// How the two heads sit on the shared trunk. The reference duplicates a 1x1 conv of 1024 channels per head (+58% parameters);
/// the alternatives share one conv or slim each head's conv.
/// </summary>
/// <param name="HeadChannels">Output channels of each head's 1x1 conv (reference 1024).</param>
/// <param name="SharedConv">One conv shared by both heads (a torchvision-like conv5) instead of one per head.</param>
public sealed record HeadDesign(int HeadChannels = 1024, bool SharedConv = false)
{
    /// <summary>The reference: a 192-&gt;1024 conv per head.</summary>
    public static HeadDesign Reference { get; } = new();

    /// <summary>Short name for tables: <c>duplicated-1024</c>, <c>shared-1024</c>, <c>duplicated-256</c>...</summary>
    public string Name => $"{(SharedConv ? "shared" : "duplicated")}-{HeadChannels}";
}

/// <summary>
/// The two-headed classifier: a shared trunk (<c>base_model</c>) and two heads, each 1x1 conv + BN + ReLU, global mean pool
/// and Linear(·, 2). Field names are the reference's state-dict keys (<c>base_model.*</c>, <c>head1_conv.*</c>,
/// <c>head2_conv.*</c>, <c>fc1.*</c>, <c>fc2.*</c>). Forward returns logits (N, 4): screen logits then not-document logits.
/// </summary>
public sealed class TwoHeadedNetwork : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> base_model;
    private readonly Sequential? head1_conv;
    private readonly Sequential? head2_conv;
    private readonly Sequential? head_conv;
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Two heads of <paramref name="design"/> on <paramref name="trunk"/>, whose output has <paramref name="trunkChannels"/> channels.</summary>
    public TwoHeadedNetwork(Module<Tensor, Tensor> trunk, long trunkChannels, HeadDesign design) : base("TwoHeadedNetwork")
    {
        if (design.HeadChannels < 1) throw new ArgumentOutOfRangeException(nameof(design), design.HeadChannels, "model.head_channels must be positive");
        Design = design;
        TrunkChannels = trunkChannels;
        base_model = trunk;
        if (design.SharedConv)
        {
            head_conv = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
        }
        else
        {
            head1_conv = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
            head2_conv = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
        }
        fc1 = Linear(design.HeadChannels, 2);
        fc2 = Linear(design.HeadChannels, 2);
        RegisterComponents();
    }

    /// <summary>The head layout.</summary>
    public HeadDesign Design { get; }

    /// <summary>Channels of the trunk's feature map.</summary>
    public long TrunkChannels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Heads(base_model.call(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The trunk's stages, or null when it cannot expose them (see <see cref="IStagedTrunk"/>).</summary>
    public IReadOnlyList<TrunkStage>? TrunkStages => (base_model as IStagedTrunk)?.Stages;

    /// <summary>
    /// The logits and every trunk stage's output of one pass; the last is the trunk's feature map, which feature
    /// distillation matches, the others are what stage hints match.
    /// </summary>
    /// <param name="x">The input batch.</param>
    /// <param name="detachTrunk">Give the heads the trunk's map cut from the graph, so losses on the logits train the heads alone.</param>
    public (Tensor Logits, IReadOnlyList<Tensor> Stages) ForwardWithStages(Tensor x, bool detachTrunk = false)
    {
        var trunk = base_model as IStagedTrunk ?? throw new NotSupportedException($"the trunk {base_model.GetType().Name} does not expose its stages");
        var stages = trunk.StageOutputs(x);
        return (Heads(detachTrunk ? stages[^1].detach() : stages[^1]), stages);
    }

    private Tensor Heads(Tensor features)
    {
        using var scope = NewDisposeScope();
        Tensor screen, notDocument;
        if (head_conv is not null)
        {
            var pooled = head_conv.call(features).mean([2, 3]);
            screen = fc1.call(pooled);
            notDocument = fc2.call(pooled);
        }
        else
        {
            screen = fc1.call(head1_conv!.call(features).mean([2, 3]));
            notDocument = fc2.call(head2_conv!.call(features).mean([2, 3]));
        }
        return cat([screen, notDocument], 1).MoveToOuterDisposeScope();
    }
}
