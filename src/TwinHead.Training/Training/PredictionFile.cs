using TwinHead.Core.IO;
using System.Globalization;
using System.Text;
using CsvHelper;
using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;

namespace TwinHead.Training.Training;

/// <summary>Per-image predictions of a split as CSV (<c>path,label,screen_prob,not_document_prob</c>), read by reports and tuning.</summary>
public static class PredictionFile
{
    /// <summary>The predictions file of a split in a run folder.</summary>
    public static string PathFor(RunFolder run, string split) => System.IO.Path.Combine(run.Path, $"predictions_{split}.csv");

    /// <summary>Writes predictions atomically.</summary>
    public static void Write(string path, IEnumerable<ImagePrediction> predictions)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n" });
            csv.WriteRecord(["path", "label", "screen_prob", "not_document_prob"]);
            foreach (var p in predictions)
            {
                csv.WriteRecord([p.Path, ((int)p.Actual).ToString(CultureInfo.InvariantCulture),
                    p.ScreenProbability.ToString("R", CultureInfo.InvariantCulture), p.NotDocumentProbability.ToString("R", CultureInfo.InvariantCulture)]);
            }
        });
    }

    /// <summary>Reads predictions; throws naming the file and line of a malformed row.</summary>
    public static IReadOnlyList<ImagePrediction> Read(string path)
    {
        var rows = new List<ImagePrediction>();
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true });
        while (csv.Read())
        {
            if (csv.FieldCount < 4 || !DocumentClasses.TryParseLabel(csv.GetString(1), out var label)
                || !double.TryParse(csv.GetString(2), NumberStyles.Float, CultureInfo.InvariantCulture, out var screen)
                || !double.TryParse(csv.GetString(3), NumberStyles.Float, CultureInfo.InvariantCulture, out var notDocument))
            {
                throw new InvalidDataException($"{path}:{csv.LineNumber}: expected path,label,screen_prob,not_document_prob");
            }
            rows.Add(new ImagePrediction(csv.GetString(0), label, screen, notDocument));
        }
        return rows;
    }
}
