using System.Threading.Channels;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Imaging;

namespace TwinHead.Training.Data;

/// <summary>A batch ready for the model: normalised CHW floats, labels and the dataset indices they came from.</summary>
/// <param name="Pixels">Float32 data of shape (N, 3, H, W).</param>
/// <param name="Labels">Three-way labels.</param>
/// <param name="Indices">Dataset indices of the samples.</param>
public sealed record Batch(float[] Pixels, long[] Labels, int[] Indices)
{
    /// <summary>Samples in the batch.</summary>
    public int Count => Labels.Length;
}

/// <summary>How the loader draws samples.</summary>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="Shuffle">Shuffle per epoch (training) or keep CSV order (evaluation).</param>
/// <param name="Augmentation">Augmentation, or null for none (evaluation).</param>
/// <param name="Weighted">Class-balanced sampling with replacement instead of a permutation.</param>
/// <param name="Workers">Decode/augment threads (0: one per core).</param>
/// <param name="Prefetch">Batches prepared ahead.</param>
/// <param name="MaxBatches">Stop after this many batches (0: all).</param>
/// <param name="Perturbation">A fixed change applied to every image after any augmentation (a probe of what the model leans
/// on), or null.</param>
public sealed record LoaderOptions(int BatchSize, bool Shuffle, AugmentationOptions? Augmentation, bool Weighted = false,
    int Workers = 0, int Prefetch = 2, int MaxBatches = 0, ImagePerturbation? Perturbation = null);

/// <summary>
/// Produces batches in parallel into a bounded queue: decode (scaled JPEG) and resize once, keep the result in the
/// <see cref="DecodedImageCache"/>, then augment per epoch with randomness keyed by (seed, epoch, index).
/// </summary>
public sealed class BatchLoader
{
    private readonly ImageDataset dataset;
    private readonly ImagePreprocessor preprocessor;
    private readonly DecodedImageCache? cache;
    private readonly int seed;

    /// <summary>A loader over <paramref name="dataset"/> with preprocessing <paramref name="spec"/>.</summary>
    public BatchLoader(ImageDataset dataset, PreprocessingSpec spec, ImageDecodeLimits limits, DecodedImageCache? cache, int seed)
    {
        this.dataset = dataset;
        preprocessor = new ImagePreprocessor(spec, limits);
        this.cache = cache;
        this.seed = seed;
    }

    /// <summary>The preprocessing spec.</summary>
    public PreprocessingSpec Spec => preprocessor.Spec;

    /// <summary>Number of batches one epoch yields with <paramref name="options"/>.</summary>
    public int BatchCount(LoaderOptions options)
    {
        var count = (dataset.Count + options.BatchSize - 1) / options.BatchSize;
        return options.MaxBatches > 0 ? Math.Min(count, options.MaxBatches) : count;
    }

    /// <summary>The sample order of an epoch: a seeded permutation, class-balanced draws, or CSV order.</summary>
    public int[] Order(int epoch, LoaderOptions options)
    {
        var n = dataset.Count;
        var random = SampleRandom.For(seed, epoch, -1);
        if (options.Weighted)
        {
            var counts = dataset.ClassCounts();
            var weights = dataset.Items.Select(i => 1.0 / counts[(int)i.Label]).ToArray();
            var cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++) cumulative[i] = sum += weights[i];
            return Enumerable.Range(0, n).Select(_ =>
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
                return Math.Min(index < 0 ? ~index : index, n - 1);
            }).ToArray();
        }
        var order = Enumerable.Range(0, n).ToArray();
        if (options.Shuffle) random.Shuffle(order);
        return order;
    }

    /// <summary>Yields the batches of one epoch, prepared on background threads at most <see cref="LoaderOptions.Prefetch"/> ahead.</summary>
    public async IAsyncEnumerable<Batch> ReadEpochAsync(int epoch, LoaderOptions options,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var order = Order(epoch, options);
        var batches = BatchCount(options);
        // The JPEG augmentation's encoder is chosen once per process and sets a C environment variable for TurboJPEG:
        // choose it here, before the workers start, not inside one of them.
        if (options.Augmentation is { JpegQualityMin: > 0 }) _ = JpegEncoder.Name;
        var channel = Channel.CreateBounded<Task<Batch>>(new BoundedChannelOptions(Math.Max(1, options.Prefetch)) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var b = 0; b < batches; b++)
                {
                    var start = b * options.BatchSize;
                    var indices = order[start..Math.Min(order.Length, start + options.BatchSize)];
                    await channel.Writer.WriteAsync(Task.Run(() => Assemble(indices, epoch, options), cancellationToken), cancellationToken);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, cancellationToken);
        await foreach (var pending in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return await pending;
        }
        await producer;
    }

    /// <summary>Prepares the samples at <paramref name="indices"/> as one batch.</summary>
    public Batch Assemble(int[] indices, int epoch, LoaderOptions options)
    {
        var (w, h) = (Spec.Width, Spec.Height);
        var plane = 3 * w * h;
        var pixels = new float[indices.Length * plane];
        var labels = new long[indices.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers > 0 ? options.Workers : Environment.ProcessorCount };
        try
        {
            Parallel.For(0, indices.Length, parallel, k =>
            {
                var index = indices[k];
                var image = Load(index);
                if (options.Augmentation is { } augmentation)
                    image = ImageAugmenter.Apply(image, augmentation, SampleRandom.For(seed, epoch, index));
                if (options.Perturbation is { Kind: not PerturbationKind.None } perturbation)
                    image = perturbation.Apply(image, new Random(SampleRandom.Mix(seed, -1 - epoch, index)));
                TensorWriter.WriteChw(image, Spec, pixels.AsSpan(k * plane, plane));
                labels[k] = (long)dataset.Items[index].Label;
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(i => i is DatasetException) is { } unreadable)
        {
            // An unreadable image is bad input, not a crash: surface its own message (file:line and why), not the wrapper's.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unreadable).Throw();
        }
        return new Batch(pixels, labels, indices);
    }

    private RgbImage Load(int index)
    {
        if (cache?.TryGet(index) is { } cached) return cached;
        var path = dataset.PathOf(index);
        RgbImage image;
        try
        {
            image = preprocessor.DecodeAndResize(File.ReadAllBytes(path), path);
        }
        catch (ImageDecodeException e)
        {
            var item = dataset.Items[index];
            throw new DatasetException($"{item.Where}: cannot read image '{item.RelativePath}': {e.Message}", []);
        }
        cache?.Add(index, image);
        return image;
    }
}

/// <summary>Decoded, resized images kept in memory across epochs, up to a byte budget.</summary>
public sealed class DecodedImageCache(int capacity, long maxBytes)
{
    private readonly RgbImage?[] images = new RgbImage?[capacity];
    private long bytes;

    /// <summary>Bytes held.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The cached image of <paramref name="index"/>, or null.</summary>
    public RgbImage? TryGet(int index) => Volatile.Read(ref images[index]);

    /// <summary>Caches an image unless the budget is spent.</summary>
    public void Add(int index, RgbImage image)
    {
        if (Interlocked.Add(ref bytes, image.Pixels.Length) > maxBytes)
        {
            Interlocked.Add(ref bytes, -image.Pixels.Length);
            return;
        }
        if (Interlocked.CompareExchange(ref images[index], image, null) is not null)
            Interlocked.Add(ref bytes, -image.Pixels.Length);
    }
}
