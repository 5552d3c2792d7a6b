using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>Channel widths of the ShuffleNetV2 variants, as torchvision defines them.</summary>
/// <param name="Name">Registry name, e.g. <c>shufflenet_v2_x0_5</c>.</param>
/// <param name="StageChannels">Output channels of conv1, stage2, stage3, stage4 and conv5.</param>
public sealed record ShuffleNetV2Width(string Name, int[] StageChannels)
{
    /// <summary>Blocks per stage (stage2, stage3, stage4): 4, 8, 4 for every width.</summary>
    public static IReadOnlyList<int> StageRepeats { get; } = [4, 8, 4];

    /// <summary>x0.5: 24, 48, 96, 192, 1024 (the reference backbone).</summary>
    public static ShuffleNetV2Width X0_5 { get; } = new("shufflenet_v2_x0_5", [24, 48, 96, 192, 1024]);

    /// <summary>x1.0: 24, 116, 232, 464, 1024.</summary>
    public static ShuffleNetV2Width X1_0 { get; } = new("shufflenet_v2_x1_0", [24, 116, 232, 464, 1024]);

    /// <summary>Channels leaving stage4, i.e. entering conv5 or a head.</summary>
    public int TrunkChannels => StageChannels[3];

    /// <summary>Channels of conv5 (the feature width before the classifier).</summary>
    public int FeatureChannels => StageChannels[4];
}

/// <summary>ShuffleNetV2 unit (torchvision's <c>InvertedResidual</c>): split or downsample, two branches, concatenate, shuffle.</summary>
public sealed class ShuffleUnit : Module<Tensor, Tensor>
{
    private readonly Sequential branch1;
    private readonly Sequential branch2;
    private readonly long stride;

    /// <summary>A unit from <paramref name="inputChannels"/> to <paramref name="outputChannels"/>; stride 2 halves the resolution.</summary>
    public ShuffleUnit(long inputChannels, long outputChannels, long stride) : base("InvertedResidual")
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
        var branchChannels = outputChannels / 2;
        if (stride == 1 && inputChannels != branchChannels * 2)
            throw new ArgumentException($"a stride-1 unit needs input channels {branchChannels * 2}, got {inputChannels}");
        this.stride = stride;
        branch1 = stride > 1
            ? Sequential(
                ("0", Conv2d(inputChannels, inputChannels, 3, stride: stride, padding: 1, groups: inputChannels, bias: false)),
                ("1", BatchNorm2d(inputChannels)),
                ("2", Conv2d(inputChannels, branchChannels, 1, bias: false)),
                ("3", BatchNorm2d(branchChannels)),
                ("4", ReLU(inplace: true)))
            : Sequential();
        branch2 = Sequential(
            ("0", Conv2d(stride > 1 ? inputChannels : branchChannels, branchChannels, 1, bias: false)),
            ("1", BatchNorm2d(branchChannels)),
            ("2", ReLU(inplace: true)),
            ("3", Conv2d(branchChannels, branchChannels, 3, stride: stride, padding: 1, groups: branchChannels, bias: false)),
            ("4", BatchNorm2d(branchChannels)),
            ("5", Conv2d(branchChannels, branchChannels, 1, bias: false)),
            ("6", BatchNorm2d(branchChannels)),
            ("7", ReLU(inplace: true)));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        Tensor joined;
        if (stride == 1)
        {
            var halves = x.chunk(2, dim: 1);
            joined = cat([halves[0], branch2.call(halves[1])], 1);
        }
        else
        {
            joined = cat([branch1.call(x), branch2.call(x)], 1);
        }
        return ChannelShuffle(joined, 2);
    }

    /// <summary>Interleaves the channels of <paramref name="groups"/> groups so information crosses branches.</summary>
    public static Tensor ChannelShuffle(Tensor x, long groups)
    {
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.view(n, groups, c / groups, h, w).transpose(1, 2).contiguous().view(n, c, h, w);
    }
}

/// <summary>
/// ShuffleNetV2 in torchvision's layout: conv1, maxpool, stage2, stage3, stage4, then optionally conv5 and fc.
/// Field names are torchvision's state-dict keys. Without conv5 and fc it is the shared trunk of the two-headed model
/// (its <c>base_model</c>); with both it is torchvision's classifier (the three-output model uses 3 classes).
/// </summary>
public sealed class ShuffleNetV2 : Module<Tensor, Tensor>, IStagedTrunk
{
    private readonly Sequential conv1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly Sequential stage4;
    private readonly Sequential? conv5;
    private readonly Linear? fc;

    /// <summary>A ShuffleNetV2 of the given width; <paramref name="classes"/> null builds the trunk only (no conv5, no fc).</summary>
    public ShuffleNetV2(ShuffleNetV2Width width, int? classes) : base("ShuffleNetV2")
    {
        Width = width;
        var c = width.StageChannels;
        conv1 = Sequential(
            ("0", Conv2d(3, c[0], 3, stride: 2, padding: 1, bias: false)),
            ("1", BatchNorm2d(c[0])),
            ("2", ReLU(inplace: true)));
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        stage2 = Stage(c[0], c[1], ShuffleNetV2Width.StageRepeats[0]);
        stage3 = Stage(c[1], c[2], ShuffleNetV2Width.StageRepeats[1]);
        stage4 = Stage(c[2], c[3], ShuffleNetV2Width.StageRepeats[2]);
        if (classes is { } k)
        {
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(classes), k, "a classifier needs at least one class");
            conv5 = PointwiseConv(c[3], c[4]);
            fc = Linear(c[4], k);
        }
        RegisterComponents();
    }

    /// <summary>The channel widths.</summary>
    public ShuffleNetV2Width Width { get; }

    /// <summary>stage2, stage3 and stage4 with their channels; strides 8, 16 and 32.</summary>
    public IReadOnlyList<TrunkStage> Stages =>
        [new("stage2", Width.StageChannels[1], 8), new("stage3", Width.StageChannels[2], 16), new("stage4", Width.StageChannels[3], 32)];

    /// <inheritdoc />
    public IReadOnlyList<Tensor> StageOutputs(Tensor x)
    {
        var s2 = stage2.call(maxpool.call(conv1.call(x)));
        var s3 = stage3.call(s2);
        return [s2, s3, stage4.call(s3)];
    }

    /// <summary>Trunk features (N, stage4 channels, H/32, W/32); then, for a classifier, conv5, global mean pool and fc logits.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = stage4.call(stage3.call(stage2.call(maxpool.call(conv1.call(x)))));
        if (conv5 is not null && fc is not null)
        {
            y = fc.call(conv5.call(y).mean([2, 3]));
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>A 1x1 convolution without bias, BatchNorm and ReLU: torchvision's conv5, and each reference head's conv.</summary>
    public static Sequential PointwiseConv(long inputChannels, long outputChannels) => Sequential(
        ("0", Conv2d(inputChannels, outputChannels, 1, bias: false)),
        ("1", BatchNorm2d(outputChannels)),
        ("2", ReLU(inplace: true)));

    private static Sequential Stage(long input, long output, int repeats)
    {
        var units = new List<(string, Module<Tensor, Tensor>)> { ("0", new ShuffleUnit(input, output, 2)) };
        for (var i = 1; i < repeats; i++) units.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), new ShuffleUnit(output, output, 1)));
        return Sequential(units);
    }
}
