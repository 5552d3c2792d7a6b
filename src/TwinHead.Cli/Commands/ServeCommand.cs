using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Inference;
using TwinHead.Server;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead serve [--model M] [--urls http://127.0.0.1:5000]</c>: the HTTP service and web page.</summary>
public sealed class ServeCommand : Command<ServeCommand.Settings>
{
    /// <summary>Arguments; defaults are <see cref="ServiceOptions"/>'s.</summary>
    public sealed class Settings : CommandSettings
    {
        private static readonly ServiceOptions Defaults = new();

        /// <summary>Model file.</summary>
        [CommandOption("-m|--model <ONNX>")]
        [Description("The TwinHead ONNX model to serve (reloaded when the file changes). Default: models/twinhead-default.onnx (or $TWINHEAD_MODEL).")]
        public string Model { get; init; } = "";

        /// <summary>Listen addresses.</summary>
        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on, separated by ';'. Default http://127.0.0.1:5000 (loopback only).")]
        public string Urls { get; init; } = "http://127.0.0.1:5000";

        /// <summary>Micro-batch size.</summary>
        [CommandOption("--max-batch <N>")]
        [Description("Most images per model run, gathered across concurrent requests. Default 16.")]
        public int MaxBatch { get; init; } = Defaults.MaxBatchSize;

        /// <summary>Micro-batch wait.</summary>
        [CommandOption("--max-wait-ms <MS>")]
        [Description("Longest an image waits for others to join its batch. Default 2.")]
        public double MaxWaitMs { get; init; } = Defaults.MaxBatchWait.TotalMilliseconds;

        /// <summary>Intra-op threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime threads per model run. Default 1 (the other cores decode).")]
        public int Threads { get; init; } = Defaults.IntraOpThreads;

        /// <summary>Decode slots.</summary>
        [CommandOption("--decoders <N>")]
        [Description("Images decoded at once. Default: one per core.")]
        public int Decoders { get; init; } = Defaults.DecodeConcurrency;

        /// <summary>Concurrent requests.</summary>
        [CommandOption("--max-concurrent <N>")]
        [Description("Classify requests served at once. Default 16.")]
        public int MaxConcurrent { get; init; } = Defaults.MaxConcurrentRequests;

        /// <summary>Queue length.</summary>
        [CommandOption("--max-queue <N>")]
        [Description("Classify requests allowed to wait; beyond, 503 + Retry-After. Default 128.")]
        public int MaxQueue { get; init; } = Defaults.MaxQueuedRequests;

        /// <summary>Body limit.</summary>
        [CommandOption("--max-body-mb <MB>")]
        [Description("Largest request body. Default 32.")]
        public double MaxBodyMb { get; init; } = Defaults.MaxBodyBytes / 1048576.0;

        /// <summary>Image limit.</summary>
        [CommandOption("--max-image-mb <MB>")]
        [Description("Largest single image. Default 16.")]
        public double MaxImageMb { get; init; } = Defaults.MaxImageBytes / 1048576.0;

        /// <summary>Pixel limit.</summary>
        [CommandOption("--max-megapixels <MP>")]
        [Description("Largest width x height an image may declare. Default 24.")]
        public double MaxMegapixels { get; init; } = Defaults.MaxPixels / 1e6;

        /// <summary>Files per request.</summary>
        [CommandOption("--max-files <N>")]
        [Description("Most files in one multipart request. Default 16.")]
        public int MaxFiles { get; init; } = Defaults.MaxFilesPerRequest;

        /// <summary>Request time limit.</summary>
        [CommandOption("--timeout-s <S>")]
        [Description("Longest one classify request may take. Default 30.")]
        public double TimeoutSeconds { get; init; } = Defaults.RequestTimeout.TotalSeconds;

        /// <summary>Animated images.</summary>
        [CommandOption("--allow-animated")]
        [Description("Classify the first frame of animated GIF/WebP/PNG instead of refusing them.")]
        public bool AllowAnimated { get; init; }

        /// <summary>No file watching.</summary>
        [CommandOption("--no-watch")]
        [Description("Do not reload the model when its file changes.")]
        public bool NoWatch { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = settings.Model is { Length: > 0 } named ? named : DefaultModel.Require("pass --model");
        var options = new ServiceOptions
        {
            ModelPath = model,
            WatchModel = !settings.NoWatch,
            MaxBatchSize = settings.MaxBatch,
            MaxBatchWait = TimeSpan.FromMilliseconds(settings.MaxWaitMs),
            IntraOpThreads = settings.Threads,
            DecodeConcurrency = settings.Decoders,
            MaxConcurrentRequests = settings.MaxConcurrent,
            MaxQueuedRequests = settings.MaxQueue,
            MaxBodyBytes = (long)(settings.MaxBodyMb * 1048576),
            MaxImageBytes = (long)(settings.MaxImageMb * 1048576),
            MaxPixels = (long)(settings.MaxMegapixels * 1e6),
            MaxFilesPerRequest = settings.MaxFiles,
            RequestTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            RejectAnimated = !settings.AllowAnimated,
        }.Validate();
        var urls = settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var app = TwinHeadService.Build(options, urls);
        AnsiConsole.MarkupLineInterpolated($"[green]serving[/] {options.ModelPath} on {string.Join(", ", urls)} (page at /, API under /v1, OpenAPI at /openapi/v1.json); Ctrl+C stops after in-flight requests");
        // Stopping the application (rather than abandoning Run) lets Kestrel drain in-flight requests.
        using var stop = cancellationToken.Register(app.Lifetime.StopApplication);
        app.Run();
        return 0;
    }
}
