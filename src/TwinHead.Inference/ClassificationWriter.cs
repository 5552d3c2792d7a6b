using System.Globalization;
using System.Text.Json;

namespace TwinHead.Inference;

/// <summary>Writes classification results as JSON lines or CSV (one row per input, failures included).</summary>
public static class ClassificationWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The CSV header row.</summary>
    public const string CsvHeader = "path,decision,screen_prob,not_document_prob,screen_threshold,not_document_threshold,preprocess_ms,model_ms,error";

    /// <summary>One JSON object: path, decision, probabilities, thresholds and timings; or path, failure and error.</summary>
    public static string ToJsonLine(ClassificationResult result)
    {
        if (result.Classification is { } c)
        {
            return JsonSerializer.Serialize(new
            {
                path = result.Source,
                decision = c.DecisionName,
                screen_prob = Math.Round(c.ScreenProbability, 6),
                not_document_prob = Math.Round(c.NotDocumentProbability, 6),
                screen_threshold = c.Thresholds.Screen,
                not_document_threshold = c.Thresholds.NotDocument,
                preprocess_ms = Math.Round(c.Timings.Preprocess.TotalMilliseconds, 3),
                model_ms = Math.Round(c.Timings.Model.TotalMilliseconds, 3),
            }, Json);
        }
        return JsonSerializer.Serialize(new { path = result.Source, failure = FailureName(result.Failure), error = result.Error }, Json);
    }

    /// <summary>One CSV row matching <see cref="CsvHeader"/>.</summary>
    public static string ToCsvRow(ClassificationResult result)
    {
        var ci = CultureInfo.InvariantCulture;
        if (result.Classification is { } c)
        {
            return string.Join(',', Quote(result.Source), c.DecisionName, c.ScreenProbability.ToString("F6", ci), c.NotDocumentProbability.ToString("F6", ci),
                c.Thresholds.Screen.ToString("R", ci), c.Thresholds.NotDocument.ToString("R", ci),
                c.Timings.Preprocess.TotalMilliseconds.ToString("F3", ci), c.Timings.Model.TotalMilliseconds.ToString("F3", ci), "");
        }
        return string.Join(',', Quote(result.Source), "error", "", "", "", "", "", "", Quote(result.Error ?? ""));
    }

    /// <summary>snake_case name of a failure (<c>not_an_image</c>, <c>too_large</c>...).</summary>
    public static string FailureName(InputFailure? failure) => failure switch
    {
        InputFailure.Empty => "empty",
        InputFailure.NotAnImage => "not_an_image",
        InputFailure.Corrupt => "corrupt",
        InputFailure.TooLarge => "too_large",
        InputFailure.Unsupported => "unsupported",
        InputFailure.Unreadable => "unreadable",
        _ => "",
    };

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
