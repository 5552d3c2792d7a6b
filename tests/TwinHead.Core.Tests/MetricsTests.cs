using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;

namespace TwinHead.Core.Tests;

public class MetricsTests
{
    [Fact]
    public void Binary_metrics_match_hand_computed_values()
    {
        // actual:    1 1 1 0 0 0 0 1
        // predicted: 1 0 1 1 0 0 0 1  -> TP 3, FN 1, FP 1, TN 3
        var m = BinaryMetrics.From([1, 1, 1, 0, 0, 0, 0, 1], [1, 0, 1, 1, 0, 0, 0, 1]);
        Assert.Equal(new BinaryMetrics(3, 1, 3, 1), m);
        Assert.Equal(0.75, m.Accuracy, 12);
        Assert.Equal(0.75, m.Precision, 12);
        Assert.Equal(0.75, m.Recall, 12);
        Assert.Equal(0.75, m.F1, 12);
    }

    [Fact]
    public void Undefined_ratios_are_zero()
    {
        var m = BinaryMetrics.From([0, 0], [0, 0]);
        Assert.Equal(0, m.Precision);
        Assert.Equal(0, m.Recall);
        Assert.Equal(0, m.F1);
        Assert.Equal(1, m.Accuracy);
    }

    [Fact]
    public void Threshold_is_inclusive()
    {
        var m = BinaryMetrics.AtThreshold([1, 0], [0.5, 0.49], 0.5);
        Assert.Equal(new BinaryMetrics(1, 0, 1, 0), m);
    }

    [Fact]
    public void Confusion_matrix_macro_averages_over_all_configured_classes_even_when_one_is_absent()
    {
        // Only classes 0 and 2 present; class 1 never predicted nor present: its P/R/F1 count as 0, as "average by the configured classes".
        var m = ConfusionMatrix.From([0, 0, 2, 2], [0, 2, 2, 2]);
        Assert.Equal(0.75, m.Accuracy, 12);
        var screen = m.OneVsRest(2);
        Assert.Equal(new BinaryMetrics(2, 1, 1, 0), screen);
        Assert.Equal((1.0 + 0 + 2.0 / 3) / 3, m.MacroPrecision, 12);
        Assert.Equal((0.5 + 0 + 1.0) / 3, m.MacroRecall, 12);
        var normalised = m.RowNormalised();
        Assert.Equal(0.5, normalised[0, 2], 12);
        Assert.Equal(0, normalised[1, 1], 12);
    }

    [Fact]
    public void Decision_cascade_puts_screen_first_then_not_document()
    {
        var t = new DecisionThresholds(0.6, 0.5);
        Assert.Equal(DocumentClass.Screen, t.Decide(0.6, 0.9));
        Assert.Equal(DocumentClass.NotDocument, t.Decide(0.59, 0.5));
        Assert.Equal(DocumentClass.Document, t.Decide(0.1, 0.49));
    }

    [Fact]
    public void Report_uses_each_heads_targets_and_the_three_way_decision()
    {
        ImagePrediction[] predictions =
        [
            new("a", DocumentClass.Screen, 0.9, 0.1),
            new("b", DocumentClass.Screen, 0.2, 0.7),
            new("c", DocumentClass.Document, 0.1, 0.2),
            new("d", DocumentClass.NotDocument, 0.3, 0.8),
            new("e", DocumentClass.Document, 0.6, 0.1),
        ];
        var report = ClassificationReport.From(predictions, DecisionThresholds.Default);
        Assert.Equal(new BinaryMetrics(1, 1, 2, 1), report.ScreenHead);
        // not_document head: positives are label 1 (d); b is a false positive.
        Assert.Equal(new BinaryMetrics(1, 1, 3, 0), report.NotDocumentHead);
        Assert.Equal(1, report.ThreeWay[(int)DocumentClass.Screen, (int)DocumentClass.NotDocument]);
        Assert.Equal(1, report.ThreeWay[(int)DocumentClass.Document, (int)DocumentClass.Screen]);
        Assert.Equal(report.ScreenHead, report.ScreenClass);
    }

    [Fact]
    public void Heads_derive_targets_as_the_reference()
    {
        Assert.Equal([0, 0, 1], DocumentClasses.All.Select(Head.Screen.TargetOf));
        Assert.Equal([0, 1, 0], DocumentClasses.All.Select(Head.NotDocument.TargetOf));
        Assert.Equal(2f, Head.Screen.LossWeight);
        Assert.Equal("not a documents", DocumentClasses.FolderOf(DocumentClass.NotDocument));
    }
}

public class ThresholdTunerTests
{
    private static readonly int[] Actual = [1, 1, 1, 1, 0, 0, 0, 0];
    private static readonly double[] Scores = [0.95, 0.9, 0.6, 0.3, 0.7, 0.2, 0.1, 0.05];

    [Fact]
    public void Sweep_lists_every_distinct_score_with_its_counts()
    {
        var sweep = ThresholdTuner.Sweep(Actual, Scores);
        var at06 = sweep.Single(p => p.Threshold == 0.6);
        Assert.Equal(new BinaryMetrics(3, 1, 3, 1), at06.Metrics);
        Assert.Equal(BinaryMetrics.AtThreshold(Actual, Scores, 0.6), at06.Metrics);
        Assert.Equal(0, sweep[^1].Metrics.TruePositives + sweep[^1].Metrics.FalsePositives);
    }

    [Fact]
    public void Precision_target_picks_the_highest_recall_that_meets_it()
    {
        var choice = ThresholdTuner.ForPrecision(Actual, Scores, 0.99);
        Assert.True(choice.TargetMet);
        Assert.Equal(0.9, choice.Threshold);
        Assert.Equal(1.0, choice.Metrics.Precision);
        Assert.Equal(0.5, choice.Metrics.Recall);

        // At 0.3 all four positives and one negative pass: precision 0.8, recall 1.
        var looser = ThresholdTuner.ForPrecision(Actual, Scores, 0.8);
        Assert.Equal(0.3, looser.Threshold);
        Assert.Equal(1.0, looser.Metrics.Recall);
    }

    [Fact]
    public void Unreachable_target_is_reported_not_met()
    {
        var choice = ThresholdTuner.ForPrecision([0, 0, 1], [0.9, 0.8, 0.1], 0.99);
        Assert.False(choice.TargetMet);
    }

    [Fact]
    public void Best_f1_threshold()
    {
        var choice = ThresholdTuner.ForBestF1(Actual, Scores);
        Assert.Equal(BinaryMetrics.AtThreshold(Actual, Scores, choice.Threshold).F1, choice.Metrics.F1);
        Assert.Equal(ThresholdTuner.Sweep(Actual, Scores).Max(p => p.Metrics.F1), choice.Metrics.F1);
    }

    [Fact]
    public void Ranking_metrics_match_hand_computed_values_with_ties_counted_half()
    {
        // Ranked 0.9+ 0.8- 0.4+ 0.1-: pairs ordered right 3 of 4; AP = 0.5 · 1 + 0.5 · 2/3.
        var m = RankingMetrics.From([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.1]);
        Assert.Equal(0.75, m.RocAuc, 12);
        Assert.Equal(0.5 + 1.0 / 3, m.AveragePrecision, 12);

        var tied = RankingMetrics.From([1, 0], [0.5, 0.5]);
        Assert.Equal(0.5, tied.RocAuc, 12);
        Assert.Equal(0.5, tied.AveragePrecision, 12);

        var perfect = RankingMetrics.From([0, 1, 0, 1], [0.1, 0.7, 0.2, 0.6]);
        Assert.Equal(new RankingMetrics(1, 1), perfect);
        Assert.Equal(0, RankingMetrics.From([0, 1, 0, 1], [0.9, 0.2, 0.8, 0.1]).RocAuc, 12);

        Assert.True(double.IsNaN(RankingMetrics.From([1, 1], [0.2, 0.4]).RocAuc));
        Assert.True(double.IsNaN(RankingMetrics.From([0, 0], [0.2, 0.4]).AveragePrecision));
        Assert.Throws<ArgumentException>(() => RankingMetrics.From([0, 1], [0.2]));
    }

    [Fact]
    public void Recall_at_false_alarms_reads_the_roc_curve_where_that_many_negatives_are_let_through()
    {
        // Ranked 0.9+ 0.8- 0.7+ 0.6+ 0.5- 0.3+ 0.2-.
        int[] actual = [1, 0, 1, 1, 0, 1, 0];
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2];
        Assert.Equal(0.25, RankingMetrics.RecallAtFalseAlarms(actual, scores, 0), 12);
        Assert.Equal(0.75, RankingMetrics.RecallAtFalseAlarms(actual, scores, 1), 12);
        Assert.Equal(1.0, RankingMetrics.RecallAtFalseAlarms(actual, scores, 2), 12);
        Assert.Equal(1.0, RankingMetrics.RecallAtFalseAlarms(actual, scores, 3), 12);

        // A positive tied with the first negative that must stay out is not found: the cut never lets more negatives in.
        Assert.Equal(0.5, RankingMetrics.RecallAtFalseAlarms([1, 1, 0], [0.9, 0.4, 0.4], 0), 12);
        Assert.Equal(0.0, RankingMetrics.RecallAtFalseAlarms([1, 0, 0], [0.4, 0.4, 0.4], 1), 12);

        Assert.True(double.IsNaN(RankingMetrics.RecallAtFalseAlarms([0, 0], [0.2, 0.4], 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.RecallAtFalseAlarms(actual, scores, -1));
        Assert.Throws<ArgumentException>(() => RankingMetrics.RecallAtFalseAlarms([0, 1], [0.2], 0));
    }

    [Fact]
    public void Roc_auc_is_the_share_of_correctly_ordered_pairs_and_ap_the_mean_precision_at_each_positive()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = random.Next(2, 60);
            // Scores on a coarse grid, so ties are common.
            var actual = Enumerable.Range(0, n).Select(_ => random.Next(2)).ToArray();
            var scores = Enumerable.Range(0, n).Select(_ => random.Next(10) / 10.0).ToArray();
            var m = RankingMetrics.From(actual, scores);
            var positives = Enumerable.Range(0, n).Where(i => actual[i] == 1).ToArray();
            var negatives = Enumerable.Range(0, n).Where(i => actual[i] == 0).ToArray();
            if (positives.Length == 0 || negatives.Length == 0)
            {
                Assert.True(double.IsNaN(m.RocAuc));
                continue;
            }
            var pairs = positives.Sum(p => negatives.Sum(q => scores[p] > scores[q] ? 1.0 : scores[p] == scores[q] ? 0.5 : 0));
            Assert.Equal(pairs / (positives.Length * negatives.Length), m.RocAuc, 12);
            // Each positive contributes the precision among everything scored at least as high as it.
            var precisionAtPositives = positives.Select(p =>
                (double)positives.Count(q => scores[q] >= scores[p]) / Enumerable.Range(0, n).Count(i => scores[i] >= scores[p]));
            Assert.Equal(precisionAtPositives.Average(), m.AveragePrecision, 12);
        }
    }

    [Fact]
    public void Report_ranks_each_heads_probabilities_against_its_targets()
    {
        var predictions = new[]
        {
            new ImagePrediction("a", DocumentClass.Screen, 0.9, 0.2),
            new ImagePrediction("b", DocumentClass.Document, 0.3, 0.1),
            new ImagePrediction("c", DocumentClass.NotDocument, 0.4, 0.8),
            new ImagePrediction("d", DocumentClass.Screen, 0.2, 0.3),
        };
        var report = ClassificationReport.From(predictions, new DecisionThresholds(0.5, 0.5));
        Assert.Equal(RankingMetrics.From([1, 0, 0, 1], [0.9, 0.3, 0.4, 0.2]), report.ScreenRanking);
        Assert.Equal(0.5, report.ScreenRanking.RocAuc, 12);
        Assert.Equal(1, report.NotDocumentRanking.RocAuc, 12);
    }

    /// <summary>Screens, documents and not-documents with the given numbers of screens found and not-documents kept.</summary>
    private static List<ImagePrediction> Predictions(int screens, int screensFound, int others)
    {
        var list = new List<ImagePrediction>();
        for (var i = 0; i < screens; i++) list.Add(new($"s{i}", DocumentClass.Screen, i < screensFound ? 0.9 : 0.1 + 0.3 * i / screens, 0.1));
        for (var i = 0; i < others; i++) list.Add(new($"o{i}", i % 2 == 0 ? DocumentClass.Document : DocumentClass.NotDocument, 0.2 * i / others, i % 2 == 0 ? 0.2 : 0.8));
        return list;
    }

    [Fact]
    public void Bootstrap_intervals_are_reproducible_and_centred_on_the_full_data_value()
    {
        var predictions = Predictions(screens: 100, screensFound: 50, others: 100);
        var intervals = BootstrapIntervals.Compute(predictions, DecisionThresholds.Default, resamples: 2000, seed: 3);
        Assert.Equal(BootstrapIntervals.Metrics.Select(m => m.Name), intervals.Select(i => i.Name));
        Assert.Equal(intervals, BootstrapIntervals.Compute(predictions, DecisionThresholds.Default, resamples: 2000, seed: 3));
        Assert.NotEqual(intervals, BootstrapIntervals.Compute(predictions, DecisionThresholds.Default, resamples: 2000, seed: 4));

        // 50 of 100 screens: the binomial standard error is 0.05, so the 95% interval is about 0.5 ± 0.1.
        var recall = intervals.Single(i => i.Name == "screen recall");
        Assert.Equal(0.5, recall.Value, 12);
        Assert.InRange(recall.Low, 0.38, 0.43);
        Assert.InRange(recall.High, 0.57, 0.62);
        // No false screen alarms in any resample: precision is 1 throughout.
        Assert.Equal(new MetricInterval("screen precision", 1, 1, 1), intervals.Single(i => i.Name == "screen precision"));
        Assert.All(intervals, i => Assert.True(i.Low <= i.Value && i.Value <= i.High, $"{i.Name}: {i.Value} outside [{i.Low}, {i.High}]"));
    }

    [Fact]
    public void Bootstrap_intervals_narrow_with_more_images_and_reject_bad_arguments()
    {
        double Width(int scale)
        {
            var recall = BootstrapIntervals.Compute(Predictions(25 * scale, 15 * scale, 25 * scale), DecisionThresholds.Default, 1000, 1)
                .Single(i => i.Name == "screen recall");
            return recall.High - recall.Low;
        }
        // Sixteen times the images: about a quarter of the width.
        Assert.InRange(Width(16) / Width(1), 0.15, 0.35);

        // A split without screens has no screen ranking in any resample.
        var noScreens = BootstrapIntervals.Compute(Predictions(0, 0, 20), DecisionThresholds.Default, 50, 1).Single(i => i.Name == "screen ROC AUC");
        Assert.True(double.IsNaN(noScreens.Value) && double.IsNaN(noScreens.Low) && double.IsNaN(noScreens.High));

        Assert.Throws<ArgumentException>(() => BootstrapIntervals.Compute([], DecisionThresholds.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapIntervals.Compute(Predictions(2, 1, 2), DecisionThresholds.Default, resamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapIntervals.Compute(Predictions(2, 1, 2), DecisionThresholds.Default, confidence: 1));
    }

    [Fact]
    public void Paired_comparison_resamples_images_so_shared_answers_cancel()
    {
        var a = Predictions(screens: 100, screensFound: 50, others: 100);
        // B finds the same 50 screens and 10 more.
        var b = Predictions(screens: 100, screensFound: 60, others: 100);

        var itself = BootstrapIntervals.CompareModels(a, DecisionThresholds.Default, a, DecisionThresholds.Default, 500, 2);
        Assert.All(itself, d => Assert.True(d.Difference == 0 && (d.Low == 0 && d.High == 0 || double.IsNaN(d.Low)), $"{d.Name}: {d.Low}..{d.High}"));

        var differences = BootstrapIntervals.CompareModels(a, DecisionThresholds.Default, b, DecisionThresholds.Default, 2000, 2);
        var recall = differences.Single(d => d.Name == "screen recall");
        Assert.Equal((0.5, 0.6), (recall.A, recall.B));
        Assert.Equal(-0.1, recall.Difference, 12);
        Assert.True(recall.High < 0, $"B's 10 extra screens should be a clear difference: {recall.Low}..{recall.High}");
        var separate = BootstrapIntervals.Compute(a, DecisionThresholds.Default, 2000, 2).Single(i => i.Name == "screen recall");
        Assert.True(recall.High - recall.Low < 0.75 * (separate.High - separate.Low));

        // A model whose scores are the square roots of B's ranks the images as B does but sits elsewhere at 0.5: it finds
        // all of B's missed screens there (scored 0.28-0.40 by B), yet at B's false alarms both find the same screens.
        var recalibrated = BootstrapIntervals.CompareModels(
            b.Select(p => p with { ScreenProbability = Math.Sqrt(p.ScreenProbability) }).ToList(), DecisionThresholds.Default,
            b, DecisionThresholds.Default, 500, 2);
        Assert.Equal(0.4, recalibrated.Single(d => d.Name == "screen recall").Difference, 12);
        var matched = recalibrated.Single(d => d.Name == BootstrapIntervals.MatchedRecallName);
        Assert.Equal((1.0, 1.0, 0.0, 0.0), (matched.A, matched.B, matched.Low, matched.High));

        // Pairs are found by path, so B's order does not matter.
        var shuffled = b.OrderBy(p => p.Path.GetHashCode(StringComparison.Ordinal)).ToList();
        Assert.Equal(differences, BootstrapIntervals.CompareModels(a, DecisionThresholds.Default, shuffled, DecisionThresholds.Default, 2000, 2));

        Assert.Contains("same 200 images", Assert.Throws<ArgumentException>(() =>
            BootstrapIntervals.CompareModels(a, DecisionThresholds.Default, b.Take(199).ToList(), DecisionThresholds.Default)).Message);
        var relabelled = b.Select((p, i) => i == 0 ? p with { Actual = DocumentClass.Document } : p).ToList();
        Assert.Throws<ArgumentException>(() => BootstrapIntervals.CompareModels(a, DecisionThresholds.Default, relabelled, DecisionThresholds.Default));
    }
}
