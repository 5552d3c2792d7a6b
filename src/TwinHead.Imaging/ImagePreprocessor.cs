using TwinHead.Core.Models;

namespace TwinHead.Imaging;

/// <summary>
/// The one pipeline from encoded bytes to the model's input tensor, shared by training, evaluation and inference:
/// scaled decode with EXIF orientation, PIL-style bilinear resize to the spec's size, ImageNet-style normalisation.
/// Thread-safe.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly ImageDecodeLimits limits;
    private readonly float[] normalisationTable = new float[3 * 256];

    /// <summary>Creates the pipeline for <paramref name="spec"/>.</summary>
    /// <param name="spec">Input size, resize mode and normalisation (validated here).</param>
    /// <param name="limits">Decode limits; <see cref="ImageDecodeLimits.Default"/> when null.</param>
    public ImagePreprocessor(PreprocessingSpec spec, ImageDecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec.Validate();
        if (spec.Resize != ResizeMode.Stretch)
            throw new ArgumentException($"resize mode {spec.Resize} is not supported", nameof(spec));
        this.limits = limits ?? ImageDecodeLimits.Default;
        TensorWriter.FillNormalisationTable(spec, normalisationTable);
    }

    /// <summary>The size and normalisation this pipeline produces.</summary>
    public PreprocessingSpec Spec { get; }

    /// <summary>Number of floats in one image's tensor: 3 x height x width.</summary>
    public int TensorLength => 3 * Spec.Width * Spec.Height;

    /// <summary>Decodes (scaled to no less than the input size) and resizes to exactly the spec's size: what training caches.</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="source">Name for error messages: the file path or "upload".</param>
    /// <exception cref="ImageDecodeException">The bytes cannot be decoded.</exception>
    public RgbImage DecodeAndResize(ReadOnlySpan<byte> encoded, string source)
    {
        var decoded = ImageDecoder.Decode(encoded, Spec.Width, Spec.Height, limits, source);
        return ImageResizer.Resize(decoded, Spec.Width, Spec.Height);
    }

    /// <summary>Decodes, resizes and writes the normalised CHW tensor into <paramref name="destinationChw"/>.</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="destinationChw">Receives exactly <see cref="TensorLength"/> floats.</param>
    /// <param name="source">Name for error messages: the file path or "upload".</param>
    /// <exception cref="ImageDecodeException">The bytes cannot be decoded.</exception>
    public void Preprocess(ReadOnlySpan<byte> encoded, Span<float> destinationChw, string source)
    {
        if (destinationChw.Length != TensorLength)
            throw new ArgumentException($"destination has {destinationChw.Length} floats; this spec needs {TensorLength}", nameof(destinationChw));
        var image = DecodeAndResize(encoded, source);
        TensorWriter.WriteChw(image, Spec, normalisationTable, destinationChw);
    }

    /// <summary>Decodes, resizes and returns the normalised CHW tensor.</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="source">Name for error messages: the file path or "upload".</param>
    /// <exception cref="ImageDecodeException">The bytes cannot be decoded.</exception>
    public float[] Preprocess(ReadOnlySpan<byte> encoded, string source)
    {
        var tensor = new float[TensorLength];
        Preprocess(encoded, tensor, source);
        return tensor;
    }

    /// <summary>Writes the normalised CHW tensor of an already decoded image (resized first if its size differs).</summary>
    /// <param name="image">The image, typically from <see cref="DecodeAndResize"/> and possibly augmented.</param>
    /// <param name="destinationChw">Receives exactly <see cref="TensorLength"/> floats.</param>
    public void WriteTensor(RgbImage image, Span<float> destinationChw) =>
        TensorWriter.WriteChw(image, Spec, normalisationTable, destinationChw);
}
