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
/// With a coarse view the same trunk also sees the input averaged down 2x2 and a second pair of heads (<c>coarse_*</c>)
/// reads it; each head's probabilities are then the mean of the two views' (see <see cref="Fuse"/>).
/// </summary>
public sealed class TwoHeadedNetwork : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> base_model;
    private readonly Sequential? head1_conv;
    private readonly Sequential? head2_conv;
    private readonly Sequential? head_conv;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Sequential? coarse_head1_conv;
    private readonly Sequential? coarse_head2_conv;
    private readonly Sequential? coarse_head_conv;
    private readonly Linear? coarse_fc1;
    private readonly Linear? coarse_fc2;

    /// <summary>Two heads of <paramref name="design"/> on <paramref name="trunk"/>, whose output has <paramref name="trunkChannels"/> channels.</summary>
    /// <param name="trunk">The shared trunk (<c>base_model</c>), feature map output.</param>
    /// <param name="trunkChannels">Channels of the trunk's feature map.</param>
    /// <param name="design">The head layout (of both views' heads).</param>
    /// <param name="coarseView">Also read the input at half resolution through the same trunk with a second pair of heads.</param>
    public TwoHeadedNetwork(Module<Tensor, Tensor> trunk, long trunkChannels, HeadDesign design, bool coarseView = false) : base("TwoHeadedNetwork")
    {
        if (design.HeadChannels < 1) throw new ArgumentOutOfRangeException(nameof(design), design.HeadChannels, "model.head_channels must be positive");
        Design = design;
        TrunkChannels = trunkChannels;
        base_model = trunk;
        (head_conv, head1_conv, head2_conv, fc1, fc2) = NewHeads(trunkChannels, design);
        if (coarseView) (coarse_head_conv, coarse_head1_conv, coarse_head2_conv, coarse_fc1, coarse_fc2) = NewHeads(trunkChannels, design);
        RegisterComponents();
    }

    /// <summary>One view's heads, created in the reference's order (convs, then fc1, fc2), so seeded runs keep their weights.</summary>
    private static (Sequential? Shared, Sequential? Screen, Sequential? NotDocument, Linear ScreenFc, Linear NotDocumentFc) NewHeads(long trunkChannels, HeadDesign design)
    {
        Sequential? shared = null, screen = null, notDocument = null;
        if (design.SharedConv)
        {
            shared = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
        }
        else
        {
            screen = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
            notDocument = ShuffleNetV2.PointwiseConv(trunkChannels, design.HeadChannels);
        }
        return (shared, screen, notDocument, Linear(design.HeadChannels, 2), Linear(design.HeadChannels, 2));
    }

    /// <summary>The head layout.</summary>
    public HeadDesign Design { get; }

    /// <summary>Channels of the trunk's feature map.</summary>
    public long TrunkChannels { get; }

    /// <summary>Whether a second pair of heads reads the input at half resolution.</summary>
    public bool HasCoarseView => coarse_fc1 is not null;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (!HasCoarseView) return Heads(base_model.call(x)).MoveToOuterDisposeScope();
        var (full, coarse) = ViewLogits(x);
        return Fuse(full, coarse).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each view's logits (N, 4): the heads on the trunk's map of <paramref name="x"/>, and the coarse heads on its map of
    /// <paramref name="x"/> averaged over 2x2 blocks. Training gives each view its own loss, so each pair of heads learns
    /// to decide alone, as two separately trained models would; only their outputs are combined.
    /// </summary>
    public (Tensor Full, Tensor Coarse) ViewLogits(Tensor x)
    {
        if (!HasCoarseView) throw new InvalidOperationException("this network has no coarse view (model.coarse_view)");
        using var scope = NewDisposeScope();
        var full = Heads(base_model.call(x));
        var coarse = CoarseHeads(base_model.call(functional.avg_pool2d(x, 2)));
        return (full.MoveToOuterDisposeScope(), coarse.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Combines two views' logits (N, 4) into logits whose per-head softmax is the mean of the two views' softmaxes: the
    /// log of that mean, a valid logit pair, so probabilities, thresholds and export read them as any two-headed output.
    /// </summary>
    public static Tensor Fuse(Tensor full, Tensor coarse)
    {
        using var scope = NewDisposeScope();
        var heads = Enumerable.Range(0, 2).Select(head =>
            functional.softmax(full.narrow(1, 2 * head, 2), 1).Plus(functional.softmax(coarse.narrow(1, 2 * head, 2), 1)).Times(0.5).log()).ToArray();
        return cat(heads, 1).MoveToOuterDisposeScope();
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
        if (HasCoarseView) throw new NotSupportedException("distillation does not support a coarse view (model.coarse_view)");
        var trunk = base_model as IStagedTrunk ?? throw new NotSupportedException($"the trunk {base_model.GetType().Name} does not expose its stages");
        var stages = trunk.StageOutputs(x);
        return (Heads(detachTrunk ? stages[^1].detach() : stages[^1]), stages);
    }

    private Tensor Heads(Tensor features) => Heads(features, head_conv, head1_conv, head2_conv, fc1, fc2);

    private Tensor CoarseHeads(Tensor features) => Heads(features, coarse_head_conv, coarse_head1_conv, coarse_head2_conv, coarse_fc1!, coarse_fc2!);

    private static Tensor Heads(Tensor features, Sequential? shared, Sequential? screenConv, Sequential? notDocumentConv, Linear screenFc, Linear notDocumentFc)
    {
        using var scope = NewDisposeScope();
        Tensor screen, notDocument;
        if (shared is not null)
        {
            var pooled = shared.call(features).mean([2, 3]);
            screen = screenFc.call(pooled);
            notDocument = notDocumentFc.call(pooled);
        }
        else
        {
            screen = screenFc.call(screenConv!.call(features).mean([2, 3]));
            notDocument = notDocumentFc.call(notDocumentConv!.call(features).mean([2, 3]));
        }
        return cat([screen, notDocument], 1).MoveToOuterDisposeScope();
    }
}
