using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TwinHead.Inference;

namespace TwinHead.Server;

/// <summary>
/// One loaded model version: its classifier, its micro-batcher and its identity. Reference-counted so that a reload
/// can retire it while requests that started on it finish on it (their tensors were made with its preprocessing).
/// </summary>
public sealed class LoadedModel
{
    private int references = 1;

    internal LoadedModel(TwinHeadClassifier classifier, MicroBatcher batcher, string id, string sha256, DateTimeOffset loadedAt)
    {
        Classifier = classifier;
        Batcher = batcher;
        Id = id;
        Sha256 = sha256;
        LoadedAt = loadedAt;
    }

    /// <summary>The classifier (metadata, thresholds, preprocessing).</summary>
    public TwinHeadClassifier Classifier { get; }

    /// <summary>Batches this model's runs.</summary>
    public MicroBatcher Batcher { get; }

    /// <summary>File name and the first 12 hex digits of the file's SHA-256, e.g. <c>model-3f2a9c01d4e5</c>.</summary>
    public string Id { get; }

    /// <summary>SHA-256 of the model file, hex.</summary>
    public string Sha256 { get; }

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Takes a reference unless the model is already retired and released.</summary>
    internal bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref references, current + 1, current) == current) return true;
        }
    }

    /// <summary>Drops a reference; the last one out runs what is queued and frees the session.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref references) != 0) return;
        Batcher.Dispose();
        Classifier.Dispose();
    }
}

/// <summary>A request's hold on a model version; dispose when the request no longer needs it.</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? model;

    internal ModelLease(LoadedModel model) => this.model = model;

    /// <summary>The leased model.</summary>
    public LoadedModel Model => model ?? throw new ObjectDisposedException(nameof(ModelLease));

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref model, null)?.Release();
}

/// <summary>
/// Holds the model being served and swaps in a new version when the file changes (watched, debounced), without
/// dropping requests: requests in flight keep the version they started with, new requests get the new one, and the old
/// session is freed when its last request ends. A file that fails to load leaves the current model in service.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly ServiceOptions options;
    private readonly ServiceMetrics metrics;
    private readonly ILogger logger;
    private readonly SemaphoreSlim reloadLock = new(1, 1);
    private readonly FileSystemWatcher? watcher;
    private readonly Timer debounce;
    private LoadedModel? current;
    private bool disposed;

    /// <summary>Loads the model (throws naming the file when it cannot) and starts watching it when the options say so.</summary>
    public ModelHost(ServiceOptions options, ServiceMetrics metrics, ILogger<ModelHost> logger)
    {
        this.options = options.Validate();
        this.metrics = metrics;
        this.logger = logger;
        ModelPath = Path.GetFullPath(options.ModelPath);
        current = Load();
        metrics.QueuedImages = () => Volatile.Read(ref current)?.Batcher.QueuedImages ?? 0;
        metrics.ModelId = () => Volatile.Read(ref current)?.Id;
        logger.LogInformation("Serving model {Id} from {Path}", current.Id, ModelPath);
        debounce = new Timer(_ => _ = ReloadFromWatcherAsync());
        if (options.WatchModel)
        {
            watcher = new FileSystemWatcher(Path.GetDirectoryName(ModelPath)!, Path.GetFileName(ModelPath))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => ScheduleReload();
            watcher.Created += (_, _) => ScheduleReload();
            watcher.Renamed += (_, _) => ScheduleReload();
            watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The watched model file (absolute).</summary>
    public string ModelPath { get; }

    /// <summary>The version new requests get.</summary>
    public LoadedModel Current => Volatile.Read(ref current) ?? throw new ObjectDisposedException(nameof(ModelHost));

    /// <summary>Holds the current version for one request.</summary>
    public ModelLease Acquire()
    {
        while (true)
        {
            var model = Current;
            if (model.TryAddReference()) return new ModelLease(model);
            // Lost a race with a reload that released this version: the next read sees its successor.
        }
    }

    /// <summary>
    /// Loads the model file again and swaps it in when its content changed. Returns the version in service afterwards.
    /// Throws naming the file when the new file cannot be loaded (the old version stays in service).
    /// </summary>
    public async Task<LoadedModel> ReloadAsync()
    {
        await reloadLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var old = Current;
            if (string.Equals(HashFile(ModelPath), old.Sha256, StringComparison.Ordinal)) return old;
            LoadedModel replacement;
            try
            {
                replacement = Load();
            }
            catch
            {
                metrics.CountReload("failed");
                throw;
            }
            Volatile.Write(ref current, replacement);
            old.Release();
            metrics.CountReload("ok");
            logger.LogInformation("Reloaded model: {Old} -> {New}", old.Id, replacement.Id);
            return replacement;
        }
        finally
        {
            reloadLock.Release();
        }
    }

    /// <summary>Stops waiting for batches to fill: at shutdown, queued images run at once.</summary>
    public void Flush() => Volatile.Read(ref current)?.Batcher.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        reloadLock.Wait();
        try
        {
            if (disposed) return;
            disposed = true;
            watcher?.Dispose();
            debounce.Dispose();
            Interlocked.Exchange(ref current, null)?.Release();
        }
        finally
        {
            reloadLock.Release();
        }
    }

    private void ScheduleReload()
    {
        try
        {
            debounce.Change(options.ReloadDebounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: no reload.
        }
    }

    private async Task ReloadFromWatcherAsync()
    {
        try
        {
            await ReloadAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FileNotFoundException or ArgumentException)
        {
            logger.LogWarning("Model reload failed; still serving {Id}: {Message}", Volatile.Read(ref current)?.Id, e.Message);
        }
    }

    private LoadedModel Load()
    {
        var sha = HashFile(ModelPath);
        var classifier = TwinHeadClassifier.Load(ModelPath, new ClassifierOptions
        {
            IntraOpThreads = options.IntraOpThreads,
            MaxPixels = options.MaxPixels,
            MaxBytes = options.MaxImageBytes,
            BatchSize = options.MaxBatchSize,
        });
        var batcher = new MicroBatcher(classifier, options.MaxBatchSize, options.MaxBatchWait, metrics);
        var id = $"{Path.GetFileNameWithoutExtension(ModelPath)}-{sha[..12]}";
        return new LoadedModel(classifier, batcher, id, sha, DateTimeOffset.UtcNow);
    }

    private static string HashFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
