using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Inference;
using TwinHead.Training.Export;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead export RUN_OR_CHECKPOINT -o model.onnx [--fp16] [--architecture NAME]</c>.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>What to export.</summary>
        [CommandArgument(0, "<RUN_OR_CHECKPOINT>")]
        [Description("A run folder (its checkpoints/best.ckpt), a .ckpt file, or a PyTorch state_dict (.pt/.pth) from the reference pipeline.")]
        public string Model { get; init; } = "";

        /// <summary>ONNX output path.</summary>
        [CommandOption("-o|--output <PATH>")]
        [Description("The ONNX file to write (atomically).")]
        public string Output { get; init; } = "";

        /// <summary>Float16 weights.</summary>
        [CommandOption("--fp16")]
        [Description("Store weights as float16 (half the size; inputs, outputs and arithmetic stay float32).")]
        public bool HalfPrecision { get; init; }

        /// <summary>Architecture check or choice for a state_dict.</summary>
        [CommandOption("--architecture <NAME>")]
        [Description("two-headed or three-output; for a .pt file read from its keys when omitted, checked when given.")]
        public string? Architecture { get; init; }

        /// <summary>Input size for a state_dict.</summary>
        [CommandOption("--image-size <N>")]
        [Description("Input size written into the metadata of a .pt export (a checkpoint carries its own). Default 256.")]
        public int ImageSize { get; init; } = 256;

        /// <summary>Parity tolerance.</summary>
        [CommandOption("--tolerance <P>")]
        [Description("Largest allowed probability difference in the parity check. Default 1e-4, or 5e-2 with --fp16.")]
        public double? Tolerance { get; init; }

        /// <summary>Parity images.</summary>
        [CommandOption("--parity-images <PATH>")]
        [Description("Image files, folders or globs to run the parity check on (repeatable); default: 4 seeded random inputs.")]
        public string[] ParityImages { get; init; } = [];

        /// <summary>Screen threshold to store instead of the checkpoint's.</summary>
        [CommandOption("--screen-threshold <P>")]
        [Description("Store this p(screen) threshold in the ONNX file instead of the checkpoint's.")]
        public double? ScreenThreshold { get; init; }

        /// <summary>Not-document threshold to store instead of the checkpoint's.</summary>
        [CommandOption("--not-document-threshold <P>")]
        [Description("Store this p(not_document) threshold in the ONNX file instead of the checkpoint's.")]
        public double? NotDocumentThreshold { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output <PATH> is required")
            : ScreenThreshold is < 0 or > 1 ? ValidationResult.Error($"--screen-threshold {ScreenThreshold} must be in [0, 1]")
            : NotDocumentThreshold is < 0 or > 1 ? ValidationResult.Error($"--not-document-threshold {NotDocumentThreshold} must be in [0, 1]")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var path = Directory.Exists(settings.Model) ? ModelPaths.Checkpoint(settings.Model) : settings.Model;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint, state_dict or run folder", path);
        if (RunFolder.UnfinishedTrainingNote(path) is { } note) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {note}");
        using var source = ExportSource.Load(path, settings.Architecture, settings.ImageSize);
        AnsiConsole.MarkupLineInterpolated($"[grey]{source.Description}[/]");
        var metadata = settings.ScreenThreshold is null && settings.NotDocumentThreshold is null ? source.Metadata : source.Metadata with
        {
            Thresholds = new(settings.ScreenThreshold ?? source.Metadata.Thresholds.Screen, settings.NotDocumentThreshold ?? source.Metadata.Thresholds.NotDocument),
            Extra = new Dictionary<string, string>(source.Metadata.Extra) { ["thresholds_set_at_export"] = "true" },
        };
        var summary = OnnxExporter.Export(source.Model, metadata, settings.Output, new OnnxExportOptions { HalfPrecisionWeights = settings.HalfPrecision });
        AnsiConsole.MarkupLineInterpolated($"wrote [green]{summary.Path}[/]: {summary.FileBytes / 1e6:F2} MB, {summary.NodeCount} nodes, opset 17, {(summary.HalfPrecisionWeights ? "float16" : "float32")} weights, input {metadata.Preprocessing.Width}x{metadata.Preprocessing.Height}, thresholds screen {metadata.Thresholds.Screen:G4} / not-document {metadata.Thresholds.NotDocument:G4}");
        var report = ExportParity.Check(source.Model, metadata, summary.Path,
            new ParityOptions { Tolerance = settings.Tolerance ?? (settings.HalfPrecision ? 5e-2 : 1e-4) }, ParityInputs(settings.ParityImages, source.Metadata.Preprocessing));
        AnsiConsole.WriteLine(report.ToString());
        if (report.Passed) return 0;
        AnsiConsole.MarkupLine("[red]parity check failed:[/] the ONNX file does not compute what the model computes; do not ship it");
        return 1;
    }

    private static List<float[]>? ParityInputs(string[] arguments, PreprocessingSpec spec)
    {
        if (arguments.Length == 0) return null;
        var (files, unmatched) = ImagePaths.Expand(arguments);
        foreach (var u in unmatched) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {u.Error}");
        var preprocessor = new ImagePreprocessor(spec);
        var inputs = new List<float[]>();
        foreach (var file in files)
        {
            try { inputs.Add(preprocessor.Preprocess(File.ReadAllBytes(file), file)); }
            catch (ImageDecodeException e) { AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {e.Message}"); }
        }
        if (inputs.Count == 0) throw new ArgumentException("--parity-images: no decodable image found");
        return inputs;
    }
}
