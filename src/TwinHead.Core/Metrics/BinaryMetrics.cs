namespace TwinHead.Core.Metrics;

/// <summary>Counts of a binary decision and the metrics derived from them. Undefined ratios (0/0) are 0, as scikit-learn's zero_division=0.</summary>
public readonly record struct BinaryMetrics(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>Number of samples counted.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>(TP + TN) / total.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);

    /// <summary>TP / (TP + FP).</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Counts the decisions of <paramref name="predicted"/> against <paramref name="actual"/> (1 positive, 0 negative).</summary>
    public static BinaryMetrics From(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        if (actual.Count != predicted.Count) throw new ArgumentException($"{actual.Count} targets but {predicted.Count} predictions");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            switch ((actual[i] != 0, predicted[i] != 0))
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }
        }
        return new BinaryMetrics(tp, fp, tn, fn);
    }

    /// <summary>Counts decisions made by thresholding scores: positive when score &gt;= threshold.</summary>
    public static BinaryMetrics AtThreshold(IReadOnlyList<int> actual, IReadOnlyList<double> scores, double threshold) =>
        From(actual, scores.Select(s => s >= threshold ? 1 : 0).ToArray());

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
