namespace TwinHead.Imaging;

/// <summary>Why an encoded image could not be decoded.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The input has no bytes.</summary>
    Empty,

    /// <summary>The bytes are not in any image format (for example a text file named .jpg).</summary>
    NotAnImage,

    /// <summary>The bytes start like a known image format but are damaged or truncated.</summary>
    Corrupt,

    /// <summary>The input exceeds <see cref="ImageDecodeLimits"/> (bytes, or pixels declared in the header).</summary>
    TooLarge,

    /// <summary>A recognised image format or variant that this decoder cannot read (for example HEIC or TIFF).</summary>
    Unsupported,
}

/// <summary>An image could not be decoded; the message names the source and what is wrong with it.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception; the message becomes "<paramref name="source"/>: <paramref name="detail"/>".</summary>
    /// <param name="source">The file path, or "upload" (or another caller-chosen name) for bytes that have no file.</param>
    /// <param name="reason">The category of the failure.</param>
    /// <param name="detail">What is wrong, in words.</param>
    public ImageDecodeException(string source, ImageDecodeFailure reason, string detail)
        : base($"{source}: {detail}")
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The file path or caller-chosen name of the input (hides <see cref="Exception.Source"/>, which names an assembly).</summary>
    public new string Source { get; }

    /// <summary>The category of the failure.</summary>
    public ImageDecodeFailure Reason { get; }
}
