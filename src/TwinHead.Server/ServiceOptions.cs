namespace TwinHead.Server;

/// <summary>
/// How <c>twinhead serve</c> runs. Defaults suit a 2-core machine behind an upload form: photos of a few megapixels,
/// a handful of files per request, many concurrent callers.
/// </summary>
public sealed record ServiceOptions
{
    /// <summary>The TwinHead ONNX model to serve (required).</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>Reload the model when its file changes, without dropping requests (default on).</summary>
    public bool WatchModel { get; init; } = true;

    /// <summary>Quiet time after the last change to the model file before it is reloaded (writers finish first).</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most images in one model run; concurrent callers' images are gathered up to this many.</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Longest an image waits for others to join its batch once the model is free.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>ONNX Runtime threads inside one model run (default 1: decoding uses the other cores).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Images decoded at the same time (default: one per core; more cannot go faster and costs memory).</summary>
    public int DecodeConcurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Classify requests being served at once (reading the body, decoding, waiting for the model).</summary>
    public int MaxConcurrentRequests { get; init; } = 16;

    /// <summary>Classify requests allowed to wait for a slot; beyond this the service answers 503 with Retry-After.</summary>
    public int MaxQueuedRequests { get; init; } = 128;

    /// <summary>Largest request body in bytes (all files of a multipart request together).</summary>
    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest single encoded image in bytes.</summary>
    public long MaxImageBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Largest width x height an image header may declare. Non-JPEG images decode at full size (4 bytes a pixel), so this
    /// times <see cref="DecodeConcurrency"/> bounds decode memory; JPEGs decode scaled down and cost far less.
    /// </summary>
    public long MaxPixels { get; init; } = 24_000_000;

    /// <summary>Most files in one multipart request.</summary>
    public int MaxFilesPerRequest { get; init; } = 16;

    /// <summary>Longest a classify request may take, waiting included; a slow body gets 408, a slow service 503.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reject animated GIF, WebP and PNG (default on: an upload of a document photo is a still image).</summary>
    public bool RejectAnimated { get; init; } = true;

    /// <summary>Seconds a rejected caller is told to wait (Retry-After header of a 503).</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Longest a shutdown waits for in-flight requests to finish.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws naming the option when a value is unusable.</summary>
    public ServiceOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath)) throw new ArgumentException("model path is required (--model)", nameof(ModelPath));
        Positive(MaxBatchSize, nameof(MaxBatchSize));
        Positive(DecodeConcurrency, nameof(DecodeConcurrency));
        Positive(MaxConcurrentRequests, nameof(MaxConcurrentRequests));
        Positive(MaxBodyBytes, nameof(MaxBodyBytes));
        Positive(MaxImageBytes, nameof(MaxImageBytes));
        Positive(MaxPixels, nameof(MaxPixels));
        Positive(MaxFilesPerRequest, nameof(MaxFilesPerRequest));
        Positive(RetryAfterSeconds, nameof(RetryAfterSeconds));
        if (IntraOpThreads < 0) throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "intra-op threads must be >= 0 (0 lets ONNX Runtime choose)");
        if (MaxQueuedRequests < 0) throw new ArgumentOutOfRangeException(nameof(MaxQueuedRequests), MaxQueuedRequests, "max queued requests must be >= 0");
        NonNegative(MaxBatchWait, nameof(MaxBatchWait));
        NonNegative(ReloadDebounce, nameof(ReloadDebounce));
        NonNegative(ShutdownDrainTimeout, nameof(ShutdownDrainTimeout));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "request timeout must be positive");
        return this;
    }

    private static void Positive(long value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive");
    }

    private static void NonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative");
    }
}
