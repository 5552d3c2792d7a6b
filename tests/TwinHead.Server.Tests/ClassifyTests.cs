using System.Net;
using TwinHead.Inference;

namespace TwinHead.Server.Tests;

[Collection(ServiceCollection.Name)]
public sealed class ClassifyTests : IDisposable
{
    private readonly ModelFiles models;
    private readonly ServiceFactory factory;
    private readonly HttpClient client;

    public ClassifyTests(ModelFiles models)
    {
        this.models = models;
        factory = new ServiceFactory(new ServiceOptions { ModelPath = models.First, WatchModel = false });
        client = factory.CreateClient();
    }

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task Raw_jpeg_gets_both_probabilities_the_decision_thresholds_model_and_timing_matching_the_library()
    {
        var jpeg = TestImages.Jpeg(seed: 1);
        var answer = await Requests.Ok(await Requests.PostImage(client, jpeg, query: "?name=receipt.jpg"));

        using var classifier = TwinHeadClassifier.Load(models.First);
        var expected = classifier.Classify(jpeg, "receipt.jpg");
        var result = Assert.Single(answer.Results);
        Assert.Equal("receipt.jpg", result.Name);
        Assert.Equal(jpeg.Length, result.Bytes);
        Assert.Equal(expected.ScreenProbability, result.ScreenProbability, 5);
        Assert.Equal(expected.NotDocumentProbability, result.NotDocumentProbability, 5);
        Assert.Equal(expected.DecisionName, result.Decision);
        Assert.Equal(new ThresholdValues(0.5, 0.5), answer.Thresholds);
        Assert.Equal(factory.Models.Current.Id, answer.Model.Id);
        Assert.StartsWith("first-", answer.Model.Id);
        Assert.Equal("two-headed", answer.Model.Architecture);
        Assert.True(result.Timing.BatchSize >= 1);
        Assert.True(answer.TotalMs >= result.Timing.PreprocessMs);
    }

    [Fact]
    public async Task Multipart_with_several_files_answers_each_in_order_with_its_name()
    {
        var files = Enumerable.Range(0, 5).Select(i => ($"photo {i}.jpg", TestImages.Jpeg(seed: i))).ToArray();
        var answer = await Requests.Ok(await Requests.PostFiles(client, files));

        using var classifier = TwinHeadClassifier.Load(models.First);
        Assert.Equal(files.Select(f => f.Item1), answer.Results.Select(r => r.Name));
        for (var i = 0; i < files.Length; i++)
            Assert.Equal(classifier.Classify(files[i].Item2, files[i].Item1).ScreenProbability, answer.Results[i].ScreenProbability, 5);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    [InlineData(null)]
    public async Task Raw_body_is_accepted_as_any_image_type_octet_stream_or_without_a_type(string? contentType)
    {
        var answer = await Requests.Ok(await Requests.PostImage(client, TestImages.Png(transparent: true), contentType));
        Assert.Equal("upload", Assert.Single(answer.Results).Name);
    }

    [Fact]
    public async Task Threshold_query_overrides_the_models_and_the_decision_follows()
    {
        var jpeg = TestImages.Jpeg(seed: 4);
        var everythingScreen = await Requests.Ok(await Requests.PostImage(client, jpeg, query: "?screen_threshold=0"));
        Assert.Equal("screen", everythingScreen.Results[0].Decision);
        Assert.Equal(new ThresholdValues(0, 0.5), everythingScreen.Thresholds);

        var nothingScreenAllOther = await Requests.Ok(await Requests.PostImage(client, jpeg, query: "?screen_threshold=1&not_document_threshold=0"));
        Assert.Equal(nothingScreenAllOther.Results[0].ScreenProbability >= 1 ? "screen" : "not_document", nothingScreenAllOther.Results[0].Decision);
    }

    [Fact]
    public async Task Model_endpoint_describes_identity_metadata_input_limits_and_batching()
    {
        var model = await Requests.Get<ModelResponse>(client, "/v1/model");
        Assert.NotNull(model);
        Assert.Equal(factory.Models.Current.Id, model.Id);
        Assert.Equal("first.onnx", model.File);
        Assert.Equal(64, model.Sha256.Length);
        Assert.Equal("two-headed", model.Metadata["twinhead.architecture"]);
        Assert.Equal((ModelFiles.ImageSize, ModelFiles.ImageSize, "stretch"), (model.Input.Width, model.Input.Height, model.Input.Resize));
        Assert.Equal(factory.Options.MaxFilesPerRequest, model.Limits.MaxFilesPerRequest);
        Assert.Equal(factory.Options.MaxBatchSize, model.Batching.MaxBatchSize);
    }

    [Fact]
    public async Task Health_and_readiness_answer_with_the_model_id()
    {
        var health = await Requests.Get<HealthResponse>(client, "/healthz");
        var ready = await Requests.Get<HealthResponse>(client, "/readyz");
        Assert.Equal(("ok", factory.Models.Current.Id), (health!.Status, health.ModelId));
        Assert.Equal(("ready", factory.Models.Current.Id), (ready!.Status, ready.ModelId));
    }

    [Fact]
    public async Task Metrics_count_outcomes_and_expose_latency_histogram_and_queue_depth()
    {
        await Requests.Ok(await Requests.PostImage(client, TestImages.Jpeg()));
        await Requests.Error(await Requests.PostImage(client, TestImages.Text(), "image/jpeg"), 415);

        var text = await client.GetStringAsync("/metrics");
        Assert.Contains("twinhead_requests_total{endpoint=\"classify\",outcome=\"ok\"} ", text);
        Assert.Contains("twinhead_requests_total{endpoint=\"classify\",outcome=\"not_an_image\"} ", text);
        Assert.Contains("# TYPE twinhead_request_duration_seconds histogram", text);
        Assert.Contains("twinhead_request_duration_seconds_bucket{le=\"+Inf\"} ", text);
        Assert.Contains("twinhead_queue_depth 0", text);
        Assert.Contains("twinhead_batch_queue_images ", text);
        Assert.Contains($"twinhead_model_info{{model_id=\"{factory.Models.Current.Id}\"}} 1", text);
        Assert.True(factory.Metrics.RequestCount("classify", "ok") >= 1);
        // Every sample line is "name{labels} value" with a number a Prometheus parser accepts.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches(@"^[a-z_]+(\{[^}]*\})? (\+Inf|-?[0-9.eE+-]+)$", line);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_endpoints()
    {
        var text = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/v1/classify\"", text);
        Assert.Contains("\"/v1/model\"", text);
        Assert.Contains("multipart/form-data", text);
        Assert.Contains("\"title\": \"TwinHead\"", text);
    }

    [Fact]
    public async Task Page_is_served_from_the_assembly_with_a_policy_forbidding_other_origins()
    {
        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"file-input\"", html);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'sha256-", csp);
        Assert.DoesNotContain("://", html);
    }

    [Fact]
    public void Server_assembly_never_references_TorchSharp_or_Training()
    {
        var references = typeof(TwinHeadService).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("TwinHead.Inference", references);
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.Ordinal) || r == "TwinHead.Training");
    }

    [Fact]
    public void Options_name_the_unusable_value()
    {
        var missing = Assert.Throws<ArgumentException>(() => new ServiceOptions().Validate());
        Assert.Contains("--model", missing.Message);
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceOptions { ModelPath = "m.onnx", MaxBatchSize = 0 }.Validate());
        Assert.Equal(nameof(ServiceOptions.MaxBatchSize), batch.ParamName);
    }
}
