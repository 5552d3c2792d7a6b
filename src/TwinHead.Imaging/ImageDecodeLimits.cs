namespace TwinHead.Imaging;

/// <summary>Bounds on what the decoder accepts, checked before any pixel memory is allocated.</summary>
/// <param name="MaxPixels">Largest width x height the encoded header may declare (full size, before scaled decoding).</param>
/// <param name="MaxBytes">Largest encoded size in bytes.</param>
public sealed record ImageDecodeLimits(long MaxPixels = 100_000_000, long MaxBytes = 64L * 1024 * 1024)
{
    /// <summary>100 megapixels and 64 MiB: above any phone camera, far below what would exhaust memory.</summary>
    public static ImageDecodeLimits Default { get; } = new();
}
