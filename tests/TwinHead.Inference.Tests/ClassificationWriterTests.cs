using System.Text.Json;
using TwinHead.Core.Labels;

namespace TwinHead.Inference.Tests;

public class ClassificationWriterTests
{
    private static readonly ClassificationResult Classified = new("dir/a, b.jpg",
        new Classification("dir/a, b.jpg", 0.91, 0.2, DocumentClass.Screen, new DecisionThresholds(0.8, 0.5),
            new ClassificationTimings(TimeSpan.FromMilliseconds(12.5), TimeSpan.FromMilliseconds(3))), null, null);

    private static readonly ClassificationResult Failed = new("bad.jpg", null, InputFailure.Corrupt, "bad.jpg: the JPEG is truncated");

    [Fact]
    public void Json_lines_carry_decision_probabilities_thresholds_and_timings_or_the_error()
    {
        using var ok = JsonDocument.Parse(ClassificationWriter.ToJsonLine(Classified));
        Assert.Equal("screen", ok.RootElement.GetProperty("decision").GetString());
        Assert.Equal(0.91, ok.RootElement.GetProperty("screen_prob").GetDouble());
        Assert.Equal(0.8, ok.RootElement.GetProperty("screen_threshold").GetDouble());
        Assert.Equal(12.5, ok.RootElement.GetProperty("preprocess_ms").GetDouble());

        using var bad = JsonDocument.Parse(ClassificationWriter.ToJsonLine(Failed));
        Assert.Equal("corrupt", bad.RootElement.GetProperty("failure").GetString());
        Assert.Equal("bad.jpg: the JPEG is truncated", bad.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Csv_rows_quote_paths_with_commas_and_match_the_header()
    {
        var columns = ClassificationWriter.CsvHeader.Split(',').Length;
        Assert.StartsWith("\"dir/a, b.jpg\",screen,0.910000,0.200000,0.8,0.5,12.500,3.000,", ClassificationWriter.ToCsvRow(Classified));
        Assert.Equal(columns, ClassificationWriter.ToCsvRow(Failed).Split(',').Length);
    }
}
