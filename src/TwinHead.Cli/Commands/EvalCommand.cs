using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Data;
using TwinHead.Core.Metrics;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead eval CHECKPOINT_OR_RUN [--data ROOT] [--split test]</c>.</summary>
public sealed class EvalCommand : Command<EvalCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Checkpoint or run folder.</summary>
        [CommandArgument(0, "<CHECKPOINT_OR_RUN>")]
        [Description("A .ckpt file, or a run folder (its checkpoints/best.ckpt).")]
        public string Model { get; init; } = "";

        /// <summary>Dataset root.</summary>
        [CommandOption("-d|--data <ROOT>")]
        [Description("Dataset root; default: the run's data.root.")]
        public string? Data { get; init; }

        /// <summary>Split.</summary>
        [CommandOption("-s|--split <SPLIT>")]
        [Description("train, val, test, or a CSV path. Default: test.")]
        public string Split { get; init; } = "test";

        /// <summary>Latency sample size.</summary>
        [CommandOption("--latency <N>")]
        [Description("Images timed one by one for the latency column (0: skip). Default 50.")]
        public int Latency { get; init; } = 50;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch-size <N>")]
        public int BatchSize { get; init; } = 64;

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("TorchSharp threads (latency is measured with these). Default 1.")]
        public int Threads { get; init; } = 1;

        /// <summary>Bootstrap resamples.</summary>
        [CommandOption("--bootstrap <N>")]
        [Description("Resamples for the 95% confidence intervals of the headline metrics (0: skip). Default 1000.")]
        public int Bootstrap { get; init; } = 1000;

        /// <summary>A second model to compare with.</summary>
        [CommandOption("--versus <CHECKPOINT_OR_RUN>")]
        [Description("A second model, evaluated on the same images: prints both and the paired 95% interval of each metric's difference.")]
        public string? Versus { get; init; }

        /// <summary>Column to break the metrics down by.</summary>
        [CommandOption("--by <COLUMN>")]
        [Description("Also report each value of this column separately (3-way accuracy, screen recall, false alarms), e.g. device, content, background or layout of a generated dataset's generator.csv.")]
        public string? By { get; init; }

        /// <summary>CSV that holds the <see cref="By"/> column.</summary>
        [CommandOption("--groups <FILE>")]
        [Description("CSV or TSV with a header row, a 'path' (or 'file') column (relative to the dataset root, as in the split CSVs) and the --by column; default: the dataset's generator.csv. Tag your own photos this way, or pass a SOURCES.tsv listing.")]
        public string? Groups { get; init; }

        /// <summary>Run the perturbation probe.</summary>
        [CommandOption("--probe")]
        [Description("Also evaluate with a fixed change to every image (grey, saturation x0.6/x1.6, brightness x0.8/x1.2, contrast x0.7/x1.3, blur, noise, JPEG 30) and show how screens found, false alarms, accuracy, AUC and the mean probabilities move: which of these properties the model leans on.")]
        public bool Probe { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Bootstrap < 0 ? ValidationResult.Error($"--bootstrap must be 0 or more, got {Bootstrap}")
            : Latency < 0 ? ValidationResult.Error($"--latency must be 0 or more, got {Latency}")
            : Groups is not null && By is null ? ValidationResult.Error("--groups needs --by COLUMN (which of its columns to group by)")
            : By is not null && string.IsNullOrWhiteSpace(By) ? ValidationResult.Error("--by needs a column name")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var checkpointPath = ModelPaths.Checkpoint(settings.Model);
        foreach (var model in new[] { settings.Model, settings.Versus }.OfType<string>())
        {
            if (RunFolder.UnfinishedTrainingNote(model) is { } note) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {note}");
        }
        using var checkpoint = CheckpointFile.Load(checkpointPath);
        TorchSharp.torch.set_num_threads(Math.Max(1, settings.Threads));
        var root = settings.Data ?? ModelPaths.RunConfig(settings.Model)?.Data.Root
            ?? throw new ArgumentException("--data is required when evaluating a checkpoint outside its run folder");
        var dataset = ImageDataset.Load(root, settings.Split, requireAllClasses: false);
        // Read before the model runs, so a wrong column or file fails at once.
        var groups = settings.By is null ? null : ReadGroups(settings.Groups, root, settings.By);
        var spec = checkpoint.Metadata.Preprocessing;
        var probe = settings.Probe ? RunProbe(checkpoint, dataset, settings.BatchSize) : null;
        var evaluation = probe?[0].Evaluation
            ?? Evaluator.Evaluate(checkpoint.Model, dataset, new BatchLoader(dataset, spec, ImageDecodeLimits.Default, null, 0), settings.BatchSize, checkpoint.Metadata.Thresholds);
        var latency = settings.Latency > 0 ? Evaluator.MeasureLatency(checkpoint.Model, dataset, new ImagePreprocessor(spec), settings.Latency) : double.NaN;
        ReportTables.Write(evaluation, $"{checkpointPath} on {dataset.Split}");
        if (settings.Bootstrap > 0)
            AnsiConsole.Write(ReportTables.Intervals(Core.Metrics.BootstrapIntervals.Compute(evaluation.Predictions, checkpoint.Metadata.Thresholds, settings.Bootstrap), settings.Bootstrap, evaluation.Predictions.Count));
        if (groups is not null)
            AnsiConsole.Write(ReportTables.Groups(GroupedReport.By(evaluation.Predictions, groups, checkpoint.Metadata.Thresholds), settings.By!, checkpointPath));
        if (probe is not null)
            AnsiConsole.Write(ReportTables.Probe(probe, checkpointPath));
        if (settings.Versus is not null)
        {
            var otherPath = ModelPaths.Checkpoint(settings.Versus);
            using var other = CheckpointFile.Load(otherPath);
            var otherEvaluation = Evaluator.Evaluate(other.Model, dataset, new BatchLoader(dataset, other.Metadata.Preprocessing, ImageDecodeLimits.Default, null, 0), settings.BatchSize, other.Metadata.Thresholds);
            ReportTables.Write(otherEvaluation, $"{otherPath} on {dataset.Split}");
            if (groups is not null)
                AnsiConsole.Write(ReportTables.Groups(GroupedReport.By(otherEvaluation.Predictions, groups, other.Metadata.Thresholds), settings.By!, otherPath));
            // A comparison is its intervals, so --bootstrap 0 (no single-model intervals) still resamples here.
            var resamples = settings.Bootstrap > 0 ? settings.Bootstrap : 1000;
            var differences = Core.Metrics.BootstrapIntervals.CompareModels(evaluation.Predictions, checkpoint.Metadata.Thresholds,
                otherEvaluation.Predictions, other.Metadata.Thresholds, resamples);
            AnsiConsole.Write(ReportTables.Differences(differences, resamples, checkpointPath, otherPath));
        }
        var screen = evaluation.Report.ScreenClass;
        var seed = new Table().Title("seed table columns (screen class)").AddColumns("model (img size)", "precision", "recall", "latency (s)*", "parameters", "checkpoint");
        seed.AddRow($"{checkpoint.Metadata.Architecture} ({spec.Width})", ReportTables.F(screen.Precision), ReportTables.F(screen.Recall),
            double.IsNaN(latency) ? "-" : (latency / 1000).ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
            $"{checkpoint.Model.ParameterCount:N0}", $"{new FileInfo(checkpointPath).Length / 1e6:F2} MB");
        AnsiConsole.Write(seed);
        AnsiConsole.MarkupLine("[grey]* mean time for one image at batch 1 (TorchSharp eager), including decode, transforms and softmax[/]");
        if (Directory.Exists(settings.Model) && settings.Data is null && dataset.Split is "val" or "test")
        {
            // A run evaluated on its own data refreshes its predictions and report; other data would mislabel them.
            var run = RunFolder.Open(settings.Model);
            PredictionFile.Write(PredictionFile.PathFor(run, dataset.Split), evaluation.Predictions);
            AnsiConsole.MarkupLineInterpolated($"report: [bold]{Training.Reports.RunReport.Write(run.Path)}[/]");
        }
        return 0;
    }

    private static IReadOnlyList<ProbeRow> RunProbe(LoadedCheckpoint checkpoint, ImageDataset dataset, int batchSize)
    {
        var perturbations = ImagePerturbation.Standard;
        var passes = 0;
        return AnsiConsole.Status().Start($"probe: {perturbations[0].Name} (1 of {perturbations.Count})", context =>
            PerturbationProbe.Run(checkpoint.Model, dataset, checkpoint.Metadata.Preprocessing, batchSize, checkpoint.Metadata.Thresholds,
                perturbations, row =>
                {
                    passes++;
                    if (passes < perturbations.Count) context.Status($"probe: {perturbations[passes].Name} ({passes + 1} of {perturbations.Count})");
                }));
    }

    private static IReadOnlyDictionary<string, string> ReadGroups(string? file, string root, string column)
    {
        var path = file ?? Path.Combine(root, ImageGroupFile.GeneratorFileName);
        if (file is null && !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"--by {column}: {root} has no {ImageGroupFile.GeneratorFileName} (only datasets from 'twinhead synth' do); pass --groups FILE, a CSV with a 'path' column and a '{column}' column", path);
        }
        return ImageGroupFile.Read(path, column);
    }
}

/// <summary>Resolves a run folder or checkpoint argument.</summary>
public static class ModelPaths
{
    /// <summary>The checkpoint a path names: a file, or a run folder's best checkpoint.</summary>
    public static string Checkpoint(string path)
    {
        if (RunFolder.FindCheckpoint(path) is { } checkpoint) return checkpoint;
        if (Directory.Exists(path))
            throw new FileNotFoundException($"{path}: run folder has no checkpoints/best.ckpt", Path.Combine(path, "checkpoints", "best.ckpt"));
        throw new FileNotFoundException($"{path}: no such checkpoint or run folder", path);
    }

    /// <summary>The run config of a run folder, or of the run folder a checkpoint sits in; null when there is none.</summary>
    public static TrainingConfig? RunConfig(string path) => RunFolder.Containing(path) is { } folder ? RunFolder.Open(folder).ReadConfig() : null;
}
