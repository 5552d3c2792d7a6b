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
            .AddColumns("head", "accuracy", "precision", "recall", "F1", "ROC AUC", "AP", "TP", "FP", "TN", "FN");
        foreach (var (name, m, ranking) in new[] { ("screen", r.ScreenHead, r.ScreenRanking), ("not_document", r.NotDocumentHead, r.NotDocumentRanking) })
        {
            heads.AddRow(name, F(m.Accuracy), F(m.Precision), F(m.Recall), F(m.F1), F(ranking.RocAuc), F(ranking.AveragePrecision),
                $"{m.TruePositives}", $"{m.FalsePositives}", $"{m.TrueNegatives}", $"{m.FalseNegatives}");
        }
        heads.AddRow("3-way (macro)", F(r.ThreeWay.Accuracy), F(r.ThreeWay.MacroPrecision), F(r.ThreeWay.MacroRecall), F(r.ThreeWay.MacroF1), "", "", "", "", "", "");
        heads.Caption("ROC AUC, AP: how well the head's probabilities rank its positives first, whatever the threshold (- : one class only)");
        AnsiConsole.Write(heads);
        AnsiConsole.Write(Confusion(r.ThreeWay));
    }

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
