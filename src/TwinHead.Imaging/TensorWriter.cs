using TwinHead.Core.Models;

namespace TwinHead.Imaging;

/// <summary>Writes an image as the model's normalised float32 CHW input.</summary>
public static class TensorWriter
{
    /// <summary>
    /// Resizes to the spec's size if needed (<see cref="ResizeMode.Stretch"/>: exact size, aspect ignored) and writes
    /// <c>(v / 255 - mean[c]) / std[c]</c> in channel-major order (R plane, G plane, B plane).
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="spec">Size and normalisation.</param>
    /// <param name="destination">Receives exactly 3 x spec.Height x spec.Width floats.</param>
    public static void WriteChw(RgbImage image, PreprocessingSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Span<float> table = stackalloc float[3 * 256];
        FillNormalisationTable(spec, table);
        WriteChw(image, spec, table, destination);
    }

    /// <summary>
    /// Fills <paramref name="table"/> [channel * 256 + value] with the normalised value, computed in float32 in the
    /// same order of operations as torchvision's ToTensor then Normalize, so the tensors agree bit for bit.
    /// </summary>
    internal static void FillNormalisationTable(PreprocessingSpec spec, Span<float> table)
    {
        if (spec.Mean is not { Length: 3 } || spec.Std is not { Length: 3 })
            throw new ArgumentException("preprocessing mean and std must have 3 values (RGB)", nameof(spec));
        for (int c = 0; c < 3; c++)
        {
            float mean = spec.Mean[c], std = spec.Std[c];
            for (int v = 0; v < 256; v++)
                table[c * 256 + v] = (v / 255f - mean) / std;
        }
    }

    internal static unsafe void WriteChw(RgbImage image, PreprocessingSpec spec, ReadOnlySpan<float> table, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (spec.Resize != ResizeMode.Stretch)
            throw new ArgumentException($"resize mode {spec.Resize} is not supported", nameof(spec));
        int plane = spec.Width * spec.Height;
        if (destination.Length != plane * 3)
            throw new ArgumentException($"destination has {destination.Length} floats; a 3x{spec.Height}x{spec.Width} tensor needs {plane * 3}", nameof(destination));
        var sized = ImageResizer.Resize(image, spec.Width, spec.Height);
        fixed (byte* rgb = sized.Pixels)
        fixed (float* lut = table)
        fixed (float* output = destination)
        {
            float* red = output, green = output + plane, blue = output + 2 * plane;
            float* lutGreen = lut + 256, lutBlue = lut + 512;
            byte* s = rgb;
            for (int i = 0; i < plane; i++, s += 3)
            {
                red[i] = lut[s[0]];
                green[i] = lutGreen[s[1]];
                blue[i] = lutBlue[s[2]];
            }
        }
    }
}
