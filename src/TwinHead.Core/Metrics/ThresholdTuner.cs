namespace TwinHead.Core.Metrics;

/// <summary>A threshold and what it achieves on the data it was chosen on.</summary>
/// <param name="Threshold">Positive when score &gt;= threshold.</param>
/// <param name="Metrics">Counts and metrics at that threshold.</param>
/// <param name="TargetMet">Whether the requested target was reached (always true for F1 tuning).</param>
public sealed record ThresholdChoice(double Threshold, BinaryMetrics Metrics, bool TargetMet);

/// <summary>One point of a threshold sweep.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="Metrics">Metrics at it.</param>
public sealed record SweepPoint(double Threshold, BinaryMetrics Metrics);

/// <summary>Chooses decision thresholds on validation data (DESIGN section 6).</summary>
public static class ThresholdTuner
{
    /// <summary>
    /// Every distinct score as a candidate threshold (plus 1.0 + epsilon, which predicts nothing), with its metrics, ascending.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Sweep(IReadOnlyList<int> actual, IReadOnlyList<double> scores)
    {
        if (actual.Count != scores.Count) throw new ArgumentException($"{actual.Count} targets but {scores.Count} scores");
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        long positives = actual.Count(a => a != 0), negatives = actual.Count - positives;
        var points = new List<SweepPoint> { new(Math.BitIncrement(Math.Max(1.0, scores.DefaultIfEmpty(0).Max())), new BinaryMetrics(0, 0, negatives, positives)) };
        long tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (actual[order[k]] != 0) tp++; else fp++;
            // Only emit a point after the last sample sharing this score: a threshold takes all equal scores at once.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;
            points.Add(new SweepPoint(scores[order[k]], new BinaryMetrics(tp, fp, negatives - fp, positives - tp)));
        }
        points.Reverse();
        return points;
    }

    /// <summary>
    /// The threshold with the highest recall among those whose precision reaches <paramref name="targetPrecision"/>
    /// (ties: the highest threshold). When none does, the threshold of the highest precision, with TargetMet false.
    /// </summary>
    public static ThresholdChoice ForPrecision(IReadOnlyList<int> actual, IReadOnlyList<double> scores, double targetPrecision)
    {
        var sweep = Sweep(actual, scores).Where(p => p.Metrics.TruePositives + p.Metrics.FalsePositives > 0).ToList();
        if (sweep.Count == 0) return new ThresholdChoice(0.5, BinaryMetrics.AtThreshold(actual, scores, 0.5), false);
        var meeting = sweep.Where(p => p.Metrics.Precision >= targetPrecision).ToList();
        if (meeting.Count > 0)
        {
            var best = meeting.OrderByDescending(p => p.Metrics.Recall).ThenByDescending(p => p.Threshold).First();
            return new ThresholdChoice(best.Threshold, best.Metrics, true);
        }
        var fallback = sweep.OrderByDescending(p => p.Metrics.Precision).ThenByDescending(p => p.Metrics.Recall).First();
        return new ThresholdChoice(fallback.Threshold, fallback.Metrics, false);
    }

    /// <summary>The threshold of the highest F1 (ties: the one closest to 0.5).</summary>
    public static ThresholdChoice ForBestF1(IReadOnlyList<int> actual, IReadOnlyList<double> scores)
    {
        var best = Sweep(actual, scores).OrderByDescending(p => p.Metrics.F1).ThenBy(p => Math.Abs(p.Threshold - 0.5)).First();
        return new ThresholdChoice(best.Threshold, best.Metrics, true);
    }
}
