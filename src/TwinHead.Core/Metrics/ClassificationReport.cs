using TwinHead.Core.Labels;

namespace TwinHead.Core.Metrics;

/// <summary>Per-image outputs of a model on a labelled split: the two head probabilities and the true three-way label.</summary>
public sealed record ImagePrediction(string Path, DocumentClass Actual, double ScreenProbability, double NotDocumentProbability);

/// <summary>Everything the evaluation protocol reports for one split: per-head metrics and the three-way answer.</summary>
public sealed record ClassificationReport(
    int Count,
    BinaryMetrics ScreenHead,
    BinaryMetrics NotDocumentHead,
    ConfusionMatrix ThreeWay,
    DecisionThresholds Thresholds)
{
    /// <summary>Computes the report from predictions with the given thresholds (head decisions use each head's threshold).</summary>
    public static ClassificationReport From(IReadOnlyList<ImagePrediction> predictions, DecisionThresholds thresholds)
    {
        var actual = predictions.Select(p => (int)p.Actual).ToArray();
        var screen = BinaryMetrics.AtThreshold(
            predictions.Select(p => Head.Screen.TargetOf(p.Actual)).ToArray(),
            predictions.Select(p => p.ScreenProbability).ToArray(), thresholds.Screen);
        var notDocument = BinaryMetrics.AtThreshold(
            predictions.Select(p => Head.NotDocument.TargetOf(p.Actual)).ToArray(),
            predictions.Select(p => p.NotDocumentProbability).ToArray(), thresholds.NotDocument);
        var decided = predictions.Select(p => (int)thresholds.Decide(p.ScreenProbability, p.NotDocumentProbability)).ToArray();
        return new ClassificationReport(predictions.Count, screen, notDocument, ConfusionMatrix.From(actual, decided), thresholds)
        {
            ScreenRanking = RankingMetrics.From(predictions.Select(p => Head.Screen.TargetOf(p.Actual)).ToArray(), predictions.Select(p => p.ScreenProbability).ToArray()),
            NotDocumentRanking = RankingMetrics.From(predictions.Select(p => Head.NotDocument.TargetOf(p.Actual)).ToArray(), predictions.Select(p => p.NotDocumentProbability).ToArray()),
        };
    }

    /// <summary>Threshold-free ranking quality of the screen head's probabilities (NaN when the split has one class for it).</summary>
    public RankingMetrics ScreenRanking { get; init; } = new(double.NaN, double.NaN);

    /// <summary>Threshold-free ranking quality of the not-document head's probabilities.</summary>
    public RankingMetrics NotDocumentRanking { get; init; } = new(double.NaN, double.NaN);

    /// <summary>The seed's screen precision/recall: the screen class of the three-way answer, one-vs-rest.</summary>
    public BinaryMetrics ScreenClass => ThreeWay.OneVsRest((int)DocumentClass.Screen);
}
