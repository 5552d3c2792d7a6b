using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace TwinHead.Server.Tests;

/// <summary>Micro-batching across callers, the bounded queue, hot reload without dropped requests, drain at shutdown.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ConcurrencyTests(ModelFiles models)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Concurrent_callers_share_one_model_run()
    {
        // A long wait means a batch runs only when full: four concurrent requests must meet in one run.
        await using var factory = new ServiceFactory(new ServiceOptions { ModelPath = models.First, WatchModel = false, MaxBatchSize = 4, MaxBatchWait = TimeSpan.FromMinutes(1) });
        using var client = factory.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i => await Requests.Ok(await Requests.PostImage(client, TestImages.Jpeg(seed: i)))));
        Assert.All(answers, a => Assert.Equal(4, a.Results[0].Timing.BatchSize));
        Assert.Contains("twinhead_batch_size_bucket{le=\"4\"} 1", factory.Metrics.Render());
    }

    [Fact]
    public async Task Batched_probabilities_equal_one_at_a_time_probabilities()
    {
        await using var factory = new ServiceFactory(new ServiceOptions { ModelPath = models.First, WatchModel = false, MaxBatchSize = 8, MaxBatchWait = TimeSpan.FromMilliseconds(50) });
        using var client = factory.CreateClient();
        var images = Enumerable.Range(0, 8).Select(i => TestImages.Jpeg(seed: i + 10)).ToArray();
        var together = await Task.WhenAll(images.Select(async image => await Requests.Ok(await Requests.PostImage(client, image))));
        for (var i = 0; i < images.Length; i++)
        {
            var alone = await Requests.Ok(await Requests.PostImage(client, images[i]));
            Assert.Equal(alone.Results[0].ScreenProbability, together[i].Results[0].ScreenProbability, 5);
            Assert.Equal(alone.Results[0].NotDocumentProbability, together[i].Results[0].NotDocumentProbability, 5);
        }
    }

    [Fact]
    public async Task Full_queue_answers_503_with_retry_after_and_the_admitted_request_still_succeeds()
    {
        // Real sockets: the in-memory server hands a request to the service only once its body is complete.
        await using var service = await RunningService.StartAsync(new ServiceOptions { ModelPath = models.First, WatchModel = false, MaxConcurrentRequests = 1, MaxQueuedRequests = 0, RetryAfterSeconds = 2 });
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var gate = service.App.Services.GetRequiredService<AdmissionGate>();
        var slowBody = new HeldBackContent(TestImages.Jpeg());
        var admitted = client.PostAsync("/v1/classify", slowBody);
        await Until(() => gate.Active == 1);

        var refused = await Requests.PostImage(client, TestImages.Jpeg(1));
        var error = await Requests.Error(refused, 503);
        Assert.Equal("queue_full", error.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        var metrics = service.App.Services.GetRequiredService<ServiceMetrics>();
        Assert.Contains("twinhead_requests_in_flight 1", metrics.Render());

        slowBody.Release();
        await Requests.Ok(await admitted);
        Assert.Equal(1, metrics.RequestCount("classify", "queue_full"));
    }

    [Fact]
    public async Task Slow_body_gets_408_when_the_request_time_runs_out()
    {
        await using var service = await RunningService.StartAsync(new ServiceOptions { ModelPath = models.First, WatchModel = false, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        // A raw socket: the client announces 1000 bytes, sends 10 and stalls, as a slow-loris upload does.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = $"POST /v1/classify HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(TestImages.Jpeg().AsMemory(0, 10));

        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.Contains("\"code\":\"body_timeout\"", answer);
    }

    [Fact]
    public async Task Replacing_the_model_file_swaps_the_model_without_failing_a_request()
    {
        var path = models.CopyOf(models.First);
        await using var factory = new ServiceFactory(new ServiceOptions { ModelPath = path, ReloadDebounce = TimeSpan.FromMilliseconds(100) });
        using var client = factory.CreateClient();
        var firstId = factory.Models.Current.Id;
        var answers = new ConcurrentBag<(HttpStatusCode Status, string? Id, double Threshold)>();
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            var image = TestImages.Jpeg(seed: i);
            while (!stop.IsCancellationRequested)
            {
                var response = await Requests.PostImage(client, image);
                var answer = response.IsSuccessStatusCode ? await Requests.Ok(response) : null;
                answers.Add((response.StatusCode, answer?.Model.Id, answer?.Thresholds.Screen ?? -1));
            }
        })).ToArray();

        await Until(() => answers.Count >= 5);
        // Writers replace a model atomically: write beside it, then rename over it.
        var staged = path + ".new";
        File.Copy(models.Second, staged);
        File.Move(staged, path, overwrite: true);
        await Until(() => factory.Models.Current.Id != firstId);
        var swappedAt = answers.Count;
        await Until(() => answers.Count >= swappedAt + 5);
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Contains(answers, a => a.Id == firstId && a.Threshold == 0.5);
        Assert.Contains(answers, a => a.Id == factory.Models.Current.Id && a.Threshold == 0.3);
        Assert.StartsWith("model-", factory.Models.Current.Id);
    }

    [Fact]
    public async Task A_broken_model_file_keeps_the_old_model_in_service_and_a_held_version_outlives_its_replacement()
    {
        var path = models.CopyOf(models.First);
        await using var factory = new ServiceFactory(new ServiceOptions { ModelPath = path, WatchModel = false });
        using var client = factory.CreateClient();
        var firstId = factory.Models.Current.Id;

        await File.WriteAllTextAsync(path, "not an onnx model");
        var failure = await Assert.ThrowsAsync<InvalidDataException>(factory.Models.ReloadAsync);
        Assert.Contains(path, failure.Message);
        Assert.Equal(firstId, (await Requests.Ok(await Requests.PostImage(client, TestImages.Jpeg()))).Model.Id);
        Assert.Contains("twinhead_model_reloads_total{outcome=\"failed\"} 1", factory.Metrics.Render());

        using var held = factory.Models.Acquire();
        File.Copy(models.Second, path, overwrite: true);
        var second = await factory.Models.ReloadAsync();
        Assert.NotEqual(firstId, second.Id);
        Assert.Same(second, await factory.Models.ReloadAsync());
        // The retired version still runs for the request that holds it.
        var output = await held.Model.Batcher.SubmitAsync(new float[held.Model.Classifier.TensorLength]);
        Assert.InRange(output.Screen, 0, 1);
    }

    [Fact]
    public async Task Shutdown_drains_a_request_in_flight()
    {
        // The batch would wait a minute for company; shutdown must run it at once and answer before the host stops.
        var service = await RunningService.StartAsync(new ServiceOptions { ModelPath = models.First, WatchModel = false, MaxBatchSize = 8, MaxBatchWait = TimeSpan.FromMinutes(1) });
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var inFlight = Requests.PostImage(client, TestImages.Jpeg());
        await Until(() => service.Models.Current.Batcher.QueuedImages == 1);

        var stopping = service.App.StopAsync();
        var answer = await Requests.Ok(await inFlight);
        await stopping;
        await service.App.DisposeAsync();
        Assert.Equal(1, answer.Results[0].Timing.BatchSize);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met within {Patience.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>A body that sends its first bytes and then holds the rest until released: a slow upload.</summary>
    private sealed class HeldBackContent(byte[] bytes) : HttpContent
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, 10));
            await stream.FlushAsync();
            await release.Task;
            await stream.WriteAsync(bytes.AsMemory(10));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
