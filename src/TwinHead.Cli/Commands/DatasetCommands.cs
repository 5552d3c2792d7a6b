using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Training.Data;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead dataset split ROOT [--train 0.7] [--val 0.15] [--seed 42] [--force]</c>.</summary>
public sealed class DatasetSplitCommand : Command<DatasetSplitCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Root.</summary>
        [CommandArgument(0, "<ROOT>")]
        public string Root { get; init; } = "";

        /// <summary>Train fraction.</summary>
        [CommandOption("--train <FRACTION>")]
        public double Train { get; init; } = 0.7;

        /// <summary>Val fraction.</summary>
        [CommandOption("--val <FRACTION>")]
        public double Val { get; init; } = 0.15;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        public int Seed { get; init; } = 42;

        /// <summary>Overwrite.</summary>
        [CommandOption("--force")]
        [Description("Overwrite existing train/val/test CSVs.")]
        public bool Force { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var summary = DatasetSplitter.Split(settings.Root, new SplitOptions(settings.Train, settings.Val, settings.Seed, settings.Force));
        AnsiConsole.Write(DatasetCheckCommand.CountsTable(summary.Counts));
        return 0;
    }
}

/// <summary><c>twinhead dataset check ROOT [--min-size 32]</c>: exit 1 when any error is found.</summary>
public sealed class DatasetCheckCommand : Command<DatasetCheckCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Root.</summary>
        [CommandArgument(0, "<ROOT>")]
        public string Root { get; init; } = "";

        /// <summary>Minimum size.</summary>
        [CommandOption("--min-size <PIXELS>")]
        [Description("Smallest acceptable width and height. Default 32.")]
        public int MinSize { get; init; } = 32;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var report = DatasetChecker.Check(settings.Root, settings.MinSize);
        AnsiConsole.Write(CountsTable(report.Counts));
        foreach (var p in report.Problems)
        {
            if (p.IsError) AnsiConsole.MarkupLineInterpolated($"[red]error[/] {p}");
            else AnsiConsole.MarkupLineInterpolated($"[yellow]warning[/] {p}");
        }
        var errors = report.Problems.Count(p => p.IsError);
        AnsiConsole.MarkupLineInterpolated($"{errors} error(s), {report.Problems.Count - errors} warning(s)");
        return report.HasErrors ? 1 : 0;
    }

    /// <summary>Images per split and class.</summary>
    public static Table CountsTable(IReadOnlyDictionary<string, int[]> counts)
    {
        var table = new Table().AddColumn("split");
        foreach (var name in DocumentClasses.Names) table.AddColumn(name);
        table.AddColumn("total");
        foreach (var (split, c) in counts)
        {
            table.AddRow([split, .. c.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), c.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        return table;
    }
}

/// <summary><c>twinhead dataset merge --out ROOT SOURCE SOURCE... [--copy] [--force]</c>.</summary>
public sealed class DatasetMergeCommand : Command<DatasetMergeCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Dataset roots to merge.</summary>
        [CommandArgument(0, "<SOURCES>")]
        [Description("Two or more dataset roots, each with its own split CSVs; every image keeps its split.")]
        public string[] Sources { get; init; } = [];

        /// <summary>Merged root.</summary>
        [CommandOption("-o|--out <ROOT>")]
        [Description("The merged root: a new folder outside every source.")]
        public string Out { get; init; } = "";

        /// <summary>Copy instead of linking.</summary>
        [CommandOption("--copy")]
        [Description("Copy the listed images instead of linking each source folder (where symbolic links are not allowed).")]
        public bool Copy { get; init; }

        /// <summary>Overwrite.</summary>
        [CommandOption("--force")]
        [Description("Replace an earlier merge into the same root.")]
        public bool Force { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out ROOT is required") : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var summary = DatasetMerger.Merge(settings.Out, settings.Sources, new MergeOptions(settings.Copy, settings.Force));
        var table = new Table().AddColumn("source").AddColumn("folder").AddColumn("train").AddColumn("val").AddColumn("test").AddColumn("generator cues");
        foreach (var source in summary.Sources)
        {
            string Count(string split) => source.Counts.TryGetValue(split, out var c) ? string.Join(" / ", c) : "-";
            table.AddRow(Markup.Escape(source.Root), Markup.Escape(source.Name), Count(SplitNames.Train), Count(SplitNames.Val), Count(SplitNames.Test), source.HasGeneratorCues ? "yes" : "no");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"counts are document / not a document / screen; images {(summary.Copied ? "copied" : "linked")} under {summary.Root}");
        AnsiConsole.MarkupLineInterpolated($"next: twinhead dataset check {settings.Out}, then train with data.root={settings.Out} (eval --by source reports each part)");
        return 0;
    }
}
