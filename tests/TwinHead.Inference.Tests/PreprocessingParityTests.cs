using SkiaSharp;
using TwinHead.Imaging;
using static TorchSharp.torch;

namespace TwinHead.Inference.Tests;

public sealed class PreprocessingParityTests(ExportedModelFixture fixture) : IClassFixture<ExportedModelFixture>
{
    public static TheoryData<string> Formats => new() { "jpeg", "png", "webp" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Inference_preprocessing_gives_the_training_eval_tensor_bit_for_bit(string format)
    {
        var bytes = TestImages.Encode(Enum.Parse<SKEncodedImageFormat>(format, ignoreCase: true), 90, 70, seed: 3);
        var path = fixture.WriteFile("same." + format, bytes);
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);

        // Training's eval path: the spec stored with the model, decode + resize (no augmentation), then the CHW writer.
        var evalPreprocessor = new ImagePreprocessor(fixture.Metadata.Preprocessing);
        var evalTensor = new float[evalPreprocessor.TensorLength];
        TensorWriter.WriteChw(evalPreprocessor.DecodeAndResize(File.ReadAllBytes(path), path), fixture.Metadata.Preprocessing, evalTensor);

        var inferenceTensor = classifier.Preprocessor.Preprocess(File.ReadAllBytes(path), path);
        Assert.Equal(evalTensor, inferenceTensor);

        // The classifier really feeds that tensor: its answer equals the model run on the eval tensor exactly.
        var (screen, notDocument) = classifier.RunModel(evalTensor, 1);
        var classification = classifier.Classify(path);
        Assert.Equal(screen[0], classification.ScreenProbability);
        Assert.Equal(notDocument[0], classification.NotDocumentProbability);
    }

    [Fact]
    public void Training_eval_loader_and_classifier_see_the_same_tensor()
    {
        var root = Path.Combine(fixture.Directory, "dataset");
        Directory.CreateDirectory(Path.Combine(root, "screens"));
        File.WriteAllBytes(Path.Combine(root, "screens", "a photo.jpg"), TestImages.Jpeg(seed: 6, width: 150, height: 100));
        File.WriteAllText(Path.Combine(root, "test.csv"), "screens/a photo.jpg,2\n");
        var dataset = TwinHead.Training.Data.ImageDataset.Load(root, "test", requireAllClasses: false);
        var loader = new TwinHead.Training.Data.BatchLoader(dataset, fixture.Metadata.Preprocessing, ImageDecodeLimits.Default, null, 0);

        var batch = loader.Assemble([0], 0, new TwinHead.Training.Data.LoaderOptions(1, Shuffle: false, Augmentation: null));
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);
        var inference = classifier.Preprocessor.Preprocess(File.ReadAllBytes(dataset.PathOf(0)), dataset.PathOf(0));

        Assert.Equal(batch.Pixels, inference);
    }

    [Fact]
    public void Classifier_answers_as_the_TorchSharp_model_does_on_the_same_file()
    {
        var path = fixture.WriteFile("torch.jpg", TestImages.Jpeg(seed: 5, width: 120, height: 90));
        using var classifier = TwinHeadClassifier.Load(fixture.ModelPath);
        var tensorValues = new ImagePreprocessor(fixture.Metadata.Preprocessing).Preprocess(File.ReadAllBytes(path), path);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = fixture.Model.Network.call(tensor(tensorValues).reshape(1, 3, ExportedModelFixture.ImageSize, ExportedModelFixture.ImageSize));
        var (screen, notDocument) = fixture.Model.Architecture.Probabilities(logits);

        var classification = classifier.Classify(path);
        Assert.Equal(screen.item<float>(), classification.ScreenProbability, 1e-4);
        Assert.Equal(notDocument.item<float>(), classification.NotDocumentProbability, 1e-4);
        Assert.Equal(fixture.Metadata.Thresholds.Decide(screen.item<float>(), notDocument.item<float>()), classification.Decision);
    }
}
