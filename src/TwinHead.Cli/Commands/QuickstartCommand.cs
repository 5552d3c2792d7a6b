using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Data;
using TwinHead.Imaging;
using TwinHead.Synthetic;
using TwinHead.Training.Data;
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
        var baseConfig = BuiltInConfigs.Resolve("quickstart", settings.Overrides).Validate();
        var root = baseConfig.Data.Root;
        if (!SplitNames.All.All(s => File.Exists(SplitNames.CsvPath(root, s))))
        {
            AnsiConsole.MarkupLineInterpolated($"generating {settings.Count} procedural images into [bold]{root}[/] ...");
            var size = Math.Max(baseConfig.Data.ImageSize, 64);
            SynthCommand.Generate(new SynthOptions(root, settings.Count, baseConfig.Seed, size, size, Version: GeneratorVersion.Procedural, Overwrite: true), cancellationToken);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"using the existing dataset in [bold]{root}[/]");
        }

        var rows = new List<string[]>();
        foreach (var architecture in new[] { "two-headed", "three-output" })
        {
            var config = baseConfig with
            {
                Model = baseConfig.Model with { Architecture = architecture },
                Name = $"{architecture}-{baseConfig.Data.ImageSize}-{DateTime.UtcNow:yyyyMMdd-HHmmss}",
            };
            var watch = Stopwatch.StartNew();
            var result = ConsoleTrainingObserver.Run(o => new Trainer(o).Train(config, cancellationToken));
            var trainTime = watch.Elapsed;
            var test = result.Test ?? throw new InvalidDataException($"{root}: no test split to report on");
            ReportTables.Write(test, $"{architecture}: test split, best epoch {result.BestEpoch}");
            using var best = CheckpointFile.Load(result.Run.BestCheckpoint);
            TorchSharp.torch.set_num_threads(1);
            var testSet = ImageDataset.Load(root, SplitNames.Test, requireAllClasses: false);
            var latency = Evaluator.MeasureLatency(best.Model, testSet, new ImagePreprocessor(best.Metadata.Preprocessing), images: 50);
            TorchSharp.torch.set_num_threads(baseConfig.Threads);
            var screen = test.Report.ScreenClass;
            rows.Add([
                $"{(architecture == "two-headed" ? "Two heads" : "Three output neurons")} ({config.Data.ImageSize})",
                ReportTables.F(screen.Precision), ReportTables.F(screen.Recall),
                (latency / 1000).ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
                $"{best.Model.ParameterCount:N0}", $"{new FileInfo(result.Run.BestCheckpoint).Length / 1e6:F2} MB",
                $"{trainTime.TotalSeconds:F0} s", result.Run.Path,
            ]);
        }

        var table = new Table().Title("Results (screen class on the generated test split; the talk's rows for comparison)")
            .AddColumns("Model (img size)", "Precision", "Recall", "Latency (s)*", "Parameters", "Checkpoint", "Training", "Run");
        foreach (var row in rows) table.AddRow(row);
        table.AddRow("[grey]talk: Three output neurons (256)[/]", "[grey]0.993[/]", "[grey]0.855[/]", "[grey]0.027[/]", "", "", "", "");
        table.AddRow("[grey]talk: Three output neurons (320)[/]", "[grey]1.0[/]", "[grey]0.846[/]", "[grey]0.029[/]", "", "", "", "");
        table.AddRow("[grey]talk: Two heads (256)[/]", "[grey]1.0[/]", "[grey]0.873[/]", "[grey]0.029[/]", "", "", "", "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]* mean time for one image at batch 1, 1 thread, TorchSharp eager, including JPEG decode, transforms and softmax. " +
                               "The talk's figures come from its own (real) data, ours from generated images: compare the shape, not the digits.[/]");
        return 0;
    }
}
