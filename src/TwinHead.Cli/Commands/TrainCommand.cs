using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Config;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead train [--config FILE] [key=value ...]</c> or <c>twinhead train --resume RUN</c>.</summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>YAML config.</summary>
        [CommandOption("-c|--config <FILE>")]
        [Description("YAML config; its keys override the reference defaults.")]
        public string? Config { get; init; }

        /// <summary>Overrides.</summary>
        [CommandArgument(0, "[OVERRIDES]")]
        [Description("key=value overrides, e.g. optim.lr=0.01 data.root=data/mine")]
        public string[] Overrides { get; init; } = [];

        /// <summary>Run to resume.</summary>
        [CommandOption("--resume <RUN>")]
        [Description("Continue a run folder from its last checkpoint, with its saved config.")]
        public string? Resume { get; init; }

        /// <summary>Print the resolved config and stop.</summary>
        [CommandOption("--print-config")]
        [Description("Print the resolved config as YAML and exit.")]
        public bool PrintConfig { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Resume is not null && (settings.Config is not null || settings.Overrides.Length > 0))
            throw new ConfigException("--resume continues a run with its saved config; do not pass --config or overrides with it");
        TrainingResult result;
        if (settings.Resume is not null)
        {
            result = ConsoleTrainingObserver.Run(o => new Trainer(o).Resume(settings.Resume, cancellationToken));
        }
        else
        {
            var config = LayeredYamlConfig.Resolve<TrainingConfig>(settings.Config, settings.Overrides).Validate();
            if (settings.PrintConfig)
            {
                Console.Write(LayeredYamlConfig.ToYaml(config));
                return 0;
            }
            result = ConsoleTrainingObserver.Run(o => new Trainer(o).Train(config, cancellationToken));
        }
        AnsiConsole.MarkupLineInterpolated($"best epoch {result.BestEpoch}, selection score {result.BestScore:F4}; run folder [bold]{result.Run.Path}[/]");
        if (result.Test is { } test) ReportTables.Write(test, "test split, best checkpoint");
        AnsiConsole.MarkupLineInterpolated($"report: [bold]{Training.Reports.RunReport.Write(result.Run.Path)}[/]");
        return 0;
    }
}
