using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Server;

/// <summary>
/// <c>POST /v1/classify</c>: admission, body reading within limits (raw image or multipart with one or many files),
/// decoding in bounded parallelism, micro-batched model run, JSON answer. Every refusal is a <see cref="RequestRejection"/>.
/// </summary>
public sealed class ClassifyEndpoint : IDisposable
{
    /// <summary>The endpoint's name in metrics.</summary>
    public const string MetricName = "classify";

    private const int MaxNameLength = 255;
    private readonly ModelHost models;
    private readonly AdmissionGate gate;
    private readonly ServiceOptions options;
    private readonly ServiceMetrics metrics;
    private readonly SemaphoreSlim decodeSlots;

    /// <summary>Creates the endpoint over the shared model host, gate and metrics.</summary>
    public ClassifyEndpoint(ModelHost models, AdmissionGate gate, ServiceOptions options, ServiceMetrics metrics)
    {
        this.models = models;
        this.gate = gate;
        this.options = options;
        this.metrics = metrics;
        decodeSlots = new SemaphoreSlim(options.DecodeConcurrency, options.DecodeConcurrency);
    }

    /// <summary>Handles one request; throws <see cref="RequestRejection"/> for anything the caller must fix or retry.</summary>
    public async Task<ClassifyResponse> HandleAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var request = context.Request;
        var screenThreshold = ParseProbability(request.Query, "screen_threshold");
        var notDocumentThreshold = ParseProbability(request.Query, "not_document_threshold");
        var multipartBoundary = CheckContentType(request);
        if (request.ContentLength > options.MaxBodyBytes)
            throw new RequestRejection(413, "body_too_large", $"the request body is {request.ContentLength:N0} bytes, more than the limit of {options.MaxBodyBytes:N0}");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = options.MaxBodyBytes;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.RequestTimeout);
        var token = timeout.Token;

        using var admission = await WaitForAdmissionAsync(context.RequestAborted, token).ConfigureAwait(false);
        List<UploadedFile> files;
        try
        {
            files = multipartBoundary is null
                ? [new UploadedFile(RawName(request.Query), await ReadLimitedAsync(request.Body, Math.Min(options.MaxImageBytes, options.MaxBodyBytes), RawName(request.Query), token).ConfigureAwait(false))]
                : await ReadMultipartAsync(request.Body, multipartBoundary, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new RequestRejection(408, "body_timeout", $"the request body did not arrive within {options.RequestTimeout.TotalSeconds:0.#} s");
        }

        var lease = models.Acquire();
        var model = lease.Model;
        var thresholds = new DecisionThresholds(screenThreshold ?? model.Classifier.Thresholds.Screen, notDocumentThreshold ?? model.Classifier.Thresholds.NotDocument);
        var tensors = new float[files.Count][];
        var preprocessMs = new double[files.Count];
        Task<BatchedOutput[]>? batch = null;
        try
        {
            await Task.WhenAll(files.Select((file, i) => PreprocessAsync(model, file, tensors, preprocessMs, i, token))).ConfigureAwait(false);
            batch = Task.WhenAll(tensors.Select(model.Batcher.SubmitAsync));
            var outputs = await batch.WaitAsync(token).ConfigureAwait(false);
            var results = new ImageResult[files.Count];
            for (var i = 0; i < files.Count; i++)
            {
                var o = outputs[i];
                results[i] = new ImageResult(files[i].Name, files[i].Bytes.Length, o.Screen, o.NotDocument,
                    DocumentClasses.NameOf(thresholds.Decide(o.Screen, o.NotDocument)),
                    new ImageTiming(Ms(preprocessMs[i]), Ms(o.QueueWait.TotalMilliseconds), Ms(o.ModelTime.TotalMilliseconds), o.BatchSize));
            }
            return new ClassifyResponse(new ModelReference(model.Id, model.Classifier.Metadata.Architecture),
                new ThresholdValues(thresholds.Screen, thresholds.NotDocument), results, Ms(Stopwatch.GetElapsedTime(start).TotalMilliseconds));
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new RequestRejection(503, "processing_timeout", $"the service could not classify the images within {options.RequestTimeout.TotalSeconds:0.#} s; retry later");
        }
        finally
        {
            if (batch is { IsCompleted: false })
            {
                // The batcher still reads these tensors: give them (and the model) back only once it is done.
                _ = batch.ContinueWith(_ => ReturnAll(tensors, lease), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                ReturnAll(tensors, lease);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => decodeSlots.Dispose();

    private static void ReturnAll(float[]?[] tensors, ModelLease lease)
    {
        foreach (var tensor in tensors)
        {
            if (tensor is not null) ArrayPool<float>.Shared.Return(tensor);
        }
        lease.Dispose();
    }

    private async Task<IDisposable> WaitForAdmissionAsync(CancellationToken aborted, CancellationToken token)
    {
        IDisposable? admission;
        try
        {
            admission = await gate.EnterAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new RequestRejection(503, "queue_timeout", $"no classify slot became free within {options.RequestTimeout.TotalSeconds:0.#} s; retry later");
        }
        return admission ?? throw new RequestRejection(503, "queue_full",
            $"the service is busy ({gate.MaxActive} requests in progress and the wait queue is full); retry after {options.RetryAfterSeconds} s");
    }

    private async Task PreprocessAsync(LoadedModel model, UploadedFile file, float[]?[] tensors, double[] preprocessMs, int index, CancellationToken token)
    {
        await decodeSlots.WaitAsync(token).ConfigureAwait(false);
        try
        {
            // Decoding is CPU-bound: leave the request's thread and run it on the pool within the decode slots.
            await Task.Run(() =>
            {
                var start = Stopwatch.GetTimestamp();
                if (options.RejectAnimated && AnimationCheck.AnimatedFrameCount(file.Bytes) is { } frames)
                    throw new RequestRejection(415, "animated_image", $"{file.Name}: an animated image with {frames:N0} frames; send a still photo", file.Name);
                var length = model.Classifier.TensorLength;
                var tensor = ArrayPool<float>.Shared.Rent(length);
                tensors[index] = tensor;
                try
                {
                    model.Classifier.Preprocessor.Preprocess(file.Bytes, tensor.AsSpan(0, length), file.Name);
                }
                catch (ImageDecodeException e)
                {
                    throw RequestRejection.FromDecode(e);
                }
                preprocessMs[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }, token).ConfigureAwait(false);
        }
        finally
        {
            decodeSlots.Release();
        }
    }

    /// <summary>Null for a raw image body; the boundary for multipart. Throws 415 for anything else.</summary>
    private static string? CheckContentType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType)) return null;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } mediaType)
            throw new RequestRejection(415, "bad_content_type", $"Content-Type '{Clip(request.ContentType)}' cannot be parsed");
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
                throw new RequestRejection(400, "bad_multipart", "multipart/form-data needs a boundary parameter of 1 to 70 characters");
            return boundary;
        }
        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return null;
        throw new RequestRejection(415, "unsupported_content_type",
            $"Content-Type '{Clip(mediaType)}' is not accepted: send the image bytes as image/* or application/octet-stream, or files as multipart/form-data");
    }

    private async Task<List<UploadedFile>> ReadMultipartAsync(Stream body, string boundary, CancellationToken token)
    {
        var reader = new MultipartReader(boundary, body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        var files = new List<UploadedFile>();
        long total = 0;
        while (true)
        {
            MultipartSection? section;
            try
            {
                section = await reader.ReadNextSectionAsync(token).ConfigureAwait(false);
            }
            // Kestrel's own refusals (BadHttpRequestException: too large, too slow) keep their status in ErrorResponses.
            catch (Exception e) when (e is (IOException or InvalidDataException) and not BadHttpRequestException)
            {
                throw new RequestRejection(400, "bad_multipart", $"the multipart body is malformed: {e.Message}");
            }
            if (section is null) break;
            var disposition = section.GetContentDispositionHeader();
            var fileName = disposition?.FileName.Value ?? disposition?.FileNameStar.Value;
            var name = Clip(string.IsNullOrWhiteSpace(fileName) ? $"part {files.Count + 1}" : Path.GetFileName(fileName.Trim()));
            if (string.IsNullOrEmpty(fileName))
            {
                // Form fields carry no image; read past them within the body limit.
                total += await DrainAsync(section.Body, options.MaxBodyBytes - total, token).ConfigureAwait(false);
                continue;
            }
            if (files.Count == options.MaxFilesPerRequest)
                throw new RequestRejection(400, "too_many_files", $"more than {options.MaxFilesPerRequest} files in one request (at '{name}'); split them over several requests", name);
            var bytes = await ReadLimitedAsync(section.Body, Math.Min(options.MaxImageBytes, options.MaxBodyBytes - total), name, token).ConfigureAwait(false);
            total += bytes.Length;
            files.Add(new UploadedFile(name, bytes));
        }
        if (files.Count == 0)
            throw new RequestRejection(400, "no_files", "the multipart body has no file parts (a part needs a filename in its Content-Disposition)");
        return files;
    }

    private async Task<byte[]> ReadLimitedAsync(Stream stream, long limit, string name, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(chunk, token).ConfigureAwait(false);
                }
                catch (IOException e) when (e is not (EndOfStreamException or BadHttpRequestException))
                {
                    throw new RequestRejection(400, "bad_body", $"{name}: the request body could not be read: {e.Message}", name);
                }
                catch (InvalidDataException e)
                {
                    throw new RequestRejection(400, "bad_multipart", $"{name}: the multipart body is malformed: {e.Message}", name);
                }
                if (read == 0) break;
                if (buffer.Length + read > limit)
                {
                    var whole = limit < options.MaxImageBytes ? $"the request body limit of {options.MaxBodyBytes:N0} bytes" : $"the image limit of {options.MaxImageBytes:N0} bytes";
                    throw new RequestRejection(413, "image_too_large", $"{name}: more than {whole}", name);
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        if (buffer.Length == 0) throw new RequestRejection(400, "empty_image", $"{name}: the image is empty (0 bytes)", name);
        return buffer.ToArray();
    }

    private async Task<long> DrainAsync(Stream stream, long limit, CancellationToken token)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit) throw new RequestRejection(413, "body_too_large", $"the request body is more than the limit of {options.MaxBodyBytes:N0} bytes");
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static double? ParseProbability(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var values)) return null;
        if (values.Count != 1 || !double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value is >= 0 and <= 1))
            throw new RequestRejection(400, "bad_threshold", $"query parameter '{key}' must be one number in [0, 1], got '{Clip(values.ToString())}'");
        return value;
    }

    private static string RawName(IQueryCollection query) =>
        query.TryGetValue("name", out var name) && !string.IsNullOrWhiteSpace(name.ToString()) ? Clip(Path.GetFileName(name.ToString().Trim())) : "upload";

    /// <summary>Microsecond resolution is all a timing field needs.</summary>
    private static double Ms(double milliseconds) => Math.Round(milliseconds, 3);

    private static string Clip(string text) => text.Length <= MaxNameLength ? text : text[..MaxNameLength] + "...";

    private sealed record UploadedFile(string Name, byte[] Bytes);
}
