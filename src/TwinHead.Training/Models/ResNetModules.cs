using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>
/// Padding of a conv or pool exactly as ONNX states it (top, left, bottom, right). TorchSharp's layers pad symmetrically,
/// so an uneven padding is applied as an explicit pad before the layer.
/// </summary>
/// <param name="Top">Rows added above.</param>
/// <param name="Left">Columns added on the left.</param>
/// <param name="Bottom">Rows added below.</param>
/// <param name="Right">Columns added on the right.</param>
public sealed record ExplicitPadding(long Top, long Left, long Bottom, long Right)
{
    /// <summary>Same padding on both sides of each axis, so the layer itself can pad.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>The ONNX <c>pads</c> attribute: top, left, bottom, right.</summary>
    public long[] ToOnnx() => [Top, Left, Bottom, Right];

    /// <summary>The layer's own (h, w) padding when symmetric, else zero (the pad is then explicit).</summary>
    public (long, long) LayerPadding => IsSymmetric ? (Top, Left) : (0, 0);

    /// <summary>Pads <paramref name="x"/> with <paramref name="value"/> when uneven; returns it unchanged otherwise.</summary>
    public Tensor ApplyIfUneven(Tensor x, double value) =>
        IsSymmetric ? x : functional.pad(x, [Left, Right, Top, Bottom], PaddingModes.Constant, value);
}

/// <summary>
/// Converts TwinHead's input (RGB, 0..1, ImageNet mean/std normalised) into the CNTK ResNet's (BGR, 0..255, minus the
/// per-channel mean): out[c] = in[2 - c] · scale[c] + shift[c]. Fixed, not trained; scale and shift are persistent buffers,
/// so checkpoints carry the convention they were trained with.
/// </summary>
public sealed class CaffeInputAdapter : Module<Tensor, Tensor>
{
    private readonly Tensor scale;
    private readonly Tensor shift;

    /// <summary>An adapter from TwinHead's <paramref name="rgbMean"/>/<paramref name="rgbStd"/> normalisation to BGR 0-255 minus <paramref name="bgrMean"/>.</summary>
    public CaffeInputAdapter(float[] rgbMean, float[] rgbStd, float[] bgrMean) : base("CaffeInputAdapter")
    {
        if (rgbMean.Length != 3 || rgbStd.Length != 3 || bgrMean.Length != 3) throw new ArgumentException("the input adapter needs 3 values per statistic");
        // Output channel c (BGR) comes from input channel 2 - c (RGB): x255 = (x·std + mean)·255, then minus the BGR mean.
        var scales = new float[3];
        var shifts = new float[3];
        for (var c = 0; c < 3; c++)
        {
            var rgb = 2 - c;
            scales[c] = rgbStd[rgb] * 255f;
            shifts[c] = rgbMean[rgb] * 255f - bgrMean[c];
        }
        scale = tensor(scales).reshape(1, 3, 1, 1);
        shift = tensor(shifts).reshape(1, 3, 1, 1);
        register_buffer("scale", scale);
        register_buffer("shift", shift);
    }

    /// <summary>Per-channel scale in output (BGR) order.</summary>
    public float[] Scale => scale.data<float>().ToArray();

    /// <summary>Per-channel shift in output (BGR) order.</summary>
    public float[] Shift => shift.data<float>().ToArray();

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => (x.flip(1) * scale).Plus(shift);
}

/// <summary>
/// A basic residual block with torchvision's state-dict names (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>,
/// <c>downsample.0</c>, <c>downsample.1</c>) and each conv's exact padding.
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    /// <summary>A block shaped like <paramref name="imported"/>, weights copied from it.</summary>
    public ResNetBasicBlock(ImportedBlock imported) : base("BasicBlock")
    {
        (conv1, bn1) = ResNetLayers.ConvBn(imported.Conv1);
        (conv2, bn2) = ResNetLayers.ConvBn(imported.Conv2);
        if (imported.Downsample is { } projection)
        {
            var (conv, bn) = ResNetLayers.ConvBn(projection);
            downsample = Sequential(("0", conv), ("1", bn));
        }
        Conv1Padding = imported.Conv1.Pads;
        Conv2Padding = imported.Conv2.Pads;
        DownsamplePadding = imported.Downsample?.Pads;
        RegisterComponents();
    }

    /// <summary>Exact padding of conv1.</summary>
    public ExplicitPadding Conv1Padding { get; }

    /// <summary>Exact padding of conv2.</summary>
    public ExplicitPadding Conv2Padding { get; }

    /// <summary>Exact padding of the projection conv (null: identity shortcut).</summary>
    public ExplicitPadding? DownsamplePadding { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var main = functional.relu(bn1.call(conv1.call(Conv1Padding.ApplyIfUneven(x, 0))));
        main = bn2.call(conv2.call(Conv2Padding.ApplyIfUneven(main, 0)));
        var shortcut = downsample is null ? x : downsample.call(DownsamplePadding!.ApplyIfUneven(x, 0));
        return functional.relu(main.Plus(shortcut)).MoveToOuterDisposeScope();
    }
}

/// <summary>Layer construction shared by the ResNet modules.</summary>
internal static class ResNetLayers
{
    /// <summary>A Conv2d and BatchNorm2d with the imported weights and statistics (PyTorch's BN momentum, for fine-tuning).</summary>
    public static (Conv2d Conv, BatchNorm2d BatchNorm) ConvBn(ImportedConv imported)
    {
        var shape = imported.Shape;
        if (shape.Length != 4) throw new InvalidDataException($"conv '{imported.Node}': weight has {shape.Length} dimensions, expected 4");
        var conv = Conv2d(imported.InChannels, imported.OutChannels, (shape[2], shape[3]), stride: (imported.Stride[0], imported.Stride[1]),
            padding: imported.Pads.LayerPadding, bias: imported.Bias is not null);
        var bn = BatchNorm2d(imported.OutChannels, eps: imported.BatchNorm.Epsilon);
        using (no_grad())
        {
            conv.weight!.copy_(tensor(imported.Weight).reshape(shape));
            if (imported.Bias is { } bias) conv.bias!.copy_(tensor(bias));
            bn.weight!.copy_(tensor(imported.BatchNorm.Scale));
            bn.bias!.copy_(tensor(imported.BatchNorm.Bias));
            bn.running_mean!.copy_(tensor(imported.BatchNorm.Mean));
            bn.running_var!.copy_(tensor(imported.BatchNorm.Variance));
        }
        return (conv, bn);
    }
}
