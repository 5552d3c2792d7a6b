using System.Buffers;
using System.Diagnostics;
using TwinHead.Inference;

namespace TwinHead.Server;

/// <summary>One image's model outputs and how its batch went.</summary>
/// <param name="Screen">p(screen).</param>
/// <param name="NotDocument">p(not_document).</param>
/// <param name="QueueWait">Time from submission to the start of its model run.</param>
/// <param name="ModelTime">Duration of the whole batch's model run.</param>
/// <param name="BatchSize">Images in that run.</param>
public readonly record struct BatchedOutput(float Screen, float NotDocument, TimeSpan QueueWait, TimeSpan ModelTime, int BatchSize);

/// <summary>
/// Gathers preprocessed images from concurrent callers into model runs of up to <c>maxBatch</c> images through one shared
/// session, on one dedicated thread. Once the model is free, the first waiting image waits at most <c>maxWait</c> for
/// others to join; under load, images pile up during a run and the next run takes them all without waiting.
/// </summary>
public sealed class MicroBatcher : IDisposable
{
    private readonly TwinHeadClassifier classifier;
    private readonly int maxBatch;
    private readonly TimeSpan maxWait;
    private readonly ServiceMetrics? metrics;
    private readonly Queue<WorkItem> queue = new();
    private readonly object sync = new();
    private readonly Thread thread;
    private bool closing;
    private int pending;
    private bool flushing;

    /// <summary>Starts the batching thread.</summary>
    /// <param name="classifier">The model; its session is shared by all batches.</param>
    /// <param name="maxBatch">Most images per model run.</param>
    /// <param name="maxWait">Longest the first image of a batch waits for company.</param>
    /// <param name="metrics">Where batch sizes and waits are recorded (optional).</param>
    public MicroBatcher(TwinHeadClassifier classifier, int maxBatch, TimeSpan maxWait, ServiceMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.classifier = classifier;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.metrics = metrics;
        thread = new Thread(Run) { IsBackground = true, Name = "twinhead-batcher" };
        thread.Start();
    }

    /// <summary>Images submitted whose model run has not finished (waiting in the queue or gathered into the next batch).</summary>
    public int QueuedImages => Volatile.Read(ref pending);

    /// <summary>Stop waiting for batches to fill (used when the service drains at shutdown).</summary>
    public void Flush()
    {
        lock (sync)
        {
            flushing = true;
            Monitor.PulseAll(sync);
        }
    }

    /// <summary>
    /// Queues one preprocessed tensor (exactly <see cref="TwinHeadClassifier.TensorLength"/> floats, copied before the
    /// task completes, so the caller may reuse it afterwards) and completes when its batch has run.
    /// </summary>
    public Task<BatchedOutput> SubmitAsync(float[] tensor)
    {
        if (tensor.Length < classifier.TensorLength) throw new ArgumentException($"the tensor has {tensor.Length} floats; the model needs {classifier.TensorLength}", nameof(tensor));
        var item = new WorkItem(tensor, Stopwatch.GetTimestamp());
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(closing, this);
            queue.Enqueue(item);
            Interlocked.Increment(ref pending);
            Monitor.Pulse(sync);
        }
        return item.Done.Task;
    }

    /// <summary>Runs what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            if (closing) return;
            closing = true;
            Monitor.PulseAll(sync);
        }
        thread.Join();
    }

    private void Run()
    {
        var length = classifier.TensorLength;
        var batch = new List<WorkItem>(maxBatch);
        var buffer = ArrayPool<float>.Shared.Rent(maxBatch * length);
        try
        {
            while (Collect(batch))
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch.Count; i++) batch[i].Tensor.AsSpan(0, length).CopyTo(buffer.AsSpan(i * length, length));
                try
                {
                    var (screen, notDocument) = classifier.RunModel(buffer.AsSpan(0, batch.Count * length), batch.Count);
                    var modelTime = Stopwatch.GetElapsedTime(start);
                    metrics?.ObserveBatch(batch.Count, Stopwatch.GetElapsedTime(batch[0].SubmittedAt, start));
                    for (var i = 0; i < batch.Count; i++)
                        batch[i].Done.TrySetResult(new BatchedOutput(screen[i], notDocument[i], Stopwatch.GetElapsedTime(batch[i].SubmittedAt, start), modelTime, batch.Count));
                }
                catch (Exception e)
                {
                    // A failing model run fails its callers, not the batching thread.
                    foreach (var item in batch) item.Done.TrySetException(e);
                }
                Interlocked.Add(ref pending, -batch.Count);
                batch.Clear();
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Waits for work and fills <paramref name="batch"/>; false when closing and nothing is left.</summary>
    private bool Collect(List<WorkItem> batch)
    {
        lock (sync)
        {
            while (queue.Count == 0)
            {
                if (closing) return false;
                Monitor.Wait(sync);
            }
            batch.Add(queue.Dequeue());
            var deadline = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
            while (batch.Count < maxBatch)
            {
                if (queue.Count > 0)
                {
                    batch.Add(queue.Dequeue());
                    continue;
                }
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (closing || flushing || remaining <= TimeSpan.Zero) break;
                Monitor.Wait(sync, remaining);
            }
            return true;
        }
    }

    private sealed class WorkItem(float[] tensor, long submittedAt)
    {
        public float[] Tensor { get; } = tensor;

        public long SubmittedAt { get; } = submittedAt;

        public TaskCompletionSource<BatchedOutput> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
