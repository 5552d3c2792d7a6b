using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TwinHead.Training.Export;

/// <summary>Folded convolution parameters: weight in the conv's own layout, bias per output channel (null when there is none).</summary>
/// <param name="Weight">Weight values, row-major (out, in/groups, kh, kw).</param>
/// <param name="Bias">Bias per output channel, or null.</param>
public sealed record FoldedConv(float[] Weight, float[]? Bias);

/// <summary>
/// Folds an eval-mode BatchNorm into the convolution before it: with s = γ / √(σ² + ε), w' = w·s per output channel and
/// b' = (b − μ)·s + β. Computed in double so folding adds no error beyond the final float32 rounding.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>The conv's weight and bias with <paramref name="batchNorm"/> (if not null) folded in.</summary>
    public static FoldedConv Fold(Conv2d conv, BatchNorm2d? batchNorm)
    {
        var weight = ToFloats(conv.weight!);
        var bias = conv.bias is { } b ? ToFloats(b) : null;
        if (batchNorm is null) return new FoldedConv(weight, bias);
        var outChannels = (int)conv.out_channels;
        if (batchNorm.num_features != outChannels)
            throw new InvalidOperationException($"cannot fold a BatchNorm of {batchNorm.num_features} channels into a conv of {outChannels}");
        var (scale, shift) = ScaleAndShiftDouble(batchNorm);
        var perChannel = weight.Length / outChannels;
        var foldedWeight = new float[weight.Length];
        var foldedBias = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            for (var k = 0; k < perChannel; k++) foldedWeight[o * perChannel + k] = (float)(weight[o * perChannel + k] * scale[o]);
            foldedBias[o] = (float)((bias?[o] ?? 0.0) * scale[o] + shift[o]);
        }
        return new FoldedConv(foldedWeight, foldedBias);
    }

    /// <summary>The per-channel affine map an eval-mode BatchNorm applies: y = x·scale + shift.</summary>
    public static (float[] Scale, float[] Shift) ScaleAndShift(BatchNorm2d batchNorm)
    {
        var (scale, shift) = ScaleAndShiftDouble(batchNorm);
        return (scale.Select(v => (float)v).ToArray(), shift.Select(v => (float)v).ToArray());
    }

    /// <summary>Copies a tensor's values to a float array (on the CPU, in float32).</summary>
    public static float[] ToFloats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    private static (double[] Scale, double[] Shift) ScaleAndShiftDouble(BatchNorm2d batchNorm)
    {
        var channels = (int)batchNorm.num_features;
        if (!batchNorm.track_running_stats || batchNorm.running_mean is null || batchNorm.running_var is null)
            throw new NotSupportedException("ONNX export: a BatchNorm without running statistics cannot be exported for inference");
        var mean = ToFloats(batchNorm.running_mean);
        var variance = ToFloats(batchNorm.running_var);
        var gamma = batchNorm.weight is { } w ? ToFloats(w) : Enumerable.Repeat(1f, channels).ToArray();
        var beta = batchNorm.bias is { } b ? ToFloats(b) : new float[channels];
        var scale = new double[channels];
        var shift = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + batchNorm.eps);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        return (scale, shift);
    }
}
