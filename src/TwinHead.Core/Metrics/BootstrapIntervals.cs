using TwinHead.Core.Labels;

namespace TwinHead.Core.Metrics;

/// <summary>A metric on the whole data and the percentile interval of its bootstrap distribution.</summary>
/// <param name="Name">Metric name, as in metrics files (<c>screen precision</c>, ...).</param>
/// <param name="Value">The metric on the data as given.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
public sealed record MetricInterval(string Name, double Value, double Low, double High);

/// <summary>A metric of two models on the same images, and the interval of their difference A − B over paired resamples.</summary>
/// <param name="Name">Metric name.</param>
/// <param name="A">The metric of model A on the data as given.</param>
/// <param name="B">The metric of model B on the data as given.</param>
/// <param name="Low">Lower end of the interval of A − B.</param>
/// <param name="High">Upper end of the interval of A − B.</param>
public sealed record MetricDifference(string Name, double A, double B, double Low, double High)
{
    /// <summary>A − B on the data as given.</summary>
    public double Difference => A - B;
}

/// <summary>
/// Percentile-bootstrap confidence intervals of the evaluation's headline metrics: the images are resampled with replacement,
/// the report is recomputed on each resample, and the interval is the middle <c>confidence</c> share of the values. On a
/// test set of a hundred real photos one image moves a recall by two points; the intervals say which differences are noise.
/// </summary>
public static class BootstrapIntervals
{
    /// <summary>The metrics the intervals cover, each read from a report.</summary>
    public static readonly IReadOnlyList<(string Name, Func<ClassificationReport, double> Read)> Metrics =
    [
        ("screen precision", r => r.ScreenHead.Precision),
        ("screen recall", r => r.ScreenHead.Recall),
        ("screen F1", r => r.ScreenHead.F1),
        ("screen ROC AUC", r => r.ScreenRanking.RocAuc),
        ("not_document accuracy", r => r.NotDocumentHead.Accuracy),
        ("not_document ROC AUC", r => r.NotDocumentRanking.RocAuc),
        ("3-way accuracy", r => r.ThreeWay.Accuracy),
        ("3-way macro F1", r => r.ThreeWay.MacroF1),
    ];

    /// <summary>
    /// Intervals from <paramref name="resamples"/> resamples drawn with <paramref name="seed"/> (reproducible). A resample on
    /// which a metric is undefined (a ranking of one class) is left out of that metric's distribution.
    /// </summary>
    public static IReadOnlyList<MetricInterval> Compute(IReadOnlyList<ImagePrediction> predictions, DecisionThresholds thresholds,
        int resamples = 1000, int seed = 0, double confidence = 0.95)
    {
        CheckArguments(predictions.Count, resamples, confidence);
        var full = ClassificationReport.From(predictions, thresholds);
        var values = Resample(predictions.Count, resamples, seed, Metrics.Count, indices =>
        {
            var report = ClassificationReport.From(Pick(predictions, indices), thresholds);
            return Metrics.Select(metric => metric.Read(report)).ToArray();
        });
        return Metrics.Select((metric, m) =>
        {
            var (low, high) = Interval(values[m], confidence);
            return new MetricInterval(metric.Name, metric.Read(full), low, high);
        }).ToList();
    }

    /// <summary>
    /// Paired intervals of A − B for two models' predictions of the same images (same paths and labels, any order): each
    /// resample draws images, not predictions, so both models are scored on the same photos and the photos both get right
    /// or wrong cancel out (usually far narrower than the two models' separate intervals suggest). The rows are
    /// <see cref="Metrics"/> and then <see cref="MatchedRecallName"/>.
    /// </summary>
    public static IReadOnlyList<MetricDifference> CompareModels(IReadOnlyList<ImagePrediction> a, DecisionThresholds thresholdsA,
        IReadOnlyList<ImagePrediction> b, DecisionThresholds thresholdsB, int resamples = 1000, int seed = 0, double confidence = 0.95)
    {
        CheckArguments(a.Count, resamples, confidence);
        var byPath = b.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.First());
        if (byPath.Count != b.Count || b.Count != a.Count || a.Any(p => !byPath.TryGetValue(p.Path, out var q) || q.Actual != p.Actual))
            throw new ArgumentException($"the two models' predictions are not of the same {a.Count} images with the same labels ({b.Count} images on the other side)");
        var paired = a.Select(p => byPath[p.Path]).ToArray();
        var full = PairedValues(a, thresholdsA, paired, thresholdsB);
        var values = Resample(a.Count, resamples, seed, Metrics.Count + 1, indices =>
            PairedValues(Pick(a, indices), thresholdsA, Pick(paired, indices), thresholdsB).Select(v => v.A - v.B).ToArray());
        var names = Metrics.Select(m => m.Name).Append(MatchedRecallName).ToArray();
        return names.Select((name, m) =>
        {
            var (low, high) = Interval(values[m], confidence);
            return new MetricDifference(name, full[m].A, full[m].B, low, high);
        }).ToList();
    }

    /// <summary>
    /// The row <see cref="CompareModels"/> adds to <see cref="Metrics"/>: each model's screen recall with its threshold set
    /// as low as it can go while raising no more false screen alarms than B does at B's own threshold. Thresholds chosen on
    /// the images being scored flatter both models alike; the row asks which ranks screens better where B operates.
    /// </summary>
    public const string MatchedRecallName = "screen recall at B's false alarms";

    private static (double A, double B)[] PairedValues(IReadOnlyList<ImagePrediction> a, DecisionThresholds thresholdsA,
        IReadOnlyList<ImagePrediction> b, DecisionThresholds thresholdsB)
    {
        var (reportA, reportB) = (ClassificationReport.From(a, thresholdsA), ClassificationReport.From(b, thresholdsB));
        var falseAlarms = (int)reportB.ScreenHead.FalsePositives;
        return Metrics.Select(metric => (metric.Read(reportA), metric.Read(reportB)))
            .Append((MatchedRecall(a, falseAlarms), MatchedRecall(b, falseAlarms)))
            .ToArray();
    }

    private static double MatchedRecall(IReadOnlyList<ImagePrediction> predictions, int falseAlarms) =>
        RankingMetrics.RecallAtFalseAlarms(predictions.Select(p => Head.Screen.TargetOf(p.Actual)).ToArray(),
            predictions.Select(p => p.ScreenProbability).ToArray(), falseAlarms);

    /// <summary>
    /// For each resample of <paramref name="count"/> indices, the <paramref name="rows"/> values <paramref name="score"/> makes
    /// of it, gathered per row; NaN values (undefined on that resample) are left out.
    /// </summary>
    private static List<double>[] Resample(int count, int resamples, int seed, int rows, Func<int[], double[]> score)
    {
        var values = Enumerable.Range(0, rows).Select(_ => new List<double>(resamples)).ToArray();
        var random = new Random(seed);
        var indices = new int[count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < count; i++) indices[i] = random.Next(count);
            var scored = score(indices);
            for (var m = 0; m < rows; m++)
                if (!double.IsNaN(scored[m])) values[m].Add(scored[m]);
        }
        return values;
    }

    private static void CheckArguments(int count, int resamples, double confidence)
    {
        if (count == 0) throw new ArgumentException("no predictions to resample");
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "must be at least 1");
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
    }

    private static ImagePrediction[] Pick(IReadOnlyList<ImagePrediction> predictions, int[] indices) => indices.Select(i => predictions[i]).ToArray();

    /// <summary>The middle <paramref name="confidence"/> share of <paramref name="values"/>; NaN when there are none.</summary>
    private static (double Low, double High) Interval(List<double> values, double confidence)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var sorted = values.Order().ToArray();
        var tail = (1 - confidence) / 2;
        return (Percentile(sorted, tail), Percentile(sorted, 1 - tail));
    }

    /// <summary>Linear interpolation between the order statistics around quantile <paramref name="q"/> of sorted values.</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
