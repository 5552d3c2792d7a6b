using SkiaSharp;

namespace TwinHead.Inference.Tests;

public sealed class BadInputTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    public static TheoryData<string, InputFailure> Rejected => new()
    {
        { "empty", InputFailure.Empty },
        { "text", InputFailure.NotAnImage },
        { "truncated", InputFailure.Corrupt },
        { "bomb", InputFailure.TooLarge },
        { "missing", InputFailure.Unreadable },
        { "directory", InputFailure.Unreadable },
    };

    public static TheoryData<string> Accepted => new() { "grey", "alpha", "gif", "webp", "png16", "tiny" };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Bad_files_are_reported_per_file_and_the_batch_goes_on(string kind, InputFailure failure)
    {
        var bad = MakeFile(kind);
        var good = fixture.WriteFile($"good-{kind}.jpg", TestImages.Jpeg());
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);

        var results = classifier.Classify([good, bad, good]).ToList();

        Assert.Equal(3, results.Count);
        Assert.True(results[0].Succeeded && results[2].Succeeded);
        Assert.False(results[1].Succeeded);
        Assert.Equal(failure, results[1].Failure);
        Assert.Contains(bad, results[1].Error);
        Assert.Equal(results[0].Classification!.ScreenProbability, results[2].Classification!.ScreenProbability);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Unusual_but_valid_images_are_classified(string kind)
    {
        var path = MakeFile(kind);
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);

        var classification = classifier.Classify(path);

        Assert.InRange(classification.ScreenProbability, 0, 1);
        Assert.InRange(classification.NotDocumentProbability, 0, 1);
    }

    [Fact]
    public void Max_pixels_is_configurable()
    {
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath, new ClassifierOptions { MaxPixels = 40 * 40 });
        var result = classifier.Classify([fixture.WriteFile("big.jpg", TestImages.Jpeg(width: 48, height: 48))]).Single();
        Assert.Equal(InputFailure.TooLarge, result.Failure);
        Assert.Throws<TwinHead.Imaging.ImageDecodeException>(() => classifier.Classify(TestImages.Jpeg(width: 48, height: 48), "upload"));
    }

    private string MakeFile(string kind) => kind switch
    {
        "empty" => fixture.WriteFile("empty.jpg", []),
        "text" => fixture.WriteFile("text.jpg", TestImages.Text()),
        "truncated" => fixture.WriteFile("truncated.jpg", TestImages.Truncated(TestImages.Jpeg(width: 200, height: 150))),
        "bomb" => fixture.WriteFile("bomb.png", TestImages.PngBomb()),
        "missing" => Path.Combine(fixture.Directory, "does-not-exist.jpg"),
        "directory" => System.IO.Directory.CreateDirectory(Path.Combine(fixture.Directory, "folder.jpg")).FullName,
        "grey" => fixture.WriteFile("grey.png", TestImages.Encode(SKEncodedImageFormat.Png, colorType: SKColorType.Gray8)),
        "alpha" => fixture.WriteFile("alpha.png", TestImages.Encode(SKEncodedImageFormat.Png, transparent: true)),
        "gif" => fixture.WriteFile("one.gif", TestImages.Gif()),
        "webp" => fixture.WriteFile("photo.webp", TestImages.Encode(SKEncodedImageFormat.Webp)),
        "png16" => fixture.WriteFile("deep.png", TestImages.Encode(SKEncodedImageFormat.Png, colorType: SKColorType.Rgba16161616)),
        "tiny" => fixture.WriteFile("tiny.png", TestImages.Encode(SKEncodedImageFormat.Png, 3, 2)),
        _ => throw new ArgumentException(kind),
    };
}
