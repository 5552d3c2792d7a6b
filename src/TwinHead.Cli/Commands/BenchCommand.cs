using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Imaging;
using TwinHead.Inference;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead bench MODEL.onnx [MODEL2.onnx...] [IMAGES...]</c>: the seed's latency and more, models side by side.</summary>
public sealed class BenchCommand : Command<BenchCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Models and images.</summary>
        [CommandArgument(0, "<MODELS_AND_IMAGES>")]
        [Description("ONNX models (*.onnx, one row each) followed by image files, folders or globs (held in memory while measuring).")]
        public string[] Paths { get; init; } = [];

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime intra-op threads. Default 1 (the seed's setting).")]
        public int Threads { get; init; } = 1;

        /// <summary>Passes.</summary>
        [CommandOption("--passes <N>")]
        [Description("Timed passes over all images. Default 1.")]
        public int Passes { get; init; } = 1;

        /// <summary>Warm-up.</summary>
        [CommandOption("--warmup <N>")]
        [Description("Untimed classifications first. Default 3.")]
        public int Warmup { get; init; } = 3;

        /// <summary>Throughput batch.</summary>
        [CommandOption("--batch-size <N>")]
        [Description("Batch size of the throughput measurement. Default 16.")]
        public int BatchSize { get; init; } = 16;

        /// <summary>Image cap.</summary>
        [CommandOption("--limit <N>")]
        [Description("Use at most N images (0: all). Default 0.")]
        public int Limit { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json <PATH>")]
        [Description("Also write the results as JSON.")]
        public string? Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Paths.Any(p => p.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) ? ValidationResult.Success() : ValidationResult.Error("give at least one .onnx model");
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var models = settings.Paths.Where(p => p.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
        var (files, unmatched) = ImagePaths.Expand(settings.Paths.Where(p => !p.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)));
        foreach (var u in unmatched) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {u.Error}");
        if (settings.Limit > 0) files = [.. files.Take(settings.Limit)];
        var images = files.Select(f => new EncodedImage(f, File.ReadAllBytes(f))).ToList();
        if (images.Count == 0) AnsiConsole.MarkupLine("[yellow]no images: measuring the model alone (end-to-end and decode columns stay empty)[/]");
        var options = new BenchmarkOptions { Threads = settings.Threads, Passes = settings.Passes, WarmupIterations = settings.Warmup, ThroughputBatchSize = settings.BatchSize };
        var results = new List<BenchmarkResult>();
        foreach (var model in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AnsiConsole.MarkupLineInterpolated($"[grey]measuring {model} on {images.Count} image(s)...[/]");
            results.Add(InferenceBenchmark.Run(model, images, options));
        }
        Console.Out.WriteLine();
        Console.Out.Write(InferenceBenchmark.FormatTable(results));
        AnsiConsole.MarkupLineInterpolated($"[grey]JPEG decoder: {ImageDecoder.JpegDecoderName}[/]");
        AnsiConsole.MarkupLine("[grey]end-to-end: encoded bytes in memory to decision, batch 1, after warm-up (the seed's latency); model-only excludes preprocessing; img/s is model-only at the given batch[/]");
        if (settings.Json is { } json) File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
