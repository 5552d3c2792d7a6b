namespace TwinHead.Inference.Tests;

public sealed class BenchmarkTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    private static readonly BenchmarkOptions Quick = new() { WarmupIterations = 1, ModelOnlyIterations = 3, ThroughputBatches = 1, ThroughputBatchSize = 4 };

    [Fact]
    public void Benchmark_measures_every_stage_and_counts_failed_images()
    {
        var images = new[] { new EncodedImage("a.jpg", TestImages.Jpeg(seed: 1)), new EncodedImage("b.jpg", TestImages.Jpeg(seed: 2)), new EncodedImage("bad.jpg", TestImages.Text()) };

        var result = InferenceBenchmark.Run(fixture.ModelPath, images, Quick);

        Assert.Equal(2, result.Images);
        Assert.Equal(1, result.FailedImages);
        Assert.Equal(2, result.EndToEnd!.Count);
        Assert.Equal(2, result.Decode!.Count);
        Assert.Equal(3, result.ModelOnly.Count);
        Assert.True(result.ThroughputImagesPerSecond > 0);
        Assert.Equal(new FileInfo(fixture.ModelPath).Length, result.FileBytes);
        Assert.True(result.PeakWorkingSetBytes > 0);
        Assert.Equal("two-headed shufflenet_v2_x0_5 64px", result.Description);
    }

    [Fact]
    public void Table_has_one_row_per_model_and_dashes_for_stages_not_measured()
    {
        var withImages = InferenceBenchmark.Run(fixture.ModelPath, [new EncodedImage("a.jpg", TestImages.Jpeg())], Quick);
        var modelOnly = InferenceBenchmark.Run(fixture.ModelPath, [], Quick);

        var lines = InferenceBenchmark.FormatTable([withImages, modelOnly]).TrimEnd().Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.Contains("end-to-end mean ms", lines[0]);
        Assert.Null(modelOnly.EndToEnd);
        Assert.Contains("| - |", lines[3]);
    }

    [Fact]
    public void Timing_summary_has_the_median_of_even_and_odd_counts()
    {
        Assert.Equal(2.5, TimingSummary.From([4, 1, 2, 3]).MedianMs);
        var odd = TimingSummary.From([5, 1, 3]);
        Assert.Equal(3, odd.MedianMs);
        Assert.Equal(3, odd.MeanMs);
        Assert.Equal(5, odd.P90Ms);
        Assert.Equal(1, odd.MinMs);
    }
}
