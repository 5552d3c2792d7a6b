using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Data;
using TwinHead.Synthetic;
using TwinHead.Training.Reports;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary>
/// <c>twinhead quickstart</c>: with no arguments, generates the small procedural dataset (if absent), trains the two-headed and
/// the three-output model on it with the built-in quickstart config, and prints the seed's results table beside the talk's.
/// </summary>
public sealed class QuickstartCommand : Command<QuickstartCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Overrides.</summary>
        [CommandArgument(0, "[OVERRIDES]")]
        [Description("key=value overrides of the built-in quickstart config, e.g. optim.epochs=3")]
        public string[] Overrides { get; init; } = [];

        /// <summary>Images to generate.</summary>
        [CommandOption("-n|--count <N>")]
        [Description("Images to generate when the dataset does not exist yet. Default 900.")]
        public int Count { get; init; } = 900;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = BuiltInConfigs.Resolve("quickstart", settings.Overrides).Validate();
        var root = config.Data.Root;
        if (!SplitNames.All.All(s => File.Exists(SplitNames.CsvPath(root, s))))
        {
            AnsiConsole.MarkupLineInterpolated($"generating {settings.Count} procedural images into [bold]{root}[/] ...");
            SynthCommand.Generate(new SynthOptions(root, settings.Count, config.Seed, 320, 320, Version: GeneratorVersion.Procedural, Overwrite: true), cancellationToken);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"using the existing dataset in [bold]{root}[/]");
        }
        CompareCommand.RunAndPrint(config, [new ExperimentRow("two-headed", config.Data.ImageSize), new ExperimentRow("three-output", config.Data.ImageSize)],
            $"the procedural quickstart dataset ({root})", cancellationToken);
        return 0;
    }
}

/// <summary><c>twinhead compare [-c CONFIG] [--rows a:256,b:320] [key=value ...]</c>: the seed's comparison grid.</summary>
public sealed class CompareCommand : Command<CompareCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Config.</summary>
        [CommandOption("-c|--config <FILE>")]
        [Description("YAML config every row starts from (default: the reference recipe).")]
        public string? Config { get; init; }

        /// <summary>Rows.</summary>
        [CommandOption("--rows <ROWS>")]
        [Description("Comma-separated architecture:size rows. Default: three-output:256,three-output:320,two-headed:256,two-headed:320.")]
        public string? Rows { get; init; }

        /// <summary>Overrides.</summary>
        [CommandArgument(0, "[OVERRIDES]")]
        public string[] Overrides { get; init; } = [];
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = Core.Config.LayeredYamlConfig.Resolve<TrainingConfig>(settings.Config, settings.Overrides).Validate();
        var rows = settings.Rows is null ? ExperimentRow.SeedGrid : settings.Rows.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ExperimentRow.Parse).ToList();
        RunAndPrint(config, rows, config.Data.Root, cancellationToken);
        return 0;
    }

    /// <summary>Trains the rows, prints each test report and the seed table, and saves the table beside the runs.</summary>
    public static void RunAndPrint(TrainingConfig config, IReadOnlyList<ExperimentRow> rows, string dataDescription, CancellationToken cancellationToken)
    {
        var outcomes = ExperimentGrid.Run(config, rows, work => ConsoleTrainingObserver.Run(work), cancellationToken);
        foreach (var o in outcomes)
        {
            ReportTables.Write(o.Test, $"{o.Row.Title}: test split");
            AnsiConsole.MarkupLineInterpolated($"report: [bold]{RunReport.Write(o.Run.Path)}[/]");
        }
        var table = new Table().Title("Results: screen class on the test split (talk's rows in grey)")
            .AddColumns("Model (img size)", "Precision", "Recall", "Latency (s)*", "Parameters", "ONNX size", "Training");
        foreach (var o in outcomes)
        {
            var screen = o.Test.Report.ScreenClass;
            table.AddRow(o.Row.Title, ReportTables.F(screen.Precision), ReportTables.F(screen.Recall),
                (o.LatencyMs / 1000).ToString("F4", System.Globalization.CultureInfo.InvariantCulture), $"{o.Parameters:N0}", $"{o.OnnxBytes / 1e6:F2} MB", $"{o.TrainingTime.TotalSeconds:F0} s");
        }
        table.AddRow("[grey]talk: Three output neurons (256)[/]", "[grey]0.993[/]", "[grey]0.855[/]", "[grey]0.027[/]", "", "", "");
        table.AddRow("[grey]talk: Three output neurons (320)[/]", "[grey]1.0[/]", "[grey]0.846[/]", "[grey]0.029[/]", "", "", "");
        table.AddRow("[grey]talk: Two heads (256)[/]", "[grey]1.0[/]", "[grey]0.873[/]", "[grey]0.029[/]", "", "", "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]* mean time for one image at batch 1, 1 thread, ONNX Runtime, from JPEG bytes in memory through decode, transforms, model and softmax. " +
                               "The talk's figures come from its own real photos, ours from this dataset: compare the shape, not the digits.[/]");
        var path = Path.Combine(config.Output, $"results-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        Directory.CreateDirectory(config.Output);
        File.WriteAllText(path, ExperimentGrid.ToMarkdown(outcomes, dataDescription));
        AnsiConsole.MarkupLineInterpolated($"table saved to [bold]{path}[/]");
    }
}

/// <summary><c>twinhead report RUN</c>: writes report.html and plot PNGs into the run folder.</summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Run.</summary>
        [CommandArgument(0, "<RUN>")]
        public string Run { get; init; } = "";
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLineInterpolated($"report: [bold]{RunReport.Write(settings.Run)}[/]");
        return 0;
    }
}

/// <summary><c>twinhead tune RUN [--target-precision 0.99]</c>: thresholds chosen on validation data, stored in the best checkpoint.</summary>
public sealed class TuneCommand : Command<TuneCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Run.</summary>
        [CommandArgument(0, "<RUN>")]
        public string Run { get; init; } = "";

        /// <summary>Target screen precision.</summary>
        [CommandOption("--target-precision <P>")]
        [Description("Screen precision to reach on validation data; the threshold with the highest recall there is kept. Default 0.99.")]
        public double TargetPrecision { get; init; } = 0.99;

        /// <summary>Head 2 target.</summary>
        [CommandOption("--not-document-target-precision <P>")]
        [Description("Optional precision target for head 2; default: its best F1.")]
        public double? NotDocumentTargetPrecision { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var r = ThresholdTuning.Tune(settings.Run, settings.TargetPrecision, settings.NotDocumentTargetPrecision);
        var table = new Table().Title($"thresholds stored in {r.Checkpoint}").AddColumns("head", "before", "after", "val precision", "val recall", "target met");
        table.AddRow("screen", $"{r.Previous.Screen:G4}", $"{r.Screen.Threshold:G4}", ReportTables.F(r.Screen.Metrics.Precision), ReportTables.F(r.Screen.Metrics.Recall), r.Screen.TargetMet ? "yes" : "[red]no[/]");
        table.AddRow("not_document", $"{r.Previous.NotDocument:G4}", $"{r.NotDocument.Threshold:G4}", ReportTables.F(r.NotDocument.Metrics.Precision), ReportTables.F(r.NotDocument.Metrics.Recall), r.NotDocument.TargetMet ? "yes" : "[red]no[/]");
        AnsiConsole.Write(table);
        if (r.Test is { } test)
        {
            AnsiConsole.MarkupLineInterpolated($"at these thresholds on the test split: screen precision {test.ScreenClass.Precision:F3}, recall {test.ScreenClass.Recall:F3}, 3-way accuracy {test.ThreeWay.Accuracy:F3}");
        }
        return 0;
    }
}
