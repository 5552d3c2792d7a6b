namespace TwinHead.Server;

/// <summary>
/// Bounds the classify requests being served and those waiting for a slot. A request beyond both bounds is refused at
/// once (the caller answers 503 + Retry-After) instead of queuing without limit, so memory and latency stay bounded
/// under overload. Admission happens before the body is read: waiting requests hold no image bytes.
/// </summary>
public sealed class AdmissionGate : IDisposable
{
    private readonly SemaphoreSlim slots;
    private readonly int capacity;
    private int admitted;

    /// <summary>Creates the gate.</summary>
    /// <param name="maxActive">Requests served at once.</param>
    /// <param name="maxQueued">Requests allowed to wait for a slot.</param>
    public AdmissionGate(int maxActive, int maxQueued)
    {
        MaxActive = maxActive;
        slots = new SemaphoreSlim(maxActive, maxActive);
        capacity = maxActive + maxQueued;
    }

    /// <summary>Requests served at once.</summary>
    public int MaxActive { get; }

    /// <summary>Requests being served now.</summary>
    public int Active => MaxActive - slots.CurrentCount;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref admitted) - Active);

    /// <summary>
    /// Waits for a slot. Returns null when the queue is full (refuse the request); otherwise a lease to dispose when the request ends.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires while waiting.
    /// </summary>
    public async ValueTask<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref admitted) > capacity)
        {
            Interlocked.Decrement(ref admitted);
            return null;
        }
        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref admitted);
            throw;
        }
        return new Lease(this);
    }

    /// <inheritdoc />
    public void Dispose() => slots.Dispose();

    private sealed class Lease(AdmissionGate gate) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            gate.slots.Release();
            Interlocked.Decrement(ref gate.admitted);
        }
    }
}
