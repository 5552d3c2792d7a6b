using Spectre.Console;
using TwinHead.Core.Config;
using TwinHead.Imaging;
using TwinHead.Training.Data;

namespace TwinHead.Cli.Commands;

/// <summary>Turns exceptions into one clear message and an exit code: 2 for bad input, 3 for cancellation, 1 otherwise.</summary>
public static class CliErrors
{
    /// <summary>Prints <paramref name="exception"/> for a user and returns the exit code.</summary>
    public static int Report(Exception exception)
    {
        var inner = exception is Spectre.Console.Cli.CommandRuntimeException { InnerException: { } e } ? e : exception;
        switch (inner)
        {
            case OperationCanceledException:
                AnsiConsole.MarkupLine("[yellow]interrupted[/]");
                return 3;
            case ConfigException or DatasetException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                or ImageDecodeException or ArgumentException or IOException or Spectre.Console.Cli.CommandParseException
                or Spectre.Console.Cli.CommandRuntimeException:
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {inner.Message}");
                return 2;
            default:
                AnsiConsole.MarkupLineInterpolated($"[red]unexpected error:[/] {inner}");
                return 1;
        }
    }
}
