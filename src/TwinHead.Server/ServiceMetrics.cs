using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TwinHead.Server;

/// <summary>
/// The service's counters, histograms and gauges, written in the Prometheus text exposition format (version 0.0.4).
/// Written by hand rather than with a client library: the format is a few lines of text and the service needs a dozen series.
/// Thread-safe.
/// </summary>
public sealed class ServiceMetrics
{
    /// <summary>Upper bounds (seconds) of the request latency histogram.</summary>
    public static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Upper bounds of the batch size histogram.</summary>
    public static readonly double[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128];

    private readonly ConcurrentDictionary<(string Endpoint, string Outcome), long[]> requests = new();
    private readonly ConcurrentDictionary<string, long[]> reloads = new();
    private readonly Histogram latency = new(LatencyBuckets);
    private readonly Histogram batchSizes = new(BatchSizeBuckets);
    private readonly Histogram batchWaits = new(LatencyBuckets);
    private long imagesClassified;

    /// <summary>Requests waiting for a classify slot (set by the admission gate).</summary>
    public Func<int> QueuedRequests { get; set; } = () => 0;

    /// <summary>Classify requests being served (set by the admission gate).</summary>
    public Func<int> ActiveRequests { get; set; } = () => 0;

    /// <summary>Images preprocessed and waiting for a model run (set by the model host).</summary>
    public Func<int> QueuedImages { get; set; } = () => 0;

    /// <summary>Identity of the model being served (set by the model host).</summary>
    public Func<string?> ModelId { get; set; } = () => null;

    /// <summary>Counts a finished request of <paramref name="endpoint"/> with <paramref name="outcome"/> (<c>ok</c> or an error code).</summary>
    public void CountRequest(string endpoint, string outcome) =>
        Interlocked.Increment(ref requests.GetOrAdd((endpoint, outcome), _ => new long[1])[0]);

    /// <summary>Records the wall time of a classify request.</summary>
    public void ObserveLatency(TimeSpan elapsed) => latency.Observe(elapsed.TotalSeconds);

    /// <summary>Records one model run over <paramref name="size"/> images, the oldest of which waited <paramref name="wait"/>.</summary>
    public void ObserveBatch(int size, TimeSpan wait)
    {
        batchSizes.Observe(size);
        batchWaits.Observe(wait.TotalSeconds);
        Interlocked.Add(ref imagesClassified, size);
    }

    /// <summary>Counts a model reload attempt (<c>ok</c> or <c>failed</c>).</summary>
    public void CountReload(string outcome) => Interlocked.Increment(ref reloads.GetOrAdd(outcome, _ => new long[1])[0]);

    /// <summary>Requests counted so far for one endpoint and outcome.</summary>
    public long RequestCount(string endpoint, string outcome) =>
        requests.TryGetValue((endpoint, outcome), out var count) ? Interlocked.Read(ref count[0]) : 0;

    /// <summary>All series in the Prometheus text format.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        Header(text, "twinhead_requests_total", "counter", "Finished HTTP requests by endpoint and outcome (ok or the error code).");
        foreach (var ((endpoint, outcome), count) in requests.OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Outcome, StringComparer.Ordinal))
            Sample(text, "twinhead_requests_total", $"endpoint=\"{Escape(endpoint)}\",outcome=\"{Escape(outcome)}\"", Interlocked.Read(ref count[0]));

        Header(text, "twinhead_request_duration_seconds", "histogram", "Wall time of classify requests, admission wait included.");
        latency.Write(text, "twinhead_request_duration_seconds");

        Header(text, "twinhead_queue_depth", "gauge", "Classify requests waiting for a slot.");
        Sample(text, "twinhead_queue_depth", null, QueuedRequests());
        Header(text, "twinhead_requests_in_flight", "gauge", "Classify requests being served.");
        Sample(text, "twinhead_requests_in_flight", null, ActiveRequests());
        Header(text, "twinhead_batch_queue_images", "gauge", "Preprocessed images waiting for a model run.");
        Sample(text, "twinhead_batch_queue_images", null, QueuedImages());

        Header(text, "twinhead_batch_size", "histogram", "Images per model run (micro-batches across callers).");
        batchSizes.Write(text, "twinhead_batch_size");
        Header(text, "twinhead_batch_wait_seconds", "histogram", "Time the oldest image of a batch waited for its model run.");
        batchWaits.Write(text, "twinhead_batch_wait_seconds");
        Header(text, "twinhead_images_classified_total", "counter", "Images run through the model.");
        Sample(text, "twinhead_images_classified_total", null, Interlocked.Read(ref imagesClassified));

        Header(text, "twinhead_model_reloads_total", "counter", "Model file reloads by outcome.");
        foreach (var (outcome, count) in reloads.OrderBy(p => p.Key, StringComparer.Ordinal))
            Sample(text, "twinhead_model_reloads_total", $"outcome=\"{Escape(outcome)}\"", Interlocked.Read(ref count[0]));
        if (ModelId() is { } id)
        {
            Header(text, "twinhead_model_info", "gauge", "The model being served.");
            Sample(text, "twinhead_model_info", $"model_id=\"{Escape(id)}\"", 1);
        }

        using var process = Process.GetCurrentProcess();
        Header(text, "process_resident_memory_bytes", "gauge", "Resident memory of the service process.");
        Sample(text, "process_resident_memory_bytes", null, process.WorkingSet64);
        Header(text, "process_cpu_seconds_total", "counter", "CPU time of the service process.");
        Sample(text, "process_cpu_seconds_total", null, process.TotalProcessorTime.TotalSeconds);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (labels is not null) text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A cumulative histogram with fixed bucket bounds.</summary>
    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] counts = new long[bounds.Length + 1];
        private readonly Lock sync = new();
        private double sum;

        public void Observe(double value)
        {
            var bucket = Array.FindIndex(bounds, b => value <= b);
            lock (sync)
            {
                counts[bucket < 0 ? bounds.Length : bucket]++;
                sum += value;
            }
        }

        public void Write(StringBuilder text, string name)
        {
            long[] snapshot;
            double total;
            lock (sync)
            {
                snapshot = (long[])counts.Clone();
                total = sum;
            }
            long cumulative = 0;
            for (var i = 0; i < bounds.Length; i++)
            {
                cumulative += snapshot[i];
                Sample(text, name + "_bucket", $"le=\"{Format(bounds[i])}\"", cumulative);
            }
            cumulative += snapshot[^1];
            Sample(text, name + "_bucket", "le=\"+Inf\"", cumulative);
            Sample(text, name + "_sum", null, total);
            Sample(text, name + "_count", null, cumulative);
        }
    }
}
