using TwinHead.Core.Labels;

namespace TwinHead.Inference.Tests;

public sealed class ClassifierTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    [Fact]
    public void Load_reads_preprocessing_and_thresholds_from_the_model()
    {
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);
        Assert.Equal(fixture.Metadata.Preprocessing, classifier.Metadata.Preprocessing);
        Assert.Equal("feedfacecafebeef", classifier.Metadata.ConfigHash);
        Assert.Equal(fixture.Metadata.Thresholds, classifier.Thresholds);
        Assert.Equal(3 * 64 * 64, classifier.TensorLength);
    }

    [Fact]
    public void Threshold_override_changes_the_decision_rule()
    {
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath, new ClassifierOptions { ScreenThreshold = 0 });
        var classification = classifier.Classify(TestImages.Jpeg(), "a.jpg");
        Assert.Equal(DocumentClass.Screen, classification.Decision);
        Assert.Equal(new DecisionThresholds(0, fixture.Metadata.Thresholds.NotDocument), classification.Thresholds);
        Assert.Equal("screen", classification.DecisionName);
    }

    [Fact]
    public void Path_bytes_and_stream_give_the_same_answer()
    {
        var bytes = TestImages.Jpeg(seed: 2);
        var path = fixture.WriteFile("same.jpg", bytes);
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);

        var fromPath = classifier.Classify(path);
        var fromBytes = classifier.Classify(bytes, "upload");
        using var stream = new MemoryStream(bytes);
        var fromStream = classifier.Classify(stream, "stream");

        Assert.Equal(fromPath.ScreenProbability, fromBytes.ScreenProbability);
        Assert.Equal(fromPath.NotDocumentProbability, fromStream.NotDocumentProbability);
        Assert.Equal(path, fromPath.Source);
        Assert.Equal(fixture.Metadata.Thresholds.Decide(fromPath.ScreenProbability, fromPath.NotDocumentProbability), fromPath.Decision);
        Assert.True(fromPath.Timings.Model > TimeSpan.Zero && fromPath.Timings.Preprocess > TimeSpan.Zero);
    }

    [Fact]
    public void Batch_results_come_in_input_order_and_equal_single_classifications()
    {
        var paths = Enumerable.Range(0, 7).Select(i => fixture.WriteFile($"batch{i}.jpg", TestImages.Jpeg(seed: i))).ToArray();
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath, new ClassifierOptions { BatchSize = 3 });

        var results = classifier.Classify(paths).ToList();

        Assert.Equal(paths, results.Select(r => r.Source));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        for (var i = 0; i < paths.Length; i++)
        {
            var single = classifier.Classify(paths[i]);
            Assert.Equal(single.ScreenProbability, results[i].Classification!.ScreenProbability, 1e-6);
            Assert.Equal(single.NotDocumentProbability, results[i].Classification!.NotDocumentProbability, 1e-6);
        }
        Assert.True(results.Select(r => r.Classification!.ScreenProbability).Distinct().Count() > 1, "different images should not give identical answers");
    }

    [Fact]
    public void Concurrent_classifications_on_one_instance_agree()
    {
        var bytes = TestImages.Jpeg(seed: 4);
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);
        var expected = classifier.Classify(bytes, "x");
        var answers = new double[64];

        Parallel.For(0, answers.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => answers[i] = classifier.Classify(bytes, "x").ScreenProbability);

        Assert.All(answers, a => Assert.Equal(expected.ScreenProbability, a));
    }

    [Theory]
    [InlineData("three-output", false)]
    [InlineData("two-headed", true)]
    public void Three_output_and_float16_exports_classify_like_their_TorchSharp_model(string architecture, bool halfPrecision)
    {
        TorchSharp.torch.manual_seed(3);
        using var model = TwinHead.Training.Models.ModelRegistry.Create(new TwinHead.Training.Models.ModelOptions { Architecture = architecture, HeadChannels = 32 });
        model.Network.eval();
        var metadata = fixture.Metadata with { Architecture = architecture };
        var path = Path.Combine(fixture.Directory, $"{architecture}-{halfPrecision}.onnx");
        TwinHead.Training.Export.OnnxExporter.Export(model, metadata, path, new TwinHead.Training.Export.OnnxExportOptions { HalfPrecisionWeights = halfPrecision });
        var bytes = TestImages.Jpeg(seed: 8);
        using var classifier = TwinHeadClassifier.Load(path);

        var classification = classifier.Classify(bytes, "x.jpg");

        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var input = TorchSharp.torch.tensor(classifier.Preprocessor.Preprocess(bytes, "x.jpg")).reshape(1, 3, 64, 64);
        var (screen, notDocument) = model.Architecture.Probabilities(model.Network.call(input));
        var tolerance = halfPrecision ? 5e-2 : 1e-4;
        Assert.Equal(screen.item<float>(), classification.ScreenProbability, tolerance);
        Assert.Equal(notDocument.item<float>(), classification.NotDocumentProbability, tolerance);
    }

    [Fact]
    public void A_file_that_is_not_a_model_fails_naming_it()
    {
        var path = fixture.WriteFile("not-a-model.onnx", TestImages.Text());
        var error = Assert.Throws<InvalidDataException>(() => TwinHeadClassifier.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Throws<FileNotFoundException>(() => TwinHeadClassifier.Load(Path.Combine(fixture.Directory, "missing.onnx")));
    }

    [Fact]
    public void A_model_without_TwinHead_metadata_is_rejected()
    {
        var proto = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(fixture.ModelPath));
        proto.MetadataProps.Clear();
        var path = fixture.WriteFile("bare.onnx", Google.Protobuf.MessageExtensions.ToByteArray(proto));

        var error = Assert.Throws<InvalidDataException>(() => TwinHeadClassifier.Load(path));
        Assert.Contains("twinhead.", error.Message);
    }
}
