namespace TwinHead.Server;

/// <summary>The answer of <c>POST /v1/classify</c>: one result per file, in request order.</summary>
/// <param name="Model">The model version that classified the files.</param>
/// <param name="Thresholds">The thresholds the decisions used (the model's, or the request's override).</param>
/// <param name="Results">One result per file.</param>
/// <param name="TotalMs">Wall time of the request in the service, admission wait and body reading included.</param>
public sealed record ClassifyResponse(ModelReference Model, ThresholdValues Thresholds, IReadOnlyList<ImageResult> Results, double TotalMs);

/// <summary>Which model answered.</summary>
/// <param name="Id">File name plus the first 12 hex digits of its SHA-256; changes when the file is reloaded with new content.</param>
/// <param name="Architecture">Architecture name from the model's metadata.</param>
public sealed record ModelReference(string Id, string Architecture);

/// <summary>Decision thresholds.</summary>
/// <param name="Screen">Screen if p(screen) is at least this.</param>
/// <param name="NotDocument">Otherwise not a document if p(not_document) is at least this; otherwise document.</param>
public sealed record ThresholdValues(double Screen, double NotDocument);

/// <summary>One file's classification.</summary>
/// <param name="Name">The file name of the multipart part, or the <c>name</c> query parameter for a raw body (default <c>upload</c>).</param>
/// <param name="Bytes">Encoded size.</param>
/// <param name="ScreenProbability">p(screen), head 1.</param>
/// <param name="NotDocumentProbability">p(not_document), head 2.</param>
/// <param name="Decision"><c>screen</c>, <c>not_document</c> or <c>document</c>.</param>
/// <param name="Timing">Where the time went.</param>
public sealed record ImageResult(string Name, long Bytes, double ScreenProbability, double NotDocumentProbability, string Decision, ImageTiming Timing);

/// <summary>Time spent on one file.</summary>
/// <param name="PreprocessMs">Decode, resize and normalise (after waiting for a decode slot).</param>
/// <param name="QueueMs">Waiting for the model run, micro-batch gathering included.</param>
/// <param name="ModelMs">The model run of the whole batch this image was in.</param>
/// <param name="BatchSize">Images in that model run (from this and other requests).</param>
public sealed record ImageTiming(double PreprocessMs, double QueueMs, double ModelMs, int BatchSize);

/// <summary>An error answer (<c>application/problem+json</c>, RFC 9457 fields plus <c>code</c> and <c>file</c>).</summary>
/// <param name="Type">A URN naming the error code.</param>
/// <param name="Title">The HTTP reason phrase.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What is wrong, naming the file or field.</param>
/// <param name="Code">Stable machine-readable code, e.g. <c>not_an_image</c>, <c>body_too_large</c>, <c>queue_full</c>.</param>
/// <param name="File">The file the problem is in, when there is one.</param>
public sealed record ErrorResponse(string Type, string Title, int Status, string Detail, string Code, string? File);

/// <summary>The answer of <c>GET /v1/model</c>.</summary>
/// <param name="Id">Model version identity.</param>
/// <param name="File">Model file name.</param>
/// <param name="Sha256">SHA-256 of the model file.</param>
/// <param name="LoadedAt">When this version was loaded.</param>
/// <param name="Metadata">The model's own metadata (ONNX metadata_props).</param>
/// <param name="Thresholds">Default thresholds.</param>
/// <param name="Input">Input size and normalisation.</param>
/// <param name="Limits">What requests may send.</param>
/// <param name="Batching">How concurrent requests are batched.</param>
public sealed record ModelResponse(string Id, string File, string Sha256, DateTimeOffset LoadedAt, IReadOnlyDictionary<string, string> Metadata,
    ThresholdValues Thresholds, InputDescription Input, LimitValues Limits, BatchingValues Batching);

/// <summary>The model's input.</summary>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Resize">Resize mode.</param>
/// <param name="Mean">Per-channel mean (RGB, 0..1 scale).</param>
/// <param name="Std">Per-channel standard deviation.</param>
public sealed record InputDescription(int Width, int Height, string Resize, IReadOnlyList<float> Mean, IReadOnlyList<float> Std);

/// <summary>Request limits.</summary>
/// <param name="MaxBodyBytes">Whole request body.</param>
/// <param name="MaxImageBytes">One encoded image.</param>
/// <param name="MaxPixels">Width x height declared by one image.</param>
/// <param name="MaxFilesPerRequest">Files in one multipart request.</param>
/// <param name="RequestTimeoutSeconds">Longest one classify request may take.</param>
/// <param name="RejectAnimated">Whether animated images are refused.</param>
public sealed record LimitValues(long MaxBodyBytes, long MaxImageBytes, long MaxPixels, int MaxFilesPerRequest, double RequestTimeoutSeconds, bool RejectAnimated);

/// <summary>Micro-batching settings.</summary>
/// <param name="MaxBatchSize">Most images per model run.</param>
/// <param name="MaxBatchWaitMs">Longest an image waits for company.</param>
/// <param name="MaxConcurrentRequests">Classify requests served at once.</param>
/// <param name="MaxQueuedRequests">Classify requests allowed to wait.</param>
public sealed record BatchingValues(int MaxBatchSize, double MaxBatchWaitMs, int MaxConcurrentRequests, int MaxQueuedRequests);

/// <summary>The answer of <c>/healthz</c> and <c>/readyz</c>.</summary>
/// <param name="Status"><c>ok</c>, <c>ready</c>, or why not.</param>
/// <param name="ModelId">The model in service, when there is one.</param>
public sealed record HealthResponse(string Status, string? ModelId);
