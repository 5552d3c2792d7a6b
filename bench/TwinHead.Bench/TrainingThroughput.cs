using System.Globalization;
using TwinHead.Training.Training;

namespace TwinHead.Bench;

/// <summary>
/// Training throughput of whole epochs from JPEG files at batch 32 (issue goal: at least 1.2x the reference Python pipeline's
/// images/s on the same data and machine). Validation is excluded from the figure; loading, augmentation, forward, backward and
/// the optimiser step are included.
/// </summary>
public static class TrainingThroughput
{
    /// <summary>Runs the measurement and prints one line per epoch.</summary>
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var output = Path.Combine(Path.GetTempPath(), $"twinhead-bench-{Environment.ProcessId}");
        var config = new TrainingConfig
        {
            Data = new DataConfig
            {
                Root = a.Get("data", "data/quickstart"),
                ImageSize = a.GetInt("image-size", 256),
                BatchSize = a.GetInt("batch", 32),
                Workers = a.GetInt("workers", 2),
                Cache = a.Get("cache", "true") == "true",
            },
            Model = new ModelConfig { Architecture = a.Get("architecture", "two-headed") },
            Optim = new OptimConfig { Epochs = a.GetInt("epochs", 2) },
            Threads = a.GetInt("threads", 2),
            Precision = a.Get("precision", "float32"),
            Output = output,
            Name = "bench",
            Tensorboard = false,
        };
        try
        {
            var observer = new SilentObserver();
            var result = new Trainer(observer).Train(config);
            Console.WriteLine($"data {config.Data.Root}, {config.Model.Architecture}, {config.Data.ImageSize}px, batch {config.Data.BatchSize}, " +
                              $"torch threads {config.Threads}, loader workers {config.Data.Workers}, cache {config.Data.Cache}");
            foreach (var e in result.Epochs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {e.Epoch}: {e.ImagesPerSecond:F1} images/s ({(e.Epoch == 1 ? "decoding every JPEG" : "decoded images from the cache")})"));
            }
            return 0;
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    private sealed class SilentObserver : ITrainingObserver
    {
        public void OnStart(RunFolder run, TrainingConfig config, int trainImages, int valImages, int stepsPerEpoch, int firstEpoch) =>
            Console.WriteLine($"{trainImages} training images, {stepsPerEpoch} steps per epoch");

        public void OnStep(StepProgress progress) { }

        public void OnEpoch(EpochSummary summary) { }

        public void OnMessage(string message) { }
    }
}
