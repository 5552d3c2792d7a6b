using Spectre.Console;
using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary>Console tables for evaluation results.</summary>
public static class ReportTables
{
    /// <summary>Per-head metrics and the three-way confusion matrix.</summary>
    public static void Write(Evaluation evaluation, string title)
    {
        var r = evaluation.Report;
        var heads = new Table().Title($"{title}: {r.Count} images, thresholds screen {r.Thresholds.Screen:G3} / not-document {r.Thresholds.NotDocument:G3}")
            .AddColumns("head", "accuracy", "precision", "recall", "F1", "TP", "FP", "TN", "FN");
        foreach (var (name, m) in new[] { ("screen", r.ScreenHead), ("not_document", r.NotDocumentHead) })
        {
            heads.AddRow(name, F(m.Accuracy), F(m.Precision), F(m.Recall), F(m.F1), $"{m.TruePositives}", $"{m.FalsePositives}", $"{m.TrueNegatives}", $"{m.FalseNegatives}");
        }
        heads.AddRow("3-way (macro)", F(r.ThreeWay.Accuracy), F(r.ThreeWay.MacroPrecision), F(r.ThreeWay.MacroRecall), F(r.ThreeWay.MacroF1), "", "", "", "");
        AnsiConsole.Write(heads);
        AnsiConsole.Write(Ranking(r));
        AnsiConsole.Write(Confusion(r.ThreeWay));
    }

    /// <summary>Each head's threshold-free ranking metrics ("-": the data hold one class for that head).</summary>
    public static Table Ranking(ClassificationReport r)
    {
        var table = new Table().Title("ranking, any threshold (1 = every positive above every negative)").AddColumns("head", "ROC AUC", "average precision");
        foreach (var (name, m) in new[] { ("screen", r.ScreenRanking), ("not_document", r.NotDocumentRanking) })
            table.AddRow(name, F(m.RocAuc), F(m.AveragePrecision));
        return table;
    }

    /// <summary>Bootstrap confidence intervals, one row per metric.</summary>
    public static Table Intervals(IReadOnlyList<MetricInterval> intervals, int resamples, int images)
    {
        var table = new Table().Title($"95% bootstrap intervals ({resamples} resamples of the {images} images)").AddColumns("metric", "value", "low", "high");
        foreach (var m in intervals) table.AddRow(m.Name, F(m.Value), F(m.Low), F(m.High));
        return table;
    }

    /// <summary>Two models' metrics and the paired bootstrap interval of A − B; "A better" or "B better" where the interval excludes 0.</summary>
    public static Table Differences(IReadOnlyList<MetricDifference> differences, int resamples, string a, string b)
    {
        var table = new Table().Title($"A = {Markup.Escape(a)}\nB = {Markup.Escape(b)}\nA - B with paired 95% bootstrap intervals ({resamples} resamples)")
            .AddColumns("metric", "A", "B", "A - B", "low", "high", "");
        foreach (var d in differences)
        {
            var verdict = double.IsNaN(d.Low) ? "" : d.Low > 0 ? "A better" : d.High < 0 ? "B better" : "within noise";
            table.AddRow(Markup.Escape(d.Name), F(d.A), F(d.B), F(d.Difference), F(d.Low), F(d.High), verdict);
        }
        return table;
    }

    /// <summary>
    /// One row per group of <c>eval --by</c>: its images per class, 3-way accuracy, screens found, false screen alarms
    /// among its non-screens, and the not-document head's accuracy ("-" where the group has no image of the kind).
    /// </summary>
    public static Table Groups(IReadOnlyList<GroupMetrics> groups, string column, string model)
    {
        var table = new Table().Title($"{Markup.Escape(model)} by {Markup.Escape(column)}")
            .AddColumns(Markup.Escape(column), "images (d/n/s)", "3-way acc", "screens found", "false alarms", "not-doc acc");
        foreach (var g in groups)
        {
            table.AddRow(Markup.Escape(g.Group), $"{g.Images} ({g.ClassCounts})", F(g.Report.ThreeWay.Accuracy),
                g.Screens > 0 ? $"{g.ScreensFound} of {g.Screens} ({F(g.Report.ScreenHead.Recall)})" : "-",
                g.NonScreens > 0 ? $"{g.FalseScreenAlarms} of {g.NonScreens}" : "-",
                F(g.Report.NotDocumentHead.Accuracy));
        }
        return table;
    }

    /// <summary>The perturbation probe: one row per change, its metrics and how far the answers moved from the first row's.</summary>
    public static Table Probe(IReadOnlyList<ProbeRow> rows, string model)
    {
        var table = new Table().Title($"{Markup.Escape(model)}: the same images changed (at the input size, before normalisation)")
            .AddColumns("change", "screens found", "false alarms", "not-doc acc", "3-way acc", "screen AUC", "not-doc AUC",
                "mean shift p(screen)", "mean shift p(not-doc)", "decisions changed");
        foreach (var row in rows)
        {
            var r = row.Evaluation.Report;
            var s = r.ScreenHead;
            table.AddRow(Markup.Escape(row.Perturbation.Name),
                s.TruePositives + s.FalseNegatives > 0 ? $"{s.TruePositives} of {s.TruePositives + s.FalseNegatives}" : "-",
                s.FalsePositives + s.TrueNegatives > 0 ? $"{s.FalsePositives} of {s.FalsePositives + s.TrueNegatives}" : "-",
                F(r.NotDocumentHead.Accuracy), F(r.ThreeWay.Accuracy), F(r.ScreenRanking.RocAuc), F(r.NotDocumentRanking.RocAuc),
                Signed(row.MeanScreenShift), Signed(row.MeanNotDocumentShift), F(row.DecisionsChanged));
        }
        return table;
    }

    private static string Signed(double v) => v.ToString("+0.000;-0.000;0.000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The three-way confusion matrix, rows actual, columns predicted.</summary>
    public static Table Confusion(ConfusionMatrix m)
    {
        var table = new Table().Title("3-way confusion (rows: actual, columns: predicted)").AddColumn("actual \\ predicted");
        foreach (var name in DocumentClasses.Names) table.AddColumn(name);
        for (var a = 0; a < m.ClassCount; a++)
        {
            table.AddRow([DocumentClasses.Names[a], .. Enumerable.Range(0, m.ClassCount).Select(p => m[a, p].ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
        return table;
    }

    /// <summary>Three decimals, invariant; "-" for an undefined value.</summary>
    public static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
