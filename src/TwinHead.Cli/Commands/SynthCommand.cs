using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TwinHead.Core.Labels;
using TwinHead.Synthetic;

namespace TwinHead.Cli.Commands;

/// <summary><c>twinhead synth --out DIR --count N [--seed S] [--size WxH] [--version realistic|recaptured|fullframe|photographic|procedural] [--photos DIR] [--fonts DIR] [--held-out-sources F]</c>,
/// or <c>twinhead synth --contact-sheets DIR [--version V]</c> for one PNG grid of samples per class.</summary>
public sealed class SynthCommand : Command<SynthCommand.Settings>
{
    /// <summary>Arguments.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Output folder.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output dataset folder (must be empty or new unless --force).")]
        public string Out { get; init; } = "data/synthetic";

        /// <summary>Image count.</summary>
        [CommandOption("-n|--count <N>")]
        public int Count { get; init; } = 600;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        public int Seed { get; init; } = 42;

        /// <summary>Size.</summary>
        [CommandOption("--size <WxH>")]
        [Description("Image size, e.g. 320x320.")]
        public string Size { get; init; } = "320x320";

        /// <summary>Generator version.</summary>
        [CommandOption("--version <VERSION>")]
        [Description("realistic (v2, default), recaptured (v4: v2 whose screens show photographs of the other classes), fullframe (v5: v4 plus screens that fill the frame, their pixel grid aliased into moire), photographic (v3: distant displays do not resolve their pixel grid) or procedural (v1).")]
        public string Version { get; init; } = "realistic";

        /// <summary>Overwrite.</summary>
        [CommandOption("--force")]
        public bool Force { get; init; }

        /// <summary>Extra photo folders.</summary>
        [CommandOption("--photos <DIR>")]
        [Description("Folder of your own non-document photos to use as scene and screen content instead of the Debian wallpapers (repeatable).")]
        public string[] Photos { get; init; } = [];

        /// <summary>Font folders.</summary>
        [CommandOption("--fonts <DIR>")]
        [Description("Folder of TrueType/OpenType fonts to draw all text with instead of the Debian font packages' (repeatable; name those folders too to add rather than replace).")]
        public string[] Fonts { get; init; } = [];

        /// <summary>Object cutouts.</summary>
        [CommandOption("--cutouts")]
        [Description("Place photographed objects (Debian's tuxpaint-stamps-default) into scenes, screen pictures and beside pages (realistic, recaptured and photographic).")]
        public bool Cutouts { get; init; }

        /// <summary>Held-out share of photos and fonts.</summary>
        [CommandOption("--held-out-sources <FRACTION>")]
        [Description("Share of the photos and fonts (0 to <1, default 0) that only validation and test images are drawn with, so those splits measure sources no training image showed; listed as held-out in sources.tsv.")]
        public double HeldOutSources { get; init; }

        /// <summary>Contact sheet folder.</summary>
        [CommandOption("--contact-sheets <DIR>")]
        [Description("Instead of a dataset, write contact-<class>-<version>.png (4x3 samples, 160 px) into DIR.")]
        public string? ContactSheets { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = Options(settings);
        if (settings.ContactSheets is { } sheets)
        {
            foreach (var label in DocumentClasses.All)
            {
                var path = Path.Combine(sheets, $"contact-{DocumentClasses.FolderOf(label).Replace(' ', '-')}-{options.Version.ToString().ToLowerInvariant()}.png");
                ContactSheet.Write(path, label, options);
                AnsiConsole.MarkupLineInterpolated($"wrote [bold]{path}[/]");
            }
            return 0;
        }
        var result = Generate(options, cancellationToken);
        var table = new Table().AddColumns("class", "images");
        foreach (var (label, count) in result.PerClass.OrderBy(kv => kv.Key)) table.AddRow(DocumentClasses.NameOf(label), $"{count}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{result.Images} images in {result.Elapsed.TotalSeconds:F1} s ({result.Images / result.Elapsed.TotalSeconds:F1} images/s) -> [bold]{result.OutputDirectory}[/]");
        AnsiConsole.MarkupLineInterpolated($"drawn with {result.FontFiles} font files and {result.PhotoFiles} photos (listed in {SyntheticDatasetGenerator.SourcesTsvName}); JPEG encoder: {result.JpegEncoder}");
        if (options.HeldOutSources > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"held out for validation and test images only: {result.HeldOutFontFiles} of the font files and {result.HeldOutPhotoFiles} of the photos");
        }
        return 0;
    }

    /// <summary>Generates with a progress bar.</summary>
    public static SynthResult Generate(SynthOptions options, CancellationToken cancellationToken) =>
        AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"generating {options.Count} {options.Version} images", maxValue: options.Count);
                return new SyntheticDatasetGenerator(options).Generate(new Progress<int>(done => task.Value = done), cancellationToken);
            });

    private static SynthOptions Options(Settings s)
    {
        var parts = s.Size.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h) || w < 16 || h < 16 || w > 4096 || h > 4096)
            throw new ArgumentException($"--size '{s.Size}' must look like WIDTHxHEIGHT with each in 16..4096, e.g. 320x320");
        if (!Enum.TryParse<GeneratorVersion>(s.Version, ignoreCase: true, out var version))
            throw new ArgumentException($"--version '{s.Version}' must be one of: {string.Join(", ", Enum.GetNames<GeneratorVersion>().Select(n => n.ToLowerInvariant()))}");
        if (double.IsNaN(s.HeldOutSources) || s.HeldOutSources < 0 || s.HeldOutSources >= 1)
            throw new ArgumentException($"--held-out-sources {s.HeldOutSources.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be at least 0 and below 1 (a share of the photos and fonts)");
        if (s.Count < 3) throw new ArgumentException($"--count {s.Count} must be at least 3 (one image per class)");
        foreach (var dir in s.Photos.Where(d => !Directory.Exists(d))) throw new DirectoryNotFoundException($"--photos '{dir}' does not exist");
        foreach (var dir in s.Fonts.Where(d => !Directory.Exists(d))) throw new DirectoryNotFoundException($"--fonts '{dir}' does not exist");
        return new SynthOptions(s.Out, s.Count, s.Seed, w, h, Version: version, Overwrite: s.Force, ExtraPhotoDirectories: s.Photos.Length > 0 ? s.Photos : null,
            ObjectCutouts: s.Cutouts, FontDirectories: s.Fonts.Length > 0 ? s.Fonts : null, HeldOutSources: s.HeldOutSources);
    }
}
