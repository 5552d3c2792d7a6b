namespace TwinHead.Training.Data;

/// <summary>
/// An endless supply of batches from a (usually unlabeled) dataset: its epochs follow one another, each shuffled by its own
/// number, prepared in the background like the training batches. Disposing stops the background work.
/// </summary>
public sealed class UnlabeledBatchStream : IDisposable
{
    private readonly BatchLoader loader;
    private readonly LoaderOptions options;
    private readonly CancellationTokenSource stop;
    private IEnumerator<Batch>? current;
    private int epoch;

    /// <summary>Batches of <paramref name="loader"/>'s dataset drawn with <paramref name="options"/>, until <paramref name="cancellationToken"/> or disposal.</summary>
    public UnlabeledBatchStream(BatchLoader loader, LoaderOptions options, CancellationToken cancellationToken)
    {
        this.loader = loader;
        this.options = options;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Epochs started so far.</summary>
    public int Epochs => epoch;

    /// <summary>The next batch; a new epoch starts when the last one is used up.</summary>
    public Batch Next()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (current is null)
            {
                epoch++;
                current = loader.ReadEpochAsync(epoch, options, stop.Token).ToBlockingEnumerable(stop.Token).GetEnumerator();
            }
            if (current.MoveNext()) return current.Current;
            current.Dispose();
            current = null;
        }
        throw new InvalidOperationException("the unlabeled dataset yields no batch");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            current?.Dispose();
        }
        catch (OperationCanceledException)
        {
            // The producer was mid-batch; nothing of it is needed any more.
        }
        stop.Dispose();
    }
}
