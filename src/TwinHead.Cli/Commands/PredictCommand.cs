using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Labels;
using TwinHead.Inference;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead predict [MODEL.onnx] PATHS... [--format table|jsonl|csv]</c>; without a model, the shipped default.</summary>
public sealed class PredictCommand : Command<PredictCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Model and images.</summary>
        [CommandArgument(0, "<MODEL_AND_PATHS>")]
        [Description("Optionally a TwinHead ONNX model (*.onnx, from twinhead export) first; then image files, folders (searched recursively) and globs (*, ?, **). " +
                     "Without a model: models/twinhead-default.onnx (or $TWINHEAD_MODEL).")]
        public string[] Inputs { get; init; } = [];

        /// <summary>The model argument, when the first input names an ONNX file.</summary>
        public string? Model => Inputs.Length > 0 && Inputs[0].EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? Inputs[0] : null;

        /// <summary>The image arguments.</summary>
        public string[] Paths => Model is null ? Inputs : Inputs[1..];

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (default), jsonl or csv.")]
        public string Format { get; init; } = "table";

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime intra-op threads. Default 1.")]
        public int Threads { get; init; } = 1;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch-size <N>")]
        [Description("Images per model run. Default 16.")]
        public int BatchSize { get; init; } = 16;

        /// <summary>Pixel limit.</summary>
        [CommandOption("--max-pixels <N>")]
        [Description("Reject images whose header declares more pixels. Default 100000000.")]
        public long MaxPixels { get; init; } = 100_000_000;

        /// <summary>Screen threshold override.</summary>
        [CommandOption("--screen-threshold <P>")]
        [Description("Use this p(screen) threshold instead of the model's.")]
        public double? ScreenThreshold { get; init; }

        /// <summary>Not-document threshold override.</summary>
        [CommandOption("--not-document-threshold <P>")]
        [Description("Use this p(not_document) threshold instead of the model's.")]
        public double? NotDocumentThreshold { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Format is not ("table" or "jsonl" or "csv") ? ValidationResult.Error($"--format '{Format}' is unknown; use table, jsonl or csv")
            : Paths.Length == 0 ? ValidationResult.Error("name at least one image, folder or glob")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new ClassifierOptions
        {
            IntraOpThreads = settings.Threads, BatchSize = settings.BatchSize, MaxPixels = settings.MaxPixels,
            ScreenThreshold = settings.ScreenThreshold, NotDocumentThreshold = settings.NotDocumentThreshold,
        };
        var model = settings.Model ?? DefaultModel.Require("pass a .onnx file first");
        return Run(TwinHeadClassifier.Load(model, options), settings, cancellationToken);
    }

    private static int Run(TwinHeadClassifier classifier, Settings settings, CancellationToken cancellationToken)
    {
        using var _ = classifier;
        var (files, unmatched) = ImagePaths.Expand(settings.Paths);
        var results = unmatched.Select(u => new ClassificationResult(u.Argument, null, InputFailure.Unreadable, u.Error))
            .Concat(classifier.Classify(files).TakeWhile(_ => !cancellationToken.IsCancellationRequested));
        var failed = 0;
        var total = 0;
        switch (settings.Format)
        {
            case "jsonl":
                foreach (var r in results) { Count(r); Console.Out.WriteLine(ClassificationWriter.ToJsonLine(r)); }
                break;
            case "csv":
                Console.Out.WriteLine(ClassificationWriter.CsvHeader);
                foreach (var r in results) { Count(r); Console.Out.WriteLine(ClassificationWriter.ToCsvRow(r)); }
                break;
            default:
                var table = new Table().AddColumns("image", "decision", "p(screen)", "p(not_document)", "ms / error");
                foreach (var r in results)
                {
                    Count(r);
                    if (r.Classification is { } c)
                    {
                        table.AddRow(Markup.Escape(r.Source), Color(c.Decision), P(c.ScreenProbability), P(c.NotDocumentProbability),
                            c.Timings.Total.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        var error = r.Error ?? "";
                        if (error.StartsWith(r.Source + ": ", StringComparison.Ordinal)) error = error[(r.Source.Length + 2)..];
                        table.AddRow(Markup.Escape(r.Source), "[red]error[/]", "", "", Markup.Escape(error));
                    }
                }
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLineInterpolated($"[grey]{total} input(s), {failed} failed; thresholds screen {classifier.Thresholds.Screen:0.###}, not_document {classifier.Thresholds.NotDocument:0.###}[/]");
                break;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return failed > 0 ? 1 : 0;

        void Count(ClassificationResult r)
        {
            total++;
            if (!r.Succeeded) failed++;
        }
    }

    private static string P(double p) => p.ToString("F4", CultureInfo.InvariantCulture);

    private static string Color(DocumentClass decision) => decision switch
    {
        DocumentClass.Screen => "[yellow]screen[/]",
        DocumentClass.NotDocument => "[blue]not_document[/]",
        _ => "[green]document[/]",
    };
}
