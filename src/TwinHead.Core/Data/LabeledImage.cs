using TwinHead.Core.Labels;

namespace TwinHead.Core.Data;

/// <summary>One row of a split CSV: an image path relative to the dataset root and its three-way label.</summary>
/// <param name="RelativePath">Path relative to the dataset root, with '/' separators.</param>
/// <param name="Label">The three-way label.</param>
/// <param name="SourceFile">The CSV file the row came from (for error messages).</param>
/// <param name="Line">1-based line number in <paramref name="SourceFile"/>.</param>
public sealed record LabeledImage(string RelativePath, DocumentClass Label, string SourceFile, int Line)
{
    /// <summary>"file:line" for messages.</summary>
    public string Where => $"{SourceFile}:{Line}";
}

/// <summary>Something wrong with a dataset, located precisely.</summary>
/// <param name="File">The file at fault (CSV or image).</param>
/// <param name="Line">1-based CSV line, or 0 when not about a line.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="IsError">Errors fail a check; warnings are reported only.</param>
public sealed record DatasetProblem(string File, int Line, string Message, bool IsError = true)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>The names of the standard splits.</summary>
public static class SplitNames
{
    /// <summary>Training split.</summary>
    public const string Train = "train";
    /// <summary>Validation split (checkpoint selection, threshold tuning).</summary>
    public const string Val = "val";
    /// <summary>Held-out test split.</summary>
    public const string Test = "test";
    /// <summary>All three, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [Train, Val, Test];

    /// <summary>The CSV file of a split under a dataset root.</summary>
    public static string CsvPath(string root, string split) => Path.Combine(root, split + ".csv");
}
