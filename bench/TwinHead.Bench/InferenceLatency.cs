using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TwinHead.Core.Data;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Inference;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Bench;

/// <summary>
/// Per-image inference on real photos held in memory, the seed's latency (batch 1, decode + transforms + model + softmax), for the
/// issue-3 goals: ONNX Runtime with 1 and 2 intra-op threads via <see cref="InferenceBenchmark"/>, end-to-end throughput with one
/// and two concurrent callers on one shared session, and the TorchSharp eager model on the same preprocessing for comparison.
/// </summary>
public static class InferenceLatency
{
    /// <summary>Runs every measurement and prints them.</summary>
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var modelPath = a.Get("model", "");
        if (modelPath.Length == 0 || !File.Exists(modelPath))
        {
            Console.Error.WriteLine($"--model '{modelPath}': ONNX file not found (make a random one with the export-random command)");
            return 2;
        }
        var csv = a.Get("csv", "/work/shared/data/real-dev/test.csv");
        var images = ReadImages(csv, a.Get("root", ""), a.GetInt("limit", 0));
        var passes = a.GetInt("passes", 1);
        Console.WriteLine($"{images.Count} images from {csv} ({images.Sum(i => (long)i.Bytes.Length) / 1e6:F1} MB encoded), {passes} timed pass(es), batch 1");
        Console.WriteLine($"JPEG decoder: {ImageDecoder.JpegDecoderName} (TWINHEAD_JPEG_DECODER=skia forces Skia)");

        var results = new List<BenchmarkResult>();
        foreach (var threads in new[] { 1, 2 })
            results.Add(InferenceBenchmark.Run(modelPath, images, new BenchmarkOptions { Threads = threads, Passes = passes, ThroughputBatches = 20 }));
        Console.WriteLine();
        Console.WriteLine("ONNX Runtime (TwinHead.Inference.InferenceBenchmark):");
        Console.Write(InferenceBenchmark.FormatTable(results));
        foreach (var r in results)
        {
            Invariant.WriteLine($"  threads {r.Threads}: end-to-end {Describe(r.EndToEnd!)}");
            Invariant.WriteLine($"             decode {Describe(r.Decode!)}");
            Invariant.WriteLine($"       after decode {Describe(r.AfterDecode!)}");
            Invariant.WriteLine($"         model only {Describe(r.ModelOnly)}");
        }
        var (single, dual) = (results[0].ThroughputImagesPerSecond, results[1].ThroughputImagesPerSecond);
        Invariant.WriteLine($"  model-only throughput at batch {results[0].ThroughputBatchSize}: 1 thread {single:F1} images/s, 2 threads {dual:F1} images/s, ratio {dual / single:F2}x");

        var repeats = a.GetInt("repeats", 3);
        if (repeats > 0)
        {
            BestOfRepeats(modelPath, images, repeats);
            DecodeBreakdown(images, repeats);
        }

        Console.WriteLine();
        var one = ConcurrentThroughput(modelPath, images, callers: 1, passes);
        var two = ConcurrentThroughput(modelPath, images, callers: 2, passes);
        Invariant.WriteLine($"end-to-end throughput, one shared session (1 intra-op thread), batch 1: 1 caller {one:F1} images/s, 2 concurrent callers {two:F1} images/s, ratio {two / one:F2}x");

        Console.WriteLine();
        TorchSharpEager(images, passes);
        return 0;
    }

    /// <summary>Reads the images a split CSV lists (relative to <paramref name="root"/>, by default the CSV's folder); the first <paramref name="limit"/> when positive.</summary>
    private static List<EncodedImage> ReadImages(string csv, string root, int limit)
    {
        if (root.Length == 0) root = Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var content = SplitCsv.Read(csv);
        if (content.Problems.Count > 0) throw new InvalidDataException($"{csv}: {string.Join("; ", content.Problems)}");
        var rows = limit > 0 ? content.Rows.Take(limit) : content.Rows;
        return rows.Select(r => new EncodedImage(r.RelativePath, File.ReadAllBytes(Path.Combine(root, r.RelativePath)))).ToList();
    }

    private static string Describe(TimingSummary t) => string.Create(CultureInfo.InvariantCulture,
        $"n={t.Count} median {t.MedianMs:F2} ms, mean {t.MeanMs:F2} ms, p90 {t.P90Ms:F2} ms, min {t.MinMs:F2} ms");

    /// <summary>
    /// Per image, the fastest of <paramref name="repeats"/> runs of end-to-end, decode and after-decode (ONNX Runtime, 1 thread): on a
    /// machine shared with other work the minimum is the figure least inflated by preemption. Mirrors infer_latency.py's section.
    /// </summary>
    private static void BestOfRepeats(string modelPath, IReadOnlyList<EncodedImage> images, int repeats)
    {
        using var classifier = TwinHeadClassifier.Load(modelPath, new ClassifierOptions { IntraOpThreads = 1 });
        var spec = classifier.Metadata.Preprocessing;
        var limits = ImageDecodeLimits.Default;
        var tensor = new float[classifier.TensorLength];
        foreach (var image in images.Take(3)) classifier.Classify(image.Bytes, image.Name);
        List<double> endToEnd = [], decode = [], afterDecode = [];
        foreach (var image in images)
        {
            double bestEnd = double.MaxValue, bestDecode = double.MaxValue, bestAfter = double.MaxValue;
            for (var r = 0; r < repeats; r++)
            {
                var start = Stopwatch.GetTimestamp();
                classifier.Classify(image.Bytes, image.Name);
                bestEnd = Math.Min(bestEnd, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var (decodeMs, afterDecodeMs) = InferenceBenchmark.TimeStages(classifier, image, tensor, limits);
                bestDecode = Math.Min(bestDecode, decodeMs);
                bestAfter = Math.Min(bestAfter, afterDecodeMs);
            }
            endToEnd.Add(bestEnd);
            decode.Add(bestDecode);
            afterDecode.Add(bestAfter);
        }
        Invariant.WriteLine($"  per image, best of {repeats} runs (1 thread): end-to-end {Describe(TimingSummary.From(endToEnd))}");
        Invariant.WriteLine($"                                  decode {Describe(TimingSummary.From(decode))}");
        Invariant.WriteLine($"                            after decode {Describe(TimingSummary.From(afterDecode))}");
    }

    /// <summary>
    /// Where decode time goes, per image best of <paramref name="repeats"/>: Skia's codec set-up (header parse), the scaled JPEG decode
    /// into RGBA (libjpeg-turbo inside Skia) and the whole <see cref="ImageDecoder.Decode"/> (which adds EXIF orientation and RGB conversion).
    /// </summary>
    private static unsafe void DecodeBreakdown(IReadOnlyList<EncodedImage> images, int repeats)
    {
        const int side = 256;
        List<double> create = [], pixels = [], whole = [];
        foreach (var image in images)
        {
            double bestCreate = double.MaxValue, bestPixels = double.MaxValue, bestWhole = double.MaxValue;
            for (var r = 0; r < repeats; r++)
            {
                fixed (byte* bytes = image.Bytes)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var data = SkiaSharp.SKData.Create((IntPtr)bytes, image.Bytes.Length);
                    using var codec = SkiaSharp.SKCodec.Create(data);
                    var created = Stopwatch.GetTimestamp();
                    var size = codec.Info.Size;
                    foreach (var reduction in new[] { 8, 4, 2 })
                    {
                        if (codec.EncodedFormat != SkiaSharp.SKEncodedImageFormat.Jpeg || size.Width < reduction * side || size.Height < reduction * side) continue;
                        size = codec.GetScaledDimensions(1f / reduction);
                        break;
                    }
                    var buffer = new byte[size.Width * size.Height * 4];
                    fixed (byte* target = buffer)
                        codec.GetPixels(new SkiaSharp.SKImageInfo(size.Width, size.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul), (IntPtr)target);
                    var end = Stopwatch.GetTimestamp();
                    bestCreate = Math.Min(bestCreate, Stopwatch.GetElapsedTime(start, created).TotalMilliseconds);
                    bestPixels = Math.Min(bestPixels, Stopwatch.GetElapsedTime(created, end).TotalMilliseconds);
                }
                var wholeStart = Stopwatch.GetTimestamp();
                ImageDecoder.Decode(image.Bytes, side, side, ImageDecodeLimits.Default, image.Name);
                bestWhole = Math.Min(bestWhole, Stopwatch.GetElapsedTime(wholeStart).TotalMilliseconds);
            }
            create.Add(bestCreate);
            pixels.Add(bestPixels);
            whole.Add(bestWhole);
        }
        Invariant.WriteLine($"  decode breakdown, per image best of {repeats}: SKCodec.Create {Describe(TimingSummary.From(create))}");
        Invariant.WriteLine($"                       Skia scaled GetPixels (RGBA) {Describe(TimingSummary.From(pixels))}");
        Invariant.WriteLine($"          ImageDecoder.Decode (+EXIF, RGB, checks) {Describe(TimingSummary.From(whole))}");
    }

    /// <summary>Images per second when <paramref name="callers"/> threads classify all images from memory through one classifier.</summary>
    private static double ConcurrentThroughput(string modelPath, IReadOnlyList<EncodedImage> images, int callers, int passes)
    {
        using var classifier = TwinHeadClassifier.Load(modelPath, new ClassifierOptions { IntraOpThreads = 1 });
        foreach (var image in images.Take(3)) classifier.Classify(image.Bytes, image.Name);
        var work = Enumerable.Repeat(images, passes).SelectMany(i => i).ToArray();
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < work.Length) classifier.Classify(work[i].Bytes, work[i].Name);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return work.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The same preprocessing feeding the TorchSharp eager model (eval, no_grad, 1 thread), random weights.</summary>
    private static void TorchSharpEager(IReadOnlyList<EncodedImage> images, int passes)
    {
        torch.set_num_threads(1);
        torch.random.manual_seed(42);
        using var model = ModelRegistry.Create(new ModelOptions());
        model.Network.eval();
        var spec = PreprocessingSpec.Reference(256);
        var preprocessor = new ImagePreprocessor(spec);
        var limits = ImageDecodeLimits.Default;
        var buffer = new float[preprocessor.TensorLength];
        using var _ = no_grad();

        float Classify(RgbImage decoded)
        {
            using var scope = NewDisposeScope();
            preprocessor.WriteTensor(ImageResizer.Resize(decoded, spec.Width, spec.Height), buffer);
            var (screen, notDocument) = model.Architecture.Probabilities(model.Network.call(tensor(buffer).view(1, 3, spec.Height, spec.Width)));
            return screen.item<float>() + notDocument.item<float>();
        }

        foreach (var image in images.Take(3)) Classify(ImageDecoder.Decode(image.Bytes, spec.Width, spec.Height, limits, image.Name));
        List<double> endToEnd = [], afterDecode = [], modelOnly = [];
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var image in images)
            {
                var start = Stopwatch.GetTimestamp();
                var decoded = ImageDecoder.Decode(image.Bytes, spec.Width, spec.Height, limits, image.Name);
                var decodedAt = Stopwatch.GetTimestamp();
                Classify(decoded);
                var end = Stopwatch.GetTimestamp();
                endToEnd.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
                afterDecode.Add(Stopwatch.GetElapsedTime(decodedAt, end).TotalMilliseconds);
            }
        }
        var input = tensor(buffer).view(1, 3, spec.Height, spec.Width);
        for (var i = 0; i < 50; i++)
        {
            using var scope = NewDisposeScope();
            var start = Stopwatch.GetTimestamp();
            var (screen, _) = model.Architecture.Probabilities(model.Network.call(input));
            screen.item<float>();
            modelOnly.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine("TorchSharp eager (same decode and preprocessing, 1 torch thread, random weights):");
        Invariant.WriteLine($"  end-to-end {Describe(TimingSummary.From(endToEnd))}");
        Invariant.WriteLine($"  after decode {Describe(TimingSummary.From(afterDecode))}");
        Invariant.WriteLine($"  model only {Describe(TimingSummary.From(modelOnly))}");
    }
}
