using System.Diagnostics;
using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Training;

/// <summary>Evaluation of one split: predictions, the report, and the seed's latency column.</summary>
/// <param name="Split">Split name.</param>
/// <param name="Predictions">Per image.</param>
/// <param name="Report">Per-head and three-way metrics.</param>
/// <param name="MeanLoss">Mean training loss on the split (same settings as training), or NaN when not computed.</param>
/// <param name="LatencyMilliseconds">Mean batch-1 time per image including decode, transforms and softmax (TorchSharp eager), or NaN.</param>
public sealed record Evaluation(string Split, IReadOnlyList<ImagePrediction> Predictions, ClassificationReport Report, double MeanLoss, double LatencyMilliseconds)
{
    /// <summary>Long-format metric rows for <paramref name="epoch"/>.</summary>
    public IEnumerable<MetricRow> ToMetricRows(int epoch)
    {
        foreach (var (head, m) in new[] { ("screen", Report.ScreenHead), ("not_document", Report.NotDocumentHead) })
        {
            yield return new MetricRow(epoch, Split, head, "accuracy", m.Accuracy);
            yield return new MetricRow(epoch, Split, head, "precision", m.Precision);
            yield return new MetricRow(epoch, Split, head, "recall", m.Recall);
            yield return new MetricRow(epoch, Split, head, "f1", m.F1);
        }
        foreach (var (head, ranking) in new[] { ("screen", Report.ScreenRanking), ("not_document", Report.NotDocumentRanking) })
        {
            if (!double.IsNaN(ranking.RocAuc)) yield return new MetricRow(epoch, Split, head, "roc_auc", ranking.RocAuc);
            if (!double.IsNaN(ranking.AveragePrecision)) yield return new MetricRow(epoch, Split, head, "average_precision", ranking.AveragePrecision);
        }
        yield return new MetricRow(epoch, Split, "three_way", "accuracy", Report.ThreeWay.Accuracy);
        yield return new MetricRow(epoch, Split, "three_way", "macro_f1", Report.ThreeWay.MacroF1);
        if (!double.IsNaN(MeanLoss)) yield return new MetricRow(epoch, Split, "all", "loss", MeanLoss);
        if (!double.IsNaN(LatencyMilliseconds)) yield return new MetricRow(epoch, Split, "all", "latency_ms", LatencyMilliseconds);
    }
}

/// <summary>Runs a model over a labelled split and computes the evaluation protocol's metrics (DESIGN section 6).</summary>
public static class Evaluator
{
    /// <summary>The checkpoint-selection score: validation F1 of head 1 (two heads) or macro F1 (three outputs).</summary>
    public static double SelectionScore(Architecture architecture, ClassificationReport report) =>
        architecture == Architecture.TwoHeaded ? report.ScreenHead.F1 : report.ThreeWay.MacroF1;

    /// <summary>Predicts every image of <paramref name="loader"/>'s dataset in CSV order and reports metrics.</summary>
    /// <param name="model">The model.</param>
    /// <param name="dataset">The split.</param>
    /// <param name="loader">A loader over <paramref name="dataset"/> at the model's preprocessing.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="thresholds">Decision thresholds of the report.</param>
    /// <param name="loss">Also compute the mean training loss with these settings, or null.</param>
    /// <param name="workers">Decode threads (0: one per core).</param>
    /// <param name="perturbation">A fixed change applied to every image at the input size (see <see cref="PerturbationProbe"/>), or null.</param>
    public static Evaluation Evaluate(BuiltModel model, ImageDataset dataset, BatchLoader loader, int batchSize, DecisionThresholds thresholds,
        LossSettings? loss = null, int workers = 0, ImagePerturbation? perturbation = null)
    {
        Precision.Nnpack.Disable();
        // Evaluation batches (64 images of a 256 px ResNet18: a 268 MB first feature map) churn the heap as training does.
        NativeHeap.ReuseLargeBuffers();
        var options = new LoaderOptions(batchSize, Shuffle: false, Augmentation: null, Workers: workers, Perturbation: perturbation);
        var predictions = new List<ImagePrediction>(dataset.Count);
        var lossSum = 0.0;
        model.Network.eval();
        using (no_grad())
        {
            foreach (var batch in loader.ReadEpochAsync(0, options).ToBlockingEnumerable())
            {
                using var scope = NewDisposeScope();
                var x = tensor(batch.Pixels).view(batch.Count, 3, loader.Spec.Height, loader.Spec.Width);
                var logits = model.Network.call(x);
                if (loss is not null)
                    lossSum += model.Architecture.Loss(logits, tensor(batch.Labels), loss).item<float>() * batch.Count;
                var (screen, notDocument) = model.Architecture.Probabilities(logits);
                var ps = screen.data<float>().ToArray();
                var pn = notDocument.data<float>().ToArray();
                for (var k = 0; k < batch.Count; k++)
                {
                    var item = dataset.Items[batch.Indices[k]];
                    predictions.Add(new ImagePrediction(item.RelativePath, item.Label, ps[k], pn[k]));
                }
            }
        }
        var report = ClassificationReport.From(predictions, thresholds);
        return new Evaluation(dataset.Split, predictions, report, loss is null ? double.NaN : lossSum / Math.Max(1, dataset.Count), double.NaN);
    }

    /// <summary>
    /// The seed's latency: mean wall time to classify one image at batch 1, from file bytes in memory through decode,
    /// transforms, model and softmax, after <paramref name="warmup"/> untimed images.
    /// </summary>
    public static double MeasureLatency(BuiltModel model, ImageDataset dataset, ImagePreprocessor preprocessor, int images = 50, int warmup = 5)
    {
        var n = Math.Min(images, dataset.Count);
        if (n == 0) return double.NaN;
        var encoded = Enumerable.Range(0, n).Select(i => File.ReadAllBytes(dataset.PathOf(i))).ToArray();
        var spec = preprocessor.Spec;
        var input = new float[3 * spec.Width * spec.Height];
        model.Network.eval();
        double Classify(byte[] bytes)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            preprocessor.Preprocess(bytes, input, "latency sample");
            var (screen, _) = model.Architecture.Probabilities(model.Network.call(tensor(input).view(1, 3, spec.Height, spec.Width)));
            return screen.item<float>();
        }
        for (var i = 0; i < warmup; i++) Classify(encoded[i % n]);
        var watch = Stopwatch.StartNew();
        foreach (var bytes in encoded) Classify(bytes);
        return watch.Elapsed.TotalMilliseconds / n;
    }
}
