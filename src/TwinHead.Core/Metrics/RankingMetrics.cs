namespace TwinHead.Core.Metrics;

/// <summary>
/// Threshold-free quality of one head's scores: how well they rank positives above negatives, whatever threshold is used
/// later. Two models can then be compared even when one is calibrated differently from the other (its 0.5 sits elsewhere).
/// Both are NaN when the labels hold a single class, where a ranking says nothing.
/// </summary>
/// <param name="RocAuc">Area under the ROC curve: the chance that a random positive scores above a random negative (ties count half).</param>
/// <param name="AveragePrecision">Σ (Rₙ − Rₙ₋₁) · Pₙ over the distinct score thresholds from high to low, as scikit-learn's <c>average_precision_score</c>.</param>
public readonly record struct RankingMetrics(double RocAuc, double AveragePrecision)
{
    /// <summary>The metrics of <paramref name="scores"/> against <paramref name="actual"/> (1 positive, 0 negative).</summary>
    public static RankingMetrics From(IReadOnlyList<int> actual, IReadOnlyList<double> scores)
    {
        if (actual.Count != scores.Count) throw new ArgumentException($"{actual.Count} targets but {scores.Count} scores");
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        long positives = actual.Count(a => a != 0), negatives = actual.Count - positives;
        if (positives == 0 || negatives == 0) return new RankingMetrics(double.NaN, double.NaN);

        // One pass over groups of equal scores, best first: each group adds its pairs with the negatives ranked below it
        // (ties with its own negatives count half) and one step of the precision-recall curve.
        double correctPairs = 0, averagePrecision = 0;
        long truePositives = 0, falsePositives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            long groupPositives = 0, groupNegatives = 0;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                if (actual[order[end]] != 0) groupPositives++; else groupNegatives++;
                end++;
            }
            var negativesBelow = negatives - falsePositives - groupNegatives;
            correctPairs += groupPositives * (negativesBelow + 0.5 * groupNegatives);
            truePositives += groupPositives;
            falsePositives += groupNegatives;
            averagePrecision += (double)groupPositives / positives * truePositives / (truePositives + falsePositives);
            start = end;
        }
        return new RankingMetrics(correctPairs / (positives * negatives), averagePrecision);
    }

    /// <summary>
    /// The share of positives found when the threshold is set as low as it can go while at most <paramref name="falseAlarms"/>
    /// negatives score at or above it: a point of the ROC curve read at a false-alarm count instead of a threshold, so two
    /// models calibrated differently can be compared where they raise the same number of false alarms. Negatives tied at the
    /// cut stay below it (never more false alarms than allowed); NaN without positives.
    /// </summary>
    public static double RecallAtFalseAlarms(IReadOnlyList<int> actual, IReadOnlyList<double> scores, int falseAlarms)
    {
        if (actual.Count != scores.Count) throw new ArgumentException($"{actual.Count} targets but {scores.Count} scores");
        ArgumentOutOfRangeException.ThrowIfNegative(falseAlarms);
        var negatives = scores.Where((_, i) => actual[i] == 0).OrderDescending().ToArray();
        var positives = scores.Where((_, i) => actual[i] != 0).ToArray();
        if (positives.Length == 0) return double.NaN;
        if (falseAlarms >= negatives.Length) return 1;
        // Everything above the highest negative that must not be called positive is called positive.
        var cut = negatives[falseAlarms];
        return (double)positives.Count(s => s > cut) / positives.Length;
    }
}
