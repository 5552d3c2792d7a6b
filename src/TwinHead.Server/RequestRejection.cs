using TwinHead.Imaging;

namespace TwinHead.Server;

/// <summary>
/// A request the service refuses, with the HTTP status, a stable machine-readable code and a message naming what is wrong.
/// Thrown inside request handling and turned into an <c>application/problem+json</c> answer.
/// </summary>
public sealed class RequestRejection : Exception
{
    /// <summary>Creates the rejection.</summary>
    /// <param name="status">HTTP status (4xx, or 503 when the service is busy).</param>
    /// <param name="code">Stable code, e.g. <c>not_an_image</c>; the outcome label in metrics.</param>
    /// <param name="message">What is wrong, naming the file or field.</param>
    /// <param name="file">The file the problem is in, when there is one.</param>
    public RequestRejection(int status, string code, string message, string? file = null) : base(message)
    {
        Status = status;
        Code = code;
        File = file;
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>Stable machine-readable code.</summary>
    public string Code { get; }

    /// <summary>The file the problem is in, if any.</summary>
    public string? File { get; }

    /// <summary>The rejection for an image the decoder refused, keeping its message (which names the file).</summary>
    public static RequestRejection FromDecode(ImageDecodeException e) => e.Reason switch
    {
        ImageDecodeFailure.Empty => new(400, "empty_image", e.Message, e.Source),
        ImageDecodeFailure.NotAnImage => new(415, "not_an_image", e.Message, e.Source),
        ImageDecodeFailure.Corrupt => new(422, "corrupt_image", e.Message, e.Source),
        ImageDecodeFailure.TooLarge => new(413, "image_too_large", e.Message, e.Source),
        _ => new(415, "unsupported_image", e.Message, e.Source),
    };
}
