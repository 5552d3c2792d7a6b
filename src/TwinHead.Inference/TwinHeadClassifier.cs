using System.Buffers;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using ModelMetadata = TwinHead.Core.Models.ModelMetadata;

namespace TwinHead.Inference;

/// <summary>
/// Classifies images with a TwinHead ONNX model. Everything it needs (input size, normalisation, thresholds) comes from
/// the model's metadata. One instance holds one ONNX Runtime session and is safe to share between threads: the session's
/// Run and the preprocessor are thread-safe and buffers come from a shared pool.
/// </summary>
public sealed class TwinHeadClassifier : IDisposable
{
    private const string InputName = "image";
    private const string ScreenOutput = "screen_prob";
    private const string NotDocumentOutput = "not_document_prob";
    private static readonly string[] InputNames = [InputName];
    private static readonly string[] OutputNames = [ScreenOutput, NotDocumentOutput];

    private readonly InferenceSession session;
    private readonly ClassifierOptions options;

    private TwinHeadClassifier(string path, InferenceSession session, ModelMetadata metadata, ClassifierOptions options)
    {
        ModelPath = path;
        this.session = session;
        this.options = options;
        Metadata = metadata;
        Thresholds = new DecisionThresholds(options.ScreenThreshold ?? metadata.Thresholds.Screen, options.NotDocumentThreshold ?? metadata.Thresholds.NotDocument);
        Preprocessor = new ImagePreprocessor(metadata.Preprocessing, options.DecodeLimits);
    }

    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>What the model says about itself.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Thresholds in use (the options' override, or the model's).</summary>
    public DecisionThresholds Thresholds { get; }

    /// <summary>The preprocessing pipeline (TwinHead.Imaging's, configured from the metadata): the same one training evaluates with.</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Floats in one image's input tensor.</summary>
    public int TensorLength => Preprocessor.TensorLength;

    /// <summary>
    /// Loads a TwinHead ONNX model, reads its metadata and warms it up.
    /// Throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> naming the file and what is wrong.
    /// </summary>
    public static TwinHeadClassifier Load(string path, ClassifierOptions? options = null)
    {
        options = (options ?? new ClassifierOptions()).Validate();
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found", path);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        InferenceSession session;
        try { session = new InferenceSession(path, sessionOptions); }
        catch (OnnxRuntimeException e) { throw new InvalidDataException($"{path}: not a loadable ONNX model: {e.Message}", e); }
        try
        {
            CheckSignature(session, path);
            var metadata = ModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
            var dims = session.InputMetadata[InputName].Dimensions;
            if (dims[1] != 3 || dims[2] != metadata.Preprocessing.Height || dims[3] != metadata.Preprocessing.Width)
                throw new InvalidDataException($"{path}: input '{InputName}' is [{string.Join(",", dims)}] but the metadata says 3x{metadata.Preprocessing.Height}x{metadata.Preprocessing.Width}");
            var classifier = new TwinHeadClassifier(path, session, metadata, options);
            classifier.WarmUp(options.WarmupRuns);
            return classifier;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Classifies one encoded image. Throws <see cref="ImageDecodeException"/> when it cannot be decoded.</summary>
    public Classification Classify(byte[] encoded, string source = "upload") =>
        Classify(EncodedImageReader.CheckSize(encoded, options.MaxBytes, source).AsSpan(), source);

    /// <summary>Classifies one encoded image. Throws <see cref="ImageDecodeException"/> when it cannot be decoded.</summary>
    public Classification Classify(ReadOnlySpan<byte> encoded, string source)
    {
        var start = Stopwatch.GetTimestamp();
        var buffer = ArrayPool<float>.Shared.Rent(TensorLength);
        try
        {
            Preprocessor.Preprocess(encoded, buffer.AsSpan(0, TensorLength), source);
            var preprocessed = Stopwatch.GetTimestamp();
            var (screen, notDocument) = RunModelOnce(buffer, 1);
            var done = Stopwatch.GetTimestamp();
            return Decide(source, screen[0], notDocument[0], Stopwatch.GetElapsedTime(start, preprocessed), Stopwatch.GetElapsedTime(preprocessed, done));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Classifies an image read from <paramref name="stream"/> to its end (the stream is not disposed).</summary>
    public Classification Classify(Stream stream, string source = "stream") => ClassifyInput(ImageInput.FromStream(stream, source));

    /// <summary>Classifies an image file. Throws <see cref="ImageDecodeException"/> or <see cref="IOException"/> naming the file.</summary>
    public Classification Classify(string path) => ClassifyInput(ImageInput.FromFile(path));

    /// <summary>Classifies image files in batches; a file that cannot be read or decoded yields a failed result, never an exception.</summary>
    public IEnumerable<ClassificationResult> Classify(IEnumerable<string> paths) => Classify(paths.Select(ImageInput.FromFile));

    /// <summary>
    /// Classifies inputs in batches of <see cref="ClassifierOptions.BatchSize"/>, yielding results in input order as each batch
    /// finishes. An input that cannot be read or decoded yields a failed result, never an exception.
    /// </summary>
    public IEnumerable<ClassificationResult> Classify(IEnumerable<ImageInput> inputs)
    {
        var batchSize = options.BatchSize;
        var length = TensorLength;
        var chunk = new List<ImageInput>(batchSize);
        foreach (var input in inputs)
        {
            chunk.Add(input);
            if (chunk.Count < batchSize) continue;
            foreach (var result in ClassifyChunk(chunk, length)) yield return result;
            chunk.Clear();
        }
        if (chunk.Count > 0)
        {
            foreach (var result in ClassifyChunk(chunk, length)) yield return result;
        }
    }

    /// <summary>
    /// Runs the model alone on <paramref name="count"/> preprocessed CHW tensors laid out one after another in
    /// <paramref name="batchChw"/>; returns p(screen) and p(not_document) per image. For benchmarks and callers with their own preprocessing.
    /// </summary>
    public (float[] Screen, float[] NotDocument) RunModel(ReadOnlySpan<float> batchChw, int count)
    {
        if (count < 1 || batchChw.Length != count * TensorLength)
            throw new ArgumentException($"expected {count} x {TensorLength} floats, got {batchChw.Length}", nameof(batchChw));
        var buffer = ArrayPool<float>.Shared.Rent(batchChw.Length);
        try
        {
            batchChw.CopyTo(buffer);
            return RunModelOnce(buffer, count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>The three-way decision for two probabilities under <see cref="Thresholds"/>.</summary>
    public DocumentClass Decide(double screenProbability, double notDocumentProbability) => Thresholds.Decide(screenProbability, notDocumentProbability);

    /// <inheritdoc />
    public void Dispose() => session.Dispose();

    private Classification ClassifyInput(ImageInput input)
    {
        var start = Stopwatch.GetTimestamp();
        var bytes = input.Read(options.MaxBytes);
        var classification = Classify(bytes.AsSpan(), input.Source);
        // Reading the input belongs to preprocessing.
        var reading = Stopwatch.GetElapsedTime(start) - classification.Timings.Total;
        return classification with { Timings = classification.Timings with { Preprocess = classification.Timings.Preprocess + reading } };
    }

    private List<ClassificationResult> ClassifyChunk(List<ImageInput> chunk, int length)
    {
        var results = new ClassificationResult?[chunk.Count];
        var preprocessTimes = new TimeSpan[chunk.Count];
        var slots = new List<int>(chunk.Count);
        var buffer = ArrayPool<float>.Shared.Rent(chunk.Count * length);
        try
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var bytes = chunk[i].Read(options.MaxBytes);
                    Preprocessor.Preprocess(bytes, buffer.AsSpan(slots.Count * length, length), chunk[i].Source);
                    slots.Add(i);
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
                {
                    results[i] = ClassificationResult.Failed(chunk[i].Source, e);
                }
                preprocessTimes[i] = Stopwatch.GetElapsedTime(start);
            }
            if (slots.Count > 0)
            {
                var modelStart = Stopwatch.GetTimestamp();
                var (screen, notDocument) = RunModelOnce(buffer, slots.Count);
                var perImage = Stopwatch.GetElapsedTime(modelStart) / slots.Count;
                for (var k = 0; k < slots.Count; k++)
                {
                    var i = slots[k];
                    results[i] = new ClassificationResult(chunk[i].Source, Decide(chunk[i].Source, screen[k], notDocument[k], preprocessTimes[i], perImage), null, null);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
        return [.. results.Select(r => r!)];
    }

    private (float[] Screen, float[] NotDocument) RunModelOnce(float[] buffer, int count)
    {
        var spec = Metadata.Preprocessing;
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, count * TensorLength), [count, 3, spec.Height, spec.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, InputNames, [input], OutputNames);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private Classification Decide(string source, float screen, float notDocument, TimeSpan preprocess, TimeSpan model) =>
        new(source, screen, notDocument, Thresholds.Decide(screen, notDocument), Thresholds, new ClassificationTimings(preprocess, model));

    private void WarmUp(int runs)
    {
        if (runs == 0) return;
        var blank = new float[TensorLength];
        for (var i = 0; i < runs; i++) RunModelOnce(blank, 1);
    }

    private static void CheckSignature(InferenceSession session, string path)
    {
        if (!session.InputMetadata.TryGetValue(InputName, out var input) || input.Dimensions.Length != 4)
            throw new InvalidDataException($"{path}: the model has no 4-D input '{InputName}'; is it a TwinHead export?");
        foreach (var name in OutputNames)
        {
            if (!session.OutputMetadata.ContainsKey(name))
                throw new InvalidDataException($"{path}: the model has no output '{name}'; is it a TwinHead export?");
        }
    }
}
