using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Models;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Bench;

/// <summary>
/// Where training time goes: the loader alone over whole epochs (first epoch decodes every JPEG and fills the cache, the second reads
/// the cache; optionally without a cache, as the reference decodes every epoch) and the optimiser step alone on one fixed batch.
/// Compare with <see cref="TrainingThroughput"/>, which runs both together.
/// </summary>
public static class TrainingProfile
{
    /// <summary>Runs the measurements and prints one line each.</summary>
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var root = a.Get("data", "data/quickstart");
        var size = a.GetInt("image-size", 256);
        var batchSize = a.GetInt("batch", 32);
        var workers = a.GetInt("workers", 2);
        var threads = a.GetInt("threads", 2);
        var steps = a.GetInt("steps", 30);
        var part = a.Get("part", "all");
        var config = new TrainingConfig { Data = new DataConfig { Root = root, ImageSize = size, BatchSize = batchSize, Workers = workers } };
        var spec = config.ToPreprocessing();
        var train = ImageDataset.Load(root, "train", requireAllClasses: true);
        var options = new LoaderOptions(batchSize, Shuffle: true, config.Data.Augment.ToOptions(), Workers: workers, Prefetch: config.Data.Prefetch);
        Console.WriteLine($"{train.Count} training images from {root}, {size}px, batch {batchSize}, loader workers {workers}, torch threads {threads}");

        if (part is "all" or "loader")
        {
            var cached = new BatchLoader(train, spec, ImageDecodeLimits.Default, new DecodedImageCache(train.Count, 16L << 30), config.Seed);
            for (var epoch = 1; epoch <= 2; epoch++)
                Invariant.WriteLine($"loader alone, cache on, epoch {epoch} ({(epoch == 1 ? "decoding every JPEG" : "from the cache")}): {LoaderImagesPerSecond(cached, epoch, options):F1} images/s");
            var uncached = new BatchLoader(train, spec, ImageDecodeLimits.Default, null, config.Seed);
            Invariant.WriteLine($"loader alone, cache off (decodes every epoch, as the reference): {LoaderImagesPerSecond(uncached, 1, options):F1} images/s");
        }

        if (part is "all" or "step")
        {
            var autocast = a.Get("precision", "float32") == "bfloat16";
            torch.set_num_threads(threads);
            NativeHeap.ReuseLargeBuffers();
            torch.random.manual_seed(config.Seed);
            using var model = ModelRegistry.Create(config.ToModelOptions());
            model.Network.train();
            var optimizer = torch.optim.Adam(model.Network.parameters(), config.Optim.Lr, weight_decay: config.Optim.WeightDecay);
            var loader = new BatchLoader(train, spec, ImageDecodeLimits.Default, null, config.Seed);
            var batch = loader.Assemble(Enumerable.Range(0, Math.Min(batchSize, train.Count)).ToArray(), 1, options);
            var settings = new LossSettings();
            using var x = tensor(batch.Pixels).view(batch.Count, 3, size, size);
            using var y = tensor(batch.Labels);
            var timer = new Stopwatch();
            for (var i = 0; i < steps + 3; i++)
            {
                if (i == 3) timer.Start();
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                Tensor loss;
                using (autocast ? TwinHead.Training.Precision.CpuAutocast.BFloat16() : null)
                    loss = model.Architecture.Loss(model.Network.call(x), y, settings);
                loss.backward();
                optimizer.step();
                loss.item<float>();
            }
            var seconds = timer.Elapsed.TotalSeconds;
            Invariant.WriteLine($"step alone (fixed batch of {batch.Count}, {threads} torch threads, {(autocast ? "bfloat16 autocast" : "float32")}): {seconds / steps * 1000:F1} ms/step, {steps * batch.Count / seconds:F1} images/s");
        }
        return 0;
    }

    private static double LoaderImagesPerSecond(BatchLoader loader, int epoch, LoaderOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var images = loader.ReadEpochAsync(epoch, options).ToBlockingEnumerable().Sum(b => b.Count);
        return images / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
