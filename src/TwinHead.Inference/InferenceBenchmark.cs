using System.Diagnostics;
using System.Globalization;
using System.Text;
using TwinHead.Imaging;

namespace TwinHead.Inference;

/// <summary>What to measure. Defaults: the seed's setting (batch 1, one thread, after warm-up) plus batch-16 throughput.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Untimed end-to-end classifications before measuring.</summary>
    public int WarmupIterations { get; init; } = 3;

    /// <summary>Timed passes over all images.</summary>
    public int Passes { get; init; } = 1;

    /// <summary>Timed batch-1 model runs on one preprocessed tensor.</summary>
    public int ModelOnlyIterations { get; init; } = 50;

    /// <summary>Batch size of the throughput measurement.</summary>
    public int ThroughputBatchSize { get; init; } = 16;

    /// <summary>Timed batches of the throughput measurement.</summary>
    public int ThroughputBatches { get; init; } = 10;
}

/// <summary>Mean, median and spread of a set of timings, in milliseconds.</summary>
/// <param name="Count">Measurements.</param>
/// <param name="MeanMs">Mean.</param>
/// <param name="MedianMs">Median.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="MinMs">Fastest.</param>
public sealed record TimingSummary(int Count, double MeanMs, double MedianMs, double P90Ms, double MinMs)
{
    /// <summary>Summarises <paramref name="milliseconds"/> (at least one value).</summary>
    public static TimingSummary From(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("no timings to summarise", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new TimingSummary(n, sorted.Average(), median, sorted[Math.Min(n - 1, (int)Math.Ceiling(0.9 * n) - 1)], sorted[0]);
    }
}

/// <summary>One model's measurements.</summary>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="FileBytes">Its size.</param>
/// <param name="Description">Architecture, backbone and input size from the metadata.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="Images">Images that were classified in each pass.</param>
/// <param name="FailedImages">Images that could not be decoded (excluded from the timings).</param>
/// <param name="EndToEnd">Encoded bytes in memory to decision, batch 1 (the seed's latency); null without images.</param>
/// <param name="Decode">Decoding alone (scaled, EXIF-oriented); null without images.</param>
/// <param name="AfterDecode">Everything after decode: resize, normalise, model, softmax; null without images.</param>
/// <param name="ModelOnly">Model run alone, batch 1, including softmax.</param>
/// <param name="ThroughputImagesPerSecond">Model-only images per second at <paramref name="ThroughputBatchSize"/>.</param>
/// <param name="ThroughputBatchSize">Batch size of the throughput measurement.</param>
/// <param name="PeakWorkingSetBytes">Peak working set of the process while this model was measured (since start when the OS cannot reset it).</param>
public sealed record BenchmarkResult(string ModelPath, long FileBytes, string Description, int Threads, int Images, int FailedImages,
    TimingSummary? EndToEnd, TimingSummary? Decode, TimingSummary? AfterDecode, TimingSummary ModelOnly,
    double ThroughputImagesPerSecond, int ThroughputBatchSize, long PeakWorkingSetBytes);

/// <summary>An encoded image held in memory for benchmarking.</summary>
/// <param name="Name">File name or label.</param>
/// <param name="Bytes">Encoded bytes.</param>
public sealed record EncodedImage(string Name, byte[] Bytes);

/// <summary>
/// Measures what the seed measured (mean time per image, batch 1, decode + transforms + model + softmax, after warm-up)
/// and more: median, decode and after-decode split, model-only time, batch throughput, peak memory and file size.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>Times one image's decode and, separately, everything after it (resize, normalise, model, decision), in ms.</summary>
    public static (double DecodeMs, double AfterDecodeMs) TimeStages(TwinHeadClassifier classifier, EncodedImage image, float[] tensor, ImageDecodeLimits limits)
    {
        var spec = classifier.Metadata.Preprocessing;
        var start = Stopwatch.GetTimestamp();
        var decoded = ImageDecoder.Decode(image.Bytes, spec.Width, spec.Height, limits, image.Name);
        var decodedAt = Stopwatch.GetTimestamp();
        classifier.Preprocessor.WriteTensor(ImageResizer.Resize(decoded, spec.Width, spec.Height), tensor);
        var (screen, notDocument) = classifier.RunModel(tensor, 1);
        classifier.Decide(screen[0], notDocument[0]);
        var end = Stopwatch.GetTimestamp();
        return (Stopwatch.GetElapsedTime(start, decodedAt).TotalMilliseconds, Stopwatch.GetElapsedTime(decodedAt, end).TotalMilliseconds);
    }

    /// <summary>Benchmarks one model on <paramref name="images"/> (may be empty: then only model timings are measured).</summary>
    public static BenchmarkResult Run(string modelPath, IReadOnlyList<EncodedImage> images, BenchmarkOptions? options = null)
    {
        options ??= new BenchmarkOptions();
        ResetPeakWorkingSet();
        using var classifier = TwinHeadClassifier.Load(modelPath, new ClassifierOptions { IntraOpThreads = options.Threads, WarmupRuns = options.WarmupIterations });
        var spec = classifier.Metadata.Preprocessing;
        var limits = new ImageDecodeLimits();
        var usable = new List<EncodedImage>();
        foreach (var image in images)
        {
            try
            {
                classifier.Classify(image.Bytes, image.Name);
                usable.Add(image);
            }
            catch (ImageDecodeException)
            {
                // Counted as failed below; benchmarks time only images that classify.
            }
        }
        for (var i = 0; i < options.WarmupIterations && usable.Count > 0; i++) classifier.Classify(usable[i % usable.Count].Bytes, usable[i % usable.Count].Name);

        List<double> endToEnd = [], decode = [], afterDecode = [];
        var tensor = new float[classifier.TensorLength];
        for (var pass = 0; pass < options.Passes; pass++)
        {
            foreach (var image in usable)
            {
                var start = Stopwatch.GetTimestamp();
                classifier.Classify(image.Bytes, image.Name);
                endToEnd.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

                var (decodeMs, afterDecodeMs) = TimeStages(classifier, image, tensor, limits);
                decode.Add(decodeMs);
                afterDecode.Add(afterDecodeMs);
            }
        }

        var modelOnly = new List<double>(options.ModelOnlyIterations);
        for (var i = 0; i < Math.Max(1, options.ModelOnlyIterations); i++)
        {
            var start = Stopwatch.GetTimestamp();
            classifier.RunModel(tensor, 1);
            modelOnly.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var batch = new float[options.ThroughputBatchSize * classifier.TensorLength];
        for (var k = 0; k < options.ThroughputBatchSize; k++) tensor.CopyTo(batch.AsSpan(k * tensor.Length));
        classifier.RunModel(batch, options.ThroughputBatchSize);
        var throughputStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < Math.Max(1, options.ThroughputBatches); i++) classifier.RunModel(batch, options.ThroughputBatchSize);
        var throughput = Math.Max(1, options.ThroughputBatches) * options.ThroughputBatchSize / Stopwatch.GetElapsedTime(throughputStart).TotalSeconds;

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var m = classifier.Metadata;
        return new BenchmarkResult(modelPath, new FileInfo(modelPath).Length,
            $"{m.Architecture} {m.Backbone} {spec.Width}px", options.Threads, usable.Count, images.Count - usable.Count,
            endToEnd.Count > 0 ? TimingSummary.From(endToEnd) : null,
            decode.Count > 0 ? TimingSummary.From(decode) : null,
            afterDecode.Count > 0 ? TimingSummary.From(afterDecode) : null,
            TimingSummary.From(modelOnly), throughput, options.ThroughputBatchSize, process.PeakWorkingSet64);
    }

    /// <summary>The seed-style table, one row per model, as Markdown.</summary>
    public static string FormatTable(IReadOnlyList<BenchmarkResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        static string Ms(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "-";
        var text = new StringBuilder();
        text.AppendLine("| model | file | size MB | threads | images | end-to-end mean ms | end-to-end median ms | decode median ms | after decode median ms | model-only median ms | img/s @batch | peak MB |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(c, $"| {r.Description} | {Path.GetFileName(r.ModelPath)} | {r.FileBytes / 1e6:F2} | {r.Threads} | {r.Images}{(r.FailedImages > 0 ? $" ({r.FailedImages} failed)" : "")} | " +
                $"{Ms(r.EndToEnd?.MeanMs)} | {Ms(r.EndToEnd?.MedianMs)} | {Ms(r.Decode?.MedianMs)} | {Ms(r.AfterDecode?.MedianMs)} | {Ms(r.ModelOnly.MedianMs)} | " +
                $"{r.ThroughputImagesPerSecond:F0} @{r.ThroughputBatchSize} | {r.PeakWorkingSetBytes / 1e6:F0} |");
        }
        return text.ToString();
    }

    /// <summary>Resets the kernel's peak-RSS counter (Linux <c>clear_refs</c> value 5) so each model's peak is its own; best effort elsewhere.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            if (OperatingSystem.IsLinux()) File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the reset the figure is the process peak so far, which the result's documentation states.
        }
    }
}
