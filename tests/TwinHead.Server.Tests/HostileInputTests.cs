using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TwinHead.Server.Tests;

/// <summary>Every hostile or broken input gets a 4xx problem+json answer naming what is wrong, never a 5xx.</summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileInputTests : IDisposable
{
    private const long ImageLimit = 2 * 1024 * 1024;
    private readonly ServiceFactory factory;
    private readonly HttpClient client;

    public HostileInputTests(ModelFiles models)
    {
        factory = new ServiceFactory(new ServiceOptions
        {
            ModelPath = models.First,
            WatchModel = false,
            MaxImageBytes = ImageLimit,
            MaxBodyBytes = 3 * ImageLimit,
            MaxPixels = 4_000_000,
            MaxFilesPerRequest = 3,
        });
        client = factory.CreateClient();
    }

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
    }

    public static TheoryData<string, string?, int, string> RawBodies => new()
    {
        { "empty", "image/jpeg", 400, "empty_image" },
        { "text", "image/jpeg", 415, "not_an_image" },
        { "text", "text/plain", 415, "unsupported_content_type" },
        { "jpeg", "application/json", 415, "unsupported_content_type" },
        { "jpeg", "application/x-www-form-urlencoded", 415, "unsupported_content_type" },
        { "jpeg", "image/jpeg; =broken", 415, "bad_content_type" },
        { "truncated jpeg", "image/jpeg", 422, "corrupt_image" },
        { "truncated png", "image/png", 422, "corrupt_image" },
        { "jpeg header only", "image/jpeg", 422, "corrupt_image" },
        { "png bomb", "image/png", 413, "image_too_large" },
        { "heic", "image/heic", 415, "unsupported_image" },
        { "animated gif", "image/gif", 415, "animated_image" },
        { "animated png", "image/png", 415, "animated_image" },
        { "huge exif over the limit", "image/jpeg", 413, "image_too_large" },
    };

    [Theory]
    [MemberData(nameof(RawBodies))]
    public async Task Raw_body_is_refused_with_status_and_code(string input, string? contentType, int status, string code)
    {
        var error = await Requests.Error(await Requests.PostImage(client, Body(input), contentType, "?name=evidence.jpg"), status);
        Assert.Equal(code, error.Code);
        Assert.Equal($"urn:twinhead:error:{code}", error.Type);
        if (code is not ("unsupported_content_type" or "bad_content_type")) Assert.Contains("evidence.jpg", error.Detail);
    }

    [Fact]
    public async Task Huge_exif_within_the_limit_is_classified()
    {
        var answer = await Requests.Ok(await Requests.PostImage(client, TestImages.JpegWithHugeExif(segments: 16)));
        Assert.InRange(answer.Results[0].ScreenProbability, 0, 1);
    }

    [Fact]
    public async Task Body_over_the_declared_limit_is_refused_before_it_is_read()
    {
        var content = new ByteArrayContent(new byte[4 * ImageLimit]);
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", "xyz") } };
        var error = await Requests.Error(await client.PostAsync("/v1/classify", content), 413);
        Assert.Equal("body_too_large", error.Code);
    }

    [Fact]
    public async Task One_bad_file_among_good_ones_refuses_the_request_naming_that_file()
    {
        var error = await Requests.Error(await Requests.PostFiles(client, ("a.jpg", TestImages.Jpeg()), ("notes.jpg", TestImages.Text()), ("c.jpg", TestImages.Jpeg(1))), 415);
        Assert.Equal("notes.jpg", error.File);
        Assert.StartsWith("notes.jpg:", error.Detail);
    }

    [Fact]
    public async Task Too_many_files_are_refused()
    {
        var files = Enumerable.Range(0, 4).Select(i => ($"{i}.jpg", TestImages.Jpeg(i))).ToArray();
        var error = await Requests.Error(await Requests.PostFiles(client, files), 400);
        Assert.Equal("too_many_files", error.Code);
        Assert.Contains("3", error.Detail);
    }

    [Fact]
    public async Task One_file_over_the_image_limit_in_a_multipart_body_is_named()
    {
        var error = await Requests.Error(await Requests.PostFiles(client, ("small.jpg", TestImages.Jpeg()), ("big.jpg", new byte[ImageLimit + 1])), 413);
        Assert.Equal(("image_too_large", "big.jpg"), (error.Code, error.File));
    }

    [Fact]
    public async Task Multipart_without_file_parts_is_refused()
    {
        var form = new MultipartFormDataContent { { new StringContent("hello"), "comment" } };
        var error = await Requests.Error(await client.PostAsync("/v1/classify", form), 400);
        Assert.Equal("no_files", error.Code);
    }

    [Theory]
    [InlineData("--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.jpg\"\r\n\r\nunterminated")]
    [InlineData("garbage without any boundary line")]
    [InlineData("--xyz\r\nthis header line has no colon\r\n\r\nbody\r\n--xyz--\r\n")]
    public async Task Malformed_multipart_is_refused(string body)
    {
        var content = new StringContent(body, Encoding.ASCII);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var response = await client.PostAsync("/v1/classify", content);
        var error = await Requests.Error(response, (int)response.StatusCode);
        Assert.InRange(error.Status, 400, 499);
    }

    [Fact]
    public async Task Multipart_without_boundary_is_refused()
    {
        var content = new ByteArrayContent(TestImages.Jpeg());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        Assert.Equal("bad_multipart", (await Requests.Error(await client.PostAsync("/v1/classify", content), 400)).Code);
    }

    [Theory]
    [InlineData("?screen_threshold=1.5")]
    [InlineData("?screen_threshold=abc")]
    [InlineData("?not_document_threshold=NaN")]
    [InlineData("?screen_threshold=0.2&screen_threshold=0.3")]
    public async Task Bad_threshold_query_is_refused_naming_the_parameter(string query)
    {
        var error = await Requests.Error(await Requests.PostImage(client, TestImages.Jpeg(), query: query), 400);
        Assert.Equal("bad_threshold", error.Code);
        Assert.Contains("threshold", error.Detail);
    }

    [Fact]
    public async Task Unknown_path_and_wrong_method_answer_json()
    {
        Assert.Equal("not_found", (await Requests.Error(await client.GetAsync("/v2/nothing"), 404)).Code);
        Assert.Equal("method_not_allowed", (await Requests.Error(await client.GetAsync("/v1/classify"), 405)).Code);
    }

    [Fact]
    public async Task Refusals_are_counted_by_outcome_and_the_service_still_classifies()
    {
        await Requests.Error(await Requests.PostImage(client, Body("png bomb"), "image/png"), 413);
        Assert.True(factory.Metrics.RequestCount("classify", "image_too_large") >= 1);
        await Requests.Ok(await Requests.PostImage(client, TestImages.Jpeg()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    private static byte[] Body(string input) => input switch
    {
        "empty" => [],
        "text" => TestImages.Text(),
        "jpeg" => TestImages.Jpeg(),
        "truncated jpeg" => TestImages.Jpeg()[..(TestImages.Jpeg().Length / 2)],
        "truncated png" => TestImages.Png()[..(TestImages.Png().Length / 2)],
        "jpeg header only" => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10],
        "png bomb" => TestImages.PngBomb(),
        "heic" => TestImages.HeicHeader(),
        "animated gif" => TestImages.AnimatedGif(),
        "animated png" => TestImages.AnimatedPng(),
        "huge exif over the limit" => TestImages.JpegWithHugeExif(segments: 40),
        _ => throw new ArgumentException(input),
    };
}
