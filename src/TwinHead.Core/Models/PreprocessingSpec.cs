namespace TwinHead.Core.Models;

/// <summary>How an image becomes the model's input tensor. One value describes training, evaluation, export metadata and inference.</summary>
/// <param name="Width">Input width in pixels (reference: 256).</param>
/// <param name="Height">Input height in pixels (reference: 256).</param>
/// <param name="Resize">How the image is fitted to <see cref="Width"/> x <see cref="Height"/>.</param>
/// <param name="Mean">Per-channel mean in RGB order, on the 0..1 scale.</param>
/// <param name="Std">Per-channel standard deviation in RGB order, on the 0..1 scale.</param>
public sealed record PreprocessingSpec(int Width, int Height, ResizeMode Resize, float[] Mean, float[] Std)
{
    /// <summary>ImageNet mean (RGB).</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet standard deviation (RGB).</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The reference: 256x256 stretch, ImageNet normalisation.</summary>
    public static PreprocessingSpec Reference(int size = 256) =>
        new(size, size, ResizeMode.Stretch, [.. ImageNetMean], [.. ImageNetStd]);

    /// <summary>Throws with the offending field named when the spec is unusable.</summary>
    public PreprocessingSpec Validate()
    {
        if (Width < 8 || Height < 8 || Width > 4096 || Height > 4096)
            throw new ArgumentException($"preprocessing size {Width}x{Height} is outside 8..4096", nameof(Width));
        if (Mean is not { Length: 3 }) throw new ArgumentException("preprocessing.mean must have 3 values (RGB)", nameof(Mean));
        if (Std is not { Length: 3 } || Std.Any(s => !(s > 0))) throw new ArgumentException("preprocessing.std must have 3 positive values (RGB)", nameof(Std));
        return this;
    }

    /// <summary>Value equality including the arrays (records compare arrays by reference).</summary>
    public bool Equals(PreprocessingSpec? other) =>
        other is not null && Width == other.Width && Height == other.Height && Resize == other.Resize
        && Mean.AsSpan().SequenceEqual(other.Mean) && Std.AsSpan().SequenceEqual(other.Std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Width, Height, Resize, Mean[0], Std[0]);
}

/// <summary>How an image is fitted to the input size.</summary>
public enum ResizeMode
{
    /// <summary>Resize to exactly the input size, ignoring the aspect ratio (the reference).</summary>
    Stretch,
}
