using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using SkiaSharp;
using TwinHead.Core.Models;
using TwinHead.Inference;
using TwinHead.Server;
using TwinHead.Training.Export;
using TwinHead.Training.Models;

// Load benchmark of `twinhead serve` on loopback (not a test): a child process serves, this process loads it.
//   dotnet run -c Release --project bench/TwinHead.LoadTest -- [--model M.onnx] [--photos DIR] [--seconds 60] [--clients 32]
// The child is this same program run as `serve --model M --port P`, i.e. TwinHeadService.Build as `twinhead serve` uses it.
var arguments = Arguments.Parse(args);
if (args.Length > 0 && args[0] == "serve")
{
    var options = new ServiceOptions { ModelPath = arguments.Get("model", ""), WatchModel = false };
    using var app = TwinHeadService.Build(options, [$"http://127.0.0.1:{arguments.Get("port", "5099")}"]);
    app.Run();
    return 0;
}

var seconds = int.Parse(arguments.Get("seconds", "60"), CultureInfo.InvariantCulture);
var clients = int.Parse(arguments.Get("clients", "32"), CultureInfo.InvariantCulture);
var port = int.Parse(arguments.Get("port", "5099"), CultureInfo.InvariantCulture);
var work = Directory.CreateTempSubdirectory("twinhead-load-").FullName;
try
{
    var modelPath = arguments.Find("model") ?? ExportReferenceModel(work);
    var images = MakeJpegs(arguments.Get("photos", "/work/shared/data/real-dev"));
    Console.WriteLine($"{images.Count} JPEGs, {images.Average(i => i.Megapixels):F2} MP and {images.Average(i => i.Bytes.Length) / 1e6:F2} MB on average");

    var inProcess = MeasureInProcess(modelPath, images, TimeSpan.FromSeconds(Math.Min(20, seconds)));
    Console.WriteLine($"in-process: {inProcess:F1} images/s");

    using var server = StartServer(modelPath, port);
    try
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        await WaitReady(http, server);
        await Load(http, images, clients, TimeSpan.FromSeconds(5));
        ResetPeak(server.Id);
        var cpuBefore = server.TotalProcessorTime;
        var result = await Load(http, images, clients, TimeSpan.FromSeconds(seconds));
        server.Refresh();
        var cpu = (server.TotalProcessorTime - cpuBefore).TotalSeconds / seconds;
        var peakRss = PeakRss(server.Id);
        var meanBatch = MeanBatchSize(await http.GetStringAsync("/metrics"));
        Console.WriteLine();
        Console.WriteLine(Report(result, inProcess, peakRss, cpu, meanBatch, images, clients, seconds, arguments.Find("model") is null));
    }
    finally
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}
return 0;

// A two-headed ShuffleNetV2 x0.5 at 256 px with random weights costs exactly what a trained one does.
static string ExportReferenceModel(string folder)
{
    TorchSharp.torch.manual_seed(42);
    using var model = ModelRegistry.Create(new ModelOptions());
    model.Network.eval();
    var path = Path.Combine(folder, "reference-random.onnx");
    OnnxExporter.Export(model, new ModelMetadata { Architecture = model.Architecture.Name, Backbone = model.Backbone, Preprocessing = PreprocessingSpec.Reference() }, path);
    return path;
}

// Real photos scaled to 1, 1.5, 2, 2.5 or 3 MP (never up), re-encoded at quality 90; only in memory, never committed.
static List<LoadImage> MakeJpegs(string folder)
{
    var images = new List<LoadImage>();
    var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal);
    foreach (var file in files)
    {
        using var bitmap = SKBitmap.Decode(file);
        if (bitmap is null || (long)bitmap.Width * bitmap.Height < 1_000_000) continue;
        var target = 1e6 * (1 + 0.5 * (images.Count % 5));
        var scale = Math.Min(1, Math.Sqrt(target / ((double)bitmap.Width * bitmap.Height)));
        using var resized = bitmap.Resize(new SKImageInfo((int)(bitmap.Width * scale), (int)(bitmap.Height * scale)), new SKSamplingOptions(SKFilterMode.Linear));
        using var data = resized.Encode(SKEncodedImageFormat.Jpeg, 90);
        images.Add(new LoadImage(Path.GetFileName(file), data.ToArray(), resized.Width * resized.Height / 1e6));
    }
    if (images.Count == 0) throw new InvalidOperationException($"{folder}: no JPEG of at least 1 MP");
    return images;
}

// The library on its own, same images, one worker per core with batches of 16: what the service should approach.
static double MeasureInProcess(string modelPath, List<LoadImage> images, TimeSpan duration)
{
    using var classifier = TwinHeadClassifier.Load(modelPath, new ClassifierOptions { BatchSize = 16 });
    long done = 0;
    var stopwatch = Stopwatch.StartNew();
    Parallel.For(0, Environment.ProcessorCount, worker =>
    {
        var i = worker;
        while (stopwatch.Elapsed < duration)
        {
            var batch = Enumerable.Range(0, 16).Select(k => ImageInput.FromBytes(images[(i + k) % images.Count].Bytes, images[(i + k) % images.Count].Name)).ToList();
            Interlocked.Add(ref done, classifier.Classify(batch).Count(r => r.Succeeded));
            i += 16;
        }
    });
    return done / stopwatch.Elapsed.TotalSeconds;
}

static Process StartServer(string modelPath, int port)
{
    var self = typeof(LoadImage).Assembly.Location;
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in (string[])[self, "serve", "--model", modelPath, "--port", port.ToString(CultureInfo.InvariantCulture)]) start.ArgumentList.Add(a);
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine($"[service] {e.Data}"); };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine($"[service] {e.Data}"); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitReady(HttpClient http, Process server)
{
    for (var i = 0; i < 600; i++)
    {
        if (server.HasExited) throw new InvalidOperationException($"the service exited with code {server.ExitCode}");
        try
        {
            if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("the service did not become ready within 60 s");
}

static async Task<LoadResult> Load(HttpClient http, List<LoadImage> images, int clients, TimeSpan duration)
{
    var latencies = new List<double>[clients];
    var errors = new Dictionary<string, int>();
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        var mine = latencies[client] = [];
        for (var i = client; stopwatch.Elapsed < duration; i += clients)
        {
            var image = images[i % images.Count];
            using var content = new ByteArrayContent(image.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            var start = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                using var response = await http.PostAsync("/v1/classify?name=" + Uri.EscapeDataString(image.Name), content);
                await response.Content.ReadAsByteArrayAsync();
                error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                error = e.GetType().Name;
            }
            if (error is null)
            {
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                lock (errors) errors[error] = errors.GetValueOrDefault(error) + 1;
            }
        }
    })));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new LoadResult(all, errors, stopwatch.Elapsed);
}

static void ResetPeak(int pid)
{
    try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.WriteLine($"peak RSS not reset ({e.Message}): the figure includes start-up"); }
}

static long PeakRss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static double MeanBatchSize(string metrics)
{
    double Value(string name) => double.Parse(metrics.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
    return Value("twinhead_batch_size_sum") / Value("twinhead_batch_size_count");
}

static string Report(LoadResult r, double inProcess, long peakRss, double cpu, double meanBatch, List<LoadImage> images, int clients, int seconds, bool randomModel)
{
    double P(double q) => r.Latencies.Length == 0 ? double.NaN : r.Latencies[Math.Min(r.Latencies.Length - 1, (int)Math.Ceiling(q * r.Latencies.Length) - 1)];
    var throughput = r.Latencies.Length / r.Elapsed.TotalSeconds;
    var c = CultureInfo.InvariantCulture;
    var text = new StringBuilder();
    text.AppendLine(c, $"| clients | seconds | requests ok | errors | throughput req/s | p50 ms | p90 ms | p99 ms | max ms | in-process img/s | service / in-process | mean batch | service CPU cores | service peak RSS MB |");
    text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    text.AppendLine(c, $"| {clients} | {seconds} | {r.Latencies.Length} | {r.Errors.Values.Sum()}{(r.Errors.Count > 0 ? " (" + string.Join(", ", r.Errors.Select(e => $"{e.Key}: {e.Value}")) + ")" : "")} | {throughput:F1} | {P(0.5):F1} | {P(0.9):F1} | {P(0.99):F1} | {(r.Latencies.Length > 0 ? r.Latencies[^1] : double.NaN):F1} | {inProcess:F1} | {throughput / inProcess:P0} | {meanBatch:F2} | {cpu:F2} | {peakRss / 1e6:F0} |");
    text.AppendLine();
    text.AppendLine(c, $"Images: {images.Count} JPEGs made from the real-dev photos of at least 1 MP, scaled to 1-3 MP (mean {images.Average(i => i.Megapixels):F2} MP, {images.Average(i => i.Bytes.Length) / 1e6:F2} MB), sent as raw image/jpeg bodies in rotation.");
    text.AppendLine(c, $"Model: {(randomModel ? "two-headed ShuffleNetV2 x0.5 at 256 px with random weights (same cost as a trained one)" : "as given")}. Machine: {Environment.ProcessorCount} cores.");
    return text.ToString();
}

internal sealed record LoadImage(string Name, byte[] Bytes, double Megapixels);

internal sealed record LoadResult(double[] Latencies, Dictionary<string, int> Errors, TimeSpan Elapsed);

internal sealed class Arguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal)) parsed.values[args[i][2..]] = args[++i];
        }
        return parsed;
    }

    public string? Find(string name) => values.GetValueOrDefault(name);

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
