namespace TwinHead.Imaging;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B. Treated as a value: operations return new images.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied).</summary>
    /// <param name="width">Width in pixels (positive).</param>
    /// <param name="height">Height in pixels (positive).</param>
    /// <param name="pixels">RGB interleaved, length <paramref name="width"/> x <paramref name="height"/> x 3.</param>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 != pixels.LongLength)
            throw new ArgumentException($"pixels has {pixels.LongLength} bytes; a {width}x{height} RGB image needs {(long)width * height * 3}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGB interleaved bytes, length <see cref="Width"/> x <see cref="Height"/> x 3.</summary>
    public byte[] Pixels { get; }
}
