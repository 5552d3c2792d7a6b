using SkiaSharp;

namespace TwinHead.Server.Tests;

public class AnimationCheckTests
{
    [Fact]
    public void Still_images_are_not_animated_and_animations_report_their_frames()
    {
        Assert.Null(AnimationCheck.AnimatedFrameCount(TestImages.Jpeg()));
        Assert.Null(AnimationCheck.AnimatedFrameCount(TestImages.Png()));
        Assert.Null(AnimationCheck.AnimatedFrameCount(TestImages.AnimatedGif(frames: 1)));
        Assert.Null(AnimationCheck.AnimatedFrameCount(TestImages.Encode(SKEncodedImageFormat.Webp)));
        Assert.Equal(3, AnimationCheck.AnimatedFrameCount(TestImages.AnimatedGif(frames: 3)));
        Assert.Equal(5, AnimationCheck.AnimatedFrameCount(TestImages.AnimatedPng(frames: 5)));
    }

    [Fact]
    public void Damaged_headers_are_left_to_the_decoder()
    {
        Assert.Null(AnimationCheck.AnimatedFrameCount([]));
        Assert.Null(AnimationCheck.AnimatedFrameCount(TestImages.AnimatedPng()[..20]));
        Assert.Null(AnimationCheck.AnimatedFrameCount("GIF89a"u8));
        Assert.Null(AnimationCheck.AnimatedFrameCount([.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8]));
    }
}

public class AdmissionGateTests
{
    [Fact]
    public async Task Admits_up_to_active_plus_queued_and_refuses_beyond()
    {
        using var gate = new AdmissionGate(maxActive: 1, maxQueued: 1);
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);
        Assert.NotNull(first);
        Assert.False(second.IsCompleted);
        Assert.Equal((1, 1), (gate.Active, gate.Queued));
        Assert.Null(await gate.EnterAsync(CancellationToken.None));

        first.Dispose();
        first.Dispose();
        using var admitted = await second;
        Assert.NotNull(admitted);
        Assert.Equal((1, 0), (gate.Active, gate.Queued));
    }

    [Fact]
    public async Task A_cancelled_wait_frees_its_queue_place()
    {
        using var gate = new AdmissionGate(maxActive: 1, maxQueued: 1);
        using var first = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, gate.Queued);
        Assert.False(gate.EnterAsync(CancellationToken.None).IsCompleted);
    }
}

public class ServiceMetricsTests
{
    [Fact]
    public void Histograms_are_cumulative_with_sum_and_count()
    {
        var metrics = new ServiceMetrics();
        metrics.ObserveLatency(TimeSpan.FromMilliseconds(3));
        metrics.ObserveLatency(TimeSpan.FromMilliseconds(80));
        metrics.ObserveLatency(TimeSpan.FromSeconds(99));
        metrics.CountRequest("classify", "ok");
        metrics.CountRequest("classify", "ok");
        var text = metrics.Render();
        Assert.Contains("twinhead_request_duration_seconds_bucket{le=\"0.005\"} 1\n", text);
        Assert.Contains("twinhead_request_duration_seconds_bucket{le=\"0.1\"} 2\n", text);
        Assert.Contains("twinhead_request_duration_seconds_bucket{le=\"30\"} 2\n", text);
        Assert.Contains("twinhead_request_duration_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("twinhead_request_duration_seconds_count 3\n", text);
        Assert.Contains("twinhead_requests_total{endpoint=\"classify\",outcome=\"ok\"} 2\n", text);
        Assert.Equal(2, metrics.RequestCount("classify", "ok"));
    }
}
