using Spectre.Console;

namespace TwinHead.Cli;

/// <summary>
/// The width tables are laid out for. Spectre.Console assumes 80 columns when output goes to a file or a pipe, which wraps
/// the wider tables (eval's per-group rows, the paired intervals) cell by cell; the shell's <c>COLUMNS</c> variable, when
/// exported, says what the reader has (<c>COLUMNS=160 twinhead eval ... &gt; eval.txt</c>).
/// </summary>
public static class ConsoleWidth
{
    /// <summary>Narrowest and widest widths taken from <c>COLUMNS</c>; anything else is ignored as a mistake.</summary>
    public const int Min = 40, Max = 1000;

    /// <summary>The width <paramref name="columns"/> (the value of <c>COLUMNS</c>) asks for, or null when it is unset or not a width.</summary>
    public static int? Parse(string? columns) =>
        int.TryParse(columns?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width) && width is >= Min and <= Max
            ? width
            : null;

    /// <summary>Lays tables out for <c>COLUMNS</c> when it is set to a width; otherwise leaves Spectre's own detection.</summary>
    public static void ApplyColumnsVariable()
    {
        if (Parse(Environment.GetEnvironmentVariable("COLUMNS")) is { } width) AnsiConsole.Profile.Width = width;
    }
}
