using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Inference;

/// <summary>Where the time of one classification went.</summary>
/// <param name="Preprocess">Reading, decoding, resizing and normalising the image.</param>
/// <param name="Model">The model run including softmax (in a batch, the batch's run time divided by its images).</param>
public sealed record ClassificationTimings(TimeSpan Preprocess, TimeSpan Model)
{
    /// <summary>Preprocess plus model.</summary>
    public TimeSpan Total => Preprocess + Model;
}

/// <summary>The answer for one image.</summary>
/// <param name="Source">File path or caller-chosen name.</param>
/// <param name="ScreenProbability">p(screen), head 1.</param>
/// <param name="NotDocumentProbability">p(not_document), head 2.</param>
/// <param name="Decision">Three-way decision under <paramref name="Thresholds"/>.</param>
/// <param name="Thresholds">The thresholds used.</param>
/// <param name="Timings">Time spent.</param>
public sealed record Classification(string Source, double ScreenProbability, double NotDocumentProbability,
    DocumentClass Decision, DecisionThresholds Thresholds, ClassificationTimings Timings)
{
    /// <summary>Name of the decision: <c>document</c>, <c>not_document</c> or <c>screen</c>.</summary>
    public string DecisionName => DocumentClasses.NameOf(Decision);
}

/// <summary>Why an input could not be classified.</summary>
public enum InputFailure
{
    /// <summary>The input has no bytes.</summary>
    Empty,

    /// <summary>The bytes are not an image.</summary>
    NotAnImage,

    /// <summary>The image is damaged or truncated.</summary>
    Corrupt,

    /// <summary>The image exceeds the byte or pixel limit.</summary>
    TooLarge,

    /// <summary>An image format or variant the decoder cannot read.</summary>
    Unsupported,

    /// <summary>The file or stream could not be read (missing, no permission, I/O error).</summary>
    Unreadable,
}

/// <summary>One input's outcome in a sequence: a classification, or the reason it has none.</summary>
/// <param name="Source">File path or caller-chosen name.</param>
/// <param name="Classification">The answer, when the input could be classified.</param>
/// <param name="Failure">Why not, otherwise.</param>
/// <param name="Error">A message naming the input and what is wrong, otherwise.</param>
public sealed record ClassificationResult(string Source, Classification? Classification, InputFailure? Failure, string? Error)
{
    /// <summary>Whether the input was classified.</summary>
    public bool Succeeded => Classification is not null;

    internal static ClassificationResult Failed(string source, Exception error) => error switch
    {
        ImageDecodeException decode => new(source, null, decode.Reason switch
        {
            ImageDecodeFailure.Empty => InputFailure.Empty,
            ImageDecodeFailure.NotAnImage => InputFailure.NotAnImage,
            ImageDecodeFailure.Corrupt => InputFailure.Corrupt,
            ImageDecodeFailure.TooLarge => InputFailure.TooLarge,
            _ => InputFailure.Unsupported,
        }, decode.Message),
        _ => new(source, null, InputFailure.Unreadable, error.Message.StartsWith(source, StringComparison.Ordinal) ? error.Message : $"{source}: {error.Message}"),
    };
}

/// <summary>An image to classify: a file, bytes in memory or a stream, with the name used in results and errors.</summary>
public sealed class ImageInput
{
    private readonly Func<long, byte[]> read;

    private ImageInput(string source, Func<long, byte[]> read)
    {
        Source = source;
        this.read = read;
    }

    /// <summary>File path or caller-chosen name.</summary>
    public string Source { get; }

    /// <summary>An image file, read when classified.</summary>
    public static ImageInput FromFile(string path) => new(path, max => EncodedImageReader.ReadFile(path, max));

    /// <summary>Encoded bytes already in memory.</summary>
    public static ImageInput FromBytes(byte[] encoded, string source = "upload") => new(source, max => EncodedImageReader.CheckSize(encoded, max, source));

    /// <summary>A stream, read to its end when classified (not disposed).</summary>
    public static ImageInput FromStream(Stream stream, string source = "stream") => new(source, max => EncodedImageReader.ReadStream(stream, max, source));

    internal byte[] Read(long maxBytes) => read(maxBytes);
}

/// <summary>Reads encoded images while enforcing the byte limit before memory is committed.</summary>
internal static class EncodedImageReader
{
    public static byte[] ReadFile(string path, long maxBytes)
    {
        if (Directory.Exists(path)) throw new IOException($"{path}: is a directory, not an image file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (stream.Length > maxBytes)
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"the image is {stream.Length:N0} bytes, more than the limit of {maxBytes:N0}");
        var bytes = GC.AllocateUninitializedArray<byte>((int)stream.Length);
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static byte[] CheckSize(byte[] encoded, long maxBytes, string source) =>
        encoded.Length > maxBytes
            ? throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge, $"the image is {encoded.Length:N0} bytes, more than the limit of {maxBytes:N0}")
            : encoded;

    public static byte[] ReadStream(Stream stream, long maxBytes, string source)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge, $"the image is more than the limit of {maxBytes:N0} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
