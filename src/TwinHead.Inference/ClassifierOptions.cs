using TwinHead.Imaging;

namespace TwinHead.Inference;

/// <summary>How a <see cref="TwinHeadClassifier"/> runs. Defaults suit a service classifying one image per request on a small machine.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Threads ONNX Runtime uses inside one model run (default 1: requests run in parallel instead).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Let ONNX Runtime's worker threads spin while waiting (default off: spinning burns CPU between requests).</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Largest width x height an image header may declare; larger images are rejected before decoding.</summary>
    public long MaxPixels { get; init; } = ImageDecodeLimits.Default.MaxPixels;

    /// <summary>Largest encoded image in bytes.</summary>
    public long MaxBytes { get; init; } = ImageDecodeLimits.Default.MaxBytes;

    /// <summary>p(screen) threshold to use instead of the model's (null: the model's).</summary>
    public double? ScreenThreshold { get; init; }

    /// <summary>p(not_document) threshold to use instead of the model's (null: the model's).</summary>
    public double? NotDocumentThreshold { get; init; }

    /// <summary>Model runs on a blank input at load, so the first real request does not pay for lazy initialisation.</summary>
    public int WarmupRuns { get; init; } = 2;

    /// <summary>Images per model run when classifying a sequence.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The decode limits these options describe.</summary>
    public ImageDecodeLimits DecodeLimits => new(MaxPixels, MaxBytes);

    /// <summary>Throws naming the field when a value is unusable.</summary>
    public ClassifierOptions Validate()
    {
        if (IntraOpThreads < 0) throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "intra-op threads must be >= 0 (0 lets ONNX Runtime choose)");
        if (MaxPixels < 1) throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "max pixels must be positive");
        if (MaxBytes < 1) throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "max bytes must be positive");
        if (WarmupRuns < 0) throw new ArgumentOutOfRangeException(nameof(WarmupRuns), WarmupRuns, "warm-up runs must be >= 0");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be positive");
        if (ScreenThreshold is { } s && !(s >= 0 && s <= 1)) throw new ArgumentOutOfRangeException(nameof(ScreenThreshold), s, "screen threshold must be in [0, 1]");
        if (NotDocumentThreshold is { } n && !(n >= 0 && n <= 1)) throw new ArgumentOutOfRangeException(nameof(NotDocumentThreshold), n, "not_document threshold must be in [0, 1]");
        return this;
    }
}
