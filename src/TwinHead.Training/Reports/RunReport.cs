using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using SkiaSharp;
using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Imaging;
using TwinHead.Training.Training;

namespace TwinHead.Training.Reports;

/// <summary>
/// Writes a run's <c>report.html</c> (self-contained: plots and thumbnails inlined) and the plot PNGs beside it in
/// <c>report/</c>: loss and metric curves, per-head precision-recall curves with the chosen threshold marked, threshold
/// sweeps, three-way confusion matrices (counts and row-normalised), class counts per split, and a gallery of
/// misclassified images grouped by true and predicted class.
/// </summary>
public static class RunReport
{
    private const int PlotWidth = 640;
    private const int PlotHeight = 400;

    // SkiaSharp's NoDependencies build has no fontconfig, so ScottPlot finds no font by family name and would draw no
    // text at all; register a TrueType file from the usual Debian packages instead (fonts-dejavu-core, fonts-liberation2).
    private static readonly string? FontFile = new[]
    {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    }.FirstOrDefault(File.Exists);

    static RunReport()
    {
        if (FontFile is null) return;
        Fonts.AddFontFile("TwinHeadReport", FontFile, bold: false, italic: false);
        // Titles and axis labels ask for bold; without a bold face registered they would not be drawn.
        var bold = FontFile.Replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", StringComparison.Ordinal).Replace("-Regular.ttf", "-Bold.ttf", StringComparison.Ordinal).Replace("FreeSans.ttf", "FreeSansBold.ttf", StringComparison.Ordinal);
        Fonts.AddFontFile("TwinHeadReport", File.Exists(bold) ? bold : FontFile, bold: true, italic: false);
        Fonts.Default = "TwinHeadReport";
    }

    /// <summary>Whether plots can draw text (a font file was found).</summary>
    public static bool HasFont => FontFile is not null;

    /// <summary>Writes the report of the run at <paramref name="runPath"/>; returns the HTML path.</summary>
    public static string Write(string runPath, int maxGalleryImages = 60)
    {
        var run = RunFolder.Open(runPath);
        var config = run.ReadConfig();
        var folder = Path.Combine(run.Path, "report");
        Directory.CreateDirectory(folder);
        var thresholds = File.Exists(run.BestCheckpoint) ? CheckpointFile.ReadMetadata(run.BestCheckpoint).Thresholds : config.ToThresholds();
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>TwinHead run ").Append(Encode(Path.GetFileName(run.Path)))
            .Append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1400px}img.plot{max-width:640px;margin:4px;border:1px solid #ddd}")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .Append(".gallery figure{display:inline-block;margin:4px;text-align:center;font-size:12px}.gallery img{max-width:128px;max-height:128px}</style></head><body>");
        html.Append("<h1>Run ").Append(Encode(Path.GetFileName(run.Path))).Append("</h1>");
        html.Append("<p>").Append(Encode($"{config.Model.Architecture} {config.Model.Backbone}, {config.Data.ImageSize} px, data {config.Data.Root}, status {run.ReadStatus()}, " +
            $"thresholds screen {thresholds.Screen:G4} / not-document {thresholds.NotDocument:G4}, config hash {config.Hash()}")).Append("</p>");

        html.Append("<h2>Class counts</h2>").Append(ClassCountsTable(config.Data.Root));

        var metrics = run.ReadMetrics();
        html.Append("<h2>Training curves</h2>");
        AddPlot(html, folder, "loss", CurvePlot(metrics, "Loss",
            [("train", "all", "loss"), ("val", "all", "loss"), ("train", "screen", "loss"), ("train", "not_document", "loss"), ("train", "three_way", "loss")]));
        AddPlot(html, folder, "val-metrics", CurvePlot(metrics, "Validation metrics",
            [("val", "screen", "f1"), ("val", "screen", "precision"), ("val", "screen", "recall"), ("val", "not_document", "accuracy"), ("val", "three_way", "accuracy")]));
        if (metrics.Any(r => r.Split == Trainer.MonitorSplitName))
        {
            // Side by side, so a model that keeps improving on validation while the monitored photos stall or fall shows it.
            AddPlot(html, folder, "monitor", CurvePlot(metrics, $"Validation against data.monitor ({config.Data.Monitor}; reported, never used to choose)",
                [("val", "screen", "roc_auc"), (Trainer.MonitorSplitName, "screen", "roc_auc"), ("val", "three_way", "accuracy"), (Trainer.MonitorSplitName, "three_way", "accuracy"),
                 (Trainer.MonitorSplitName, "not_document", "accuracy")]));
        }

        // Read once for both splits: a generated dataset's generator.csv has a row per image of every split.
        var cues = ReadCues(config.Data.Root);
        foreach (var split in new[] { SplitNames.Val, SplitNames.Test })
        {
            var predictionsPath = PredictionFile.PathFor(run, split);
            if (!File.Exists(predictionsPath)) continue;
            var predictions = PredictionFile.Read(predictionsPath);
            var report = ClassificationReport.From(predictions, thresholds);
            html.Append("<h2>").Append(split).Append(" split (best checkpoint)</h2>").Append(MetricsTable(report));
            html.Append(CueTables(predictions, thresholds, cues));
            foreach (var (head, threshold, score) in new (Head, double, Func<ImagePrediction, double>)[]
                     {
                         (Head.Screen, thresholds.Screen, p => p.ScreenProbability),
                         (Head.NotDocument, thresholds.NotDocument, p => p.NotDocumentProbability),
                     })
            {
                var actual = predictions.Select(p => head.TargetOf(p.Actual)).ToArray();
                var scores = predictions.Select(score).ToArray();
                var sweep = ThresholdTuner.Sweep(actual, scores);
                AddPlot(html, folder, $"{split}-{head.Name}-pr", PrecisionRecallPlot(sweep, threshold, $"{split}: {head.Name} head precision-recall"));
                AddPlot(html, folder, $"{split}-{head.Name}-sweep", SweepPlot(sweep, threshold, $"{split}: {head.Name} head threshold sweep"));
            }
            AddPlot(html, folder, $"{split}-confusion", ConfusionPlot(report.ThreeWay, normalised: false, $"{split}: 3-way confusion (counts)"));
            AddPlot(html, folder, $"{split}-confusion-normalised", ConfusionPlot(report.ThreeWay, normalised: true, $"{split}: 3-way confusion (row-normalised)"));
            html.Append(Gallery(predictions, thresholds, config.Data.Root, maxGalleryImages));
        }
        html.Append("</body></html>");
        var path = Path.Combine(run.Path, "report.html");
        RunFolder.WriteAtomically(path, html.ToString());
        return path;
    }

    private static void AddPlot(StringBuilder html, string folder, string name, Plot plot)
    {
        var png = plot.GetImageBytes(PlotWidth, PlotHeight, ImageFormat.Png);
        File.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
        html.Append("<img class=\"plot\" alt=\"").Append(Encode(name)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
    }

    private static Plot CurvePlot(IReadOnlyList<MetricRow> metrics, string title, (string Split, string Head, string Metric)[] series)
    {
        var plot = new Plot();
        foreach (var (split, head, metric) in series)
        {
            var rows = metrics.Where(r => r.Epoch > 0 && r.Split == split && r.Head == head && r.Metric == metric).OrderBy(r => r.Epoch).ToArray();
            if (rows.Length == 0) continue;
            var line = plot.Add.Scatter(rows.Select(r => (double)r.Epoch).ToArray(), rows.Select(r => r.Value).ToArray());
            line.LegendText = $"{split} {head} {metric}".Replace(" all ", " ", StringComparison.Ordinal);
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.ShowLegend();
        return plot;
    }

    private static Plot PrecisionRecallPlot(IReadOnlyList<SweepPoint> sweep, double threshold, string title)
    {
        var plot = new Plot();
        var points = sweep.Where(p => p.Metrics.TruePositives + p.Metrics.FalsePositives > 0).ToArray();
        if (points.Length > 0)
        {
            var curve = plot.Add.Scatter(points.Select(p => p.Metrics.Recall).ToArray(), points.Select(p => p.Metrics.Precision).ToArray());
            curve.LegendText = "precision-recall";
            var chosen = points.OrderBy(p => Math.Abs(p.Threshold - threshold)).First();
            var marker = plot.Add.Marker(chosen.Metrics.Recall, chosen.Metrics.Precision, MarkerShape.FilledCircle, 10, Colors.Red);
            marker.LegendText = $"threshold {threshold:G3}: P {chosen.Metrics.Precision:F3} R {chosen.Metrics.Recall:F3}";
        }
        plot.Title(title);
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(0, 1.02, 0, 1.02);
        plot.ShowLegend();
        return plot;
    }

    private static Plot SweepPlot(IReadOnlyList<SweepPoint> sweep, double threshold, string title)
    {
        var plot = new Plot();
        var points = sweep.Where(p => p.Threshold <= 1).ToArray();
        var xs = points.Select(p => p.Threshold).ToArray();
        foreach (var (name, value) in new (string, Func<BinaryMetrics, double>)[] { ("precision", m => m.Precision), ("recall", m => m.Recall), ("F1", m => m.F1) })
        {
            if (xs.Length == 0) break;
            plot.Add.Scatter(xs, points.Select(p => value(p.Metrics)).ToArray()).LegendText = name;
        }
        plot.Add.VerticalLine(threshold).LegendText = $"threshold {threshold:G3}";
        plot.Title(title);
        plot.XLabel("threshold");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend();
        return plot;
    }

    private static Plot ConfusionPlot(ConfusionMatrix matrix, bool normalised, string title)
    {
        var n = matrix.ClassCount;
        var values = normalised ? matrix.RowNormalised() : new double[n, n];
        if (!normalised)
        {
            for (var a = 0; a < n; a++)
                for (var p = 0; p < n; p++) values[a, p] = matrix[a, p];
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        for (var a = 0; a < n; a++)
        {
            for (var p = 0; p < n; p++)
            {
                var text = normalised ? values[a, p].ToString("F2", CultureInfo.InvariantCulture) : matrix[a, p].ToString(CultureInfo.InvariantCulture);
                var label = plot.Add.Text(text, p, n - 1 - a);
                label.LabelFontColor = Colors.White;
                label.LabelFontSize = 18;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. DocumentClasses.Names]);
        plot.Axes.Left.SetTicks(ticks, DocumentClasses.Names.Reverse().ToArray());
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("actual");
        return plot;
    }

    private static string MetricsTable(ClassificationReport r)
    {
        var s = new StringBuilder("<table><tr><th>head</th><th>accuracy</th><th>precision</th><th>recall</th><th>F1</th><th>ROC AUC</th><th>AP</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th></tr>");
        static string Ranked(double v) => double.IsNaN(v) ? "-" : v.ToString("F3", CultureInfo.InvariantCulture);
        foreach (var (name, m, ranking) in new[] { ("screen", r.ScreenHead, r.ScreenRanking), ("not_document", r.NotDocumentHead, r.NotDocumentRanking) })
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{m.Accuracy:F3}</td><td>{m.Precision:F3}</td><td>{m.Recall:F3}</td><td>{m.F1:F3}</td><td>{Ranked(ranking.RocAuc)}</td><td>{Ranked(ranking.AveragePrecision)}</td><td>{m.TruePositives}</td><td>{m.FalsePositives}</td><td>{m.TrueNegatives}</td><td>{m.FalseNegatives}</td></tr>");
        }
        s.Append(CultureInfo.InvariantCulture, $"<tr><td>3-way (macro)</td><td>{r.ThreeWay.Accuracy:F3}</td><td>{r.ThreeWay.MacroPrecision:F3}</td><td>{r.ThreeWay.MacroRecall:F3}</td><td>{r.ThreeWay.MacroF1:F3}</td><td></td><td></td><td></td><td></td><td></td><td></td></tr></table>");
        return s.ToString();
    }

    /// <summary>
    /// The display kind and screen content of every image when the data came from <c>twinhead synth</c> (its
    /// <c>generator.csv</c>); for a column the file cannot give, the reason instead. Empty for other data.
    /// </summary>
    private static IReadOnlyList<(string Column, IReadOnlyDictionary<string, string>? GroupOf, string? Problem)> ReadCues(string root)
    {
        var file = Path.Combine(root, ImageGroupFile.GeneratorFileName);
        if (!File.Exists(file)) return [];
        var cues = new List<(string, IReadOnlyDictionary<string, string>?, string?)>();
        foreach (var column in new[] { "device", "content" })
        {
            try
            {
                cues.Add((column, ImageGroupFile.Read(file, column), null));
            }
            catch (InvalidDataException e)
            {
                // A report is still worth writing without this table; say why it is missing.
                cues.Add((column, null, e.Message));
            }
        }
        return cues;
    }

    /// <summary>The metrics per value of each cue, as <c>twinhead eval --by</c> prints them: which kinds of generated image the model misses.</summary>
    private static string CueTables(IReadOnlyList<ImagePrediction> predictions, DecisionThresholds thresholds,
        IReadOnlyList<(string Column, IReadOnlyDictionary<string, string>? GroupOf, string? Problem)> cues)
    {
        var s = new StringBuilder();
        foreach (var (column, groupOf, problem) in cues)
        {
            if (groupOf is null)
            {
                s.Append("<p>").Append(Encode(problem ?? "")).Append("</p>");
                continue;
            }
            s.Append("<h3>By ").Append(Encode(column)).Append(" (generator.csv)</h3><table><tr><th>").Append(Encode(column))
                .Append("</th><th>images (doc/not-doc/screen)</th><th>3-way accuracy</th><th>screens found</th><th>false screen alarms</th><th>not-doc head accuracy</th></tr>");
            foreach (var g in GroupedReport.By(predictions, groupOf, thresholds))
            {
                s.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(g.Group)}</td><td>{g.Images} ({g.ClassCounts})</td><td>{g.Report.ThreeWay.Accuracy:F3}</td>")
                    .Append(g.Screens > 0 ? $"<td>{g.ScreensFound} of {g.Screens}</td>" : "<td>-</td>")
                    .Append(g.NonScreens > 0 ? $"<td>{g.FalseScreenAlarms} of {g.NonScreens}</td>" : "<td>-</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{g.Report.NotDocumentHead.Accuracy:F3}</td></tr>");
            }
            s.Append("</table>");
        }
        return s.ToString();
    }

    private static string ClassCountsTable(string root)
    {
        var s = new StringBuilder("<table><tr><th>split</th>");
        foreach (var name in DocumentClasses.Names) s.Append("<th>").Append(name).Append("</th>");
        s.Append("</tr>");
        foreach (var split in SplitNames.All)
        {
            var csv = SplitNames.CsvPath(root, split);
            if (!File.Exists(csv)) continue;
            var counts = new int[DocumentClasses.Count];
            foreach (var row in SplitCsv.Read(csv).Rows) counts[(int)row.Label]++;
            s.Append("<tr><td>").Append(split).Append("</td>");
            foreach (var c in counts) s.Append("<td>").Append(c.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            s.Append("</tr>");
        }
        return s.Append("</table>").ToString();
    }

    private static string Gallery(IReadOnlyList<ImagePrediction> predictions, DecisionThresholds thresholds, string root, int maxImages)
    {
        var wrong = predictions
            .Select(p => (p, predicted: thresholds.Decide(p.ScreenProbability, p.NotDocumentProbability)))
            .Where(x => x.predicted != x.p.Actual)
            .GroupBy(x => (x.p.Actual, x.predicted))
            .OrderBy(g => g.Key.Actual).ThenBy(g => g.Key.predicted)
            .ToList();
        var s = new StringBuilder("<h3>Misclassified</h3>");
        if (wrong.Count == 0) return s.Append("<p>none</p>").ToString();
        var budget = maxImages;
        foreach (var group in wrong)
        {
            s.Append("<h4>").Append(DocumentClasses.NameOf(group.Key.Actual)).Append(" &rarr; ").Append(DocumentClasses.NameOf(group.Key.predicted))
             .Append(CultureInfo.InvariantCulture, $" ({group.Count()})</h4><div class=\"gallery\">");
            foreach (var (p, _) in group.Take(Math.Max(0, budget)))
            {
                budget--;
                s.Append("<figure>").Append(Thumbnail(Path.Combine(root, p.Path)))
                 .Append(CultureInfo.InvariantCulture, $"<figcaption>{Encode(Path.GetFileName(p.Path))}<br>screen {p.ScreenProbability:F2} not-doc {p.NotDocumentProbability:F2}</figcaption></figure>");
            }
            s.Append("</div>");
        }
        return s.ToString();
    }

    private static string Thumbnail(string path)
    {
        try
        {
            var image = ImageDecoder.DecodeFile(path, 128, 128, ImageDecodeLimits.Default);
            var scale = 128.0 / Math.Max(image.Width, image.Height);
            var small = ImageResizer.Resize(image, Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale)));
            using var bitmap = new SKBitmap(small.Width, small.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            var rgba = new byte[small.Width * small.Height * 4];
            for (int i = 0, j = 0; i < small.Pixels.Length; i += 3, j += 4)
            {
                rgba[j] = small.Pixels[i];
                rgba[j + 1] = small.Pixels[i + 1];
                rgba[j + 2] = small.Pixels[i + 2];
                rgba[j + 3] = 255;
            }
            System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
            return $"<img alt=\"{Encode(Path.GetFileName(path))}\" src=\"data:image/jpeg;base64,{Convert.ToBase64String(data.ToArray())}\">";
        }
        catch (Exception e) when (e is ImageDecodeException or IOException)
        {
            return $"<div>{Encode(e.Message)}</div>";
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
