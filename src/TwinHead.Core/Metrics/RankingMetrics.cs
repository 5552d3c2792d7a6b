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
}
