using System.Diagnostics;
using System.Globalization;
using System.Text;
using TwinHead.Core.Data;
using TwinHead.Inference;
using TwinHead.Training.Data;
using TwinHead.Training.Export;

namespace TwinHead.Training.Training;

/// <summary>One row of the seed's comparison: an architecture at an input size.</summary>
/// <param name="Architecture"><c>two-headed</c> or <c>three-output</c>.</param>
/// <param name="ImageSize">Square input size.</param>
public sealed record ExperimentRow(string Architecture, int ImageSize)
{
    /// <summary>The talk's three rows plus two heads at 320.</summary>
    public static IReadOnlyList<ExperimentRow> SeedGrid { get; } =
        [new("three-output", 256), new("three-output", 320), new("two-headed", 256), new("two-headed", 320)];

    /// <summary>Parses <c>architecture:size</c>.</summary>
    public static ExperimentRow Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
            throw new ArgumentException($"row '{text}' must look like architecture:size, e.g. two-headed:256");
        return new ExperimentRow(parts[0], size);
    }

    /// <summary>Name as in the talk's table.</summary>
    public string Title => $"{(Architecture == "two-headed" ? "Two heads" : "Three output neurons")} ({ImageSize})";
}

/// <summary>What one row achieved on the test split.</summary>
/// <param name="Row">The row.</param>
/// <param name="Run">Its run folder.</param>
/// <param name="Test">Test evaluation of the best checkpoint (TorchSharp).</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="OnnxBytes">Size of the exported ONNX file.</param>
/// <param name="LatencyMs">Seed latency, bench definition: mean ms per image at batch 1, 1 thread, ONNX Runtime, bytes in memory to probabilities.</param>
/// <param name="TrainingTime">Wall time of training.</param>
public sealed record ExperimentOutcome(ExperimentRow Row, RunFolder Run, Evaluation Test, long Parameters, long OnnxBytes, double LatencyMs, TimeSpan TrainingTime);

/// <summary>
/// Trains and evaluates a grid of architectures and sizes on one dataset and writes the seed's table:
/// screen precision and recall on the test split, latency, model size, parameters, training time.
/// </summary>
public static class ExperimentGrid
{
    /// <summary>Runs every row with <paramref name="baseConfig"/> (architecture and image size replaced per row).</summary>
    public static IReadOnlyList<ExperimentOutcome> Run(TrainingConfig baseConfig, IReadOnlyList<ExperimentRow> rows,
        Func<Func<ITrainingObserver, TrainingResult>, TrainingResult> withObserver, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ExperimentOutcome>();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            var config = (baseConfig with
            {
                Model = baseConfig.Model with { Architecture = row.Architecture },
                Data = baseConfig.Data with { ImageSize = row.ImageSize },
                Name = $"{row.Architecture}-{row.ImageSize}-{stamp}",
            }).Validate();
            var watch = Stopwatch.StartNew();
            var result = withObserver(observer => new Trainer(observer).Train(config, cancellationToken));
            var trainingTime = watch.Elapsed;
            var test = result.Test ?? throw new InvalidDataException($"{config.Data.Root}: no test split; the comparison reports test metrics");
            using var best = CheckpointFile.Load(result.Run.BestCheckpoint);
            var onnx = Path.Combine(result.Run.Path, "model.onnx");
            var export = OnnxExporter.Export(best.Model, best.Metadata, onnx);
            var testSet = ImageDataset.Load(config.Data.Root, SplitNames.Test, requireAllClasses: false);
            var images = Enumerable.Range(0, Math.Min(100, testSet.Count))
                .Select(i => new EncodedImage(testSet.Items[i].RelativePath, File.ReadAllBytes(testSet.PathOf(i)))).ToArray();
            var bench = InferenceBenchmark.Run(onnx, images, new BenchmarkOptions { Threads = 1 });
            outcomes.Add(new ExperimentOutcome(row, result.Run, test, best.Model.ParameterCount, export.FileBytes, bench.EndToEnd?.MeanMs ?? double.NaN, trainingTime));
        }
        return outcomes;
    }

    /// <summary>The seed's table as Markdown, our rows and then the talk's.</summary>
    public static string ToMarkdown(IReadOnlyList<ExperimentOutcome> outcomes, string dataDescription)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Test split of {dataDescription}. Precision and recall of the screen class; latency: mean time per image at batch 1, 1 thread, ONNX Runtime, from JPEG bytes in memory through decode, transforms, model and softmax.");
        s.AppendLine();
        s.AppendLine("| Model (img size) | Precision | Recall | Latency (s) | Parameters | ONNX size | Training time |");
        s.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var o in outcomes)
        {
            var screen = o.Test.Report.ScreenClass;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {o.Row.Title} | {screen.Precision:F3} | {screen.Recall:F3} | {o.LatencyMs / 1000:F4} | {o.Parameters:N0} | {o.OnnxBytes / 1e6:F2} MB | {o.TrainingTime.TotalSeconds:F0} s |");
        }
        s.AppendLine("| *talk: Three output neurons (256)* | *0.993* | *0.855* | *0.027* | | | |");
        s.AppendLine("| *talk: Three output neurons (320)* | *1.0* | *0.846* | *0.029* | | | |");
        s.AppendLine("| *talk: Two heads (256)* | *1.0* | *0.873* | *0.029* | | | |");
        return s.ToString();
    }
}
