using CsvHelper;

namespace TwinHead.Core.Data;

/// <summary>
/// Reads one column of a CSV (or TSV: the separator is detected) with a header row and a <c>path</c> or <c>file</c>
/// column, such as the generator's <c>generator.csv</c> (<c>device</c>, <c>content</c>, <c>background</c>, ...), a photo
/// set's <c>SOURCES.tsv</c> (<c>repo</c>, <c>note</c>) or tags of your own, to break an evaluation down by that column
/// (<c>twinhead eval --by COLUMN</c>).
/// </summary>
public static class ImageGroupFile
{
    /// <summary>The file in a generated dataset's root that lists every image's generator cues.</summary>
    public const string GeneratorFileName = "generator.csv";

    /// <summary>The header of the column that names each image, relative to the dataset root as in the split CSVs.</summary>
    public const string PathColumn = "path";

    /// <summary>The header taken instead of <see cref="PathColumn"/> when a file has none (as a <c>SOURCES.tsv</c> listing does).</summary>
    public const string FileColumn = "file";

    /// <summary>
    /// The value of <paramref name="column"/> for every image path in <paramref name="csvPath"/> (paths compared with
    /// forward slashes). Throws <see cref="InvalidDataException"/> naming the file when it has no header, no
    /// <c>path</c> (nor <c>file</c>) or no <paramref name="column"/> column (listing the columns it has), or a row without the value.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(string csvPath, string column)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        using var csv = Open(csvPath);
        var headers = csv.Headers.Select(h => h.Trim()).ToArray();
        if (headers.Length == 0) throw new InvalidDataException($"{csvPath}: empty file (expected a header with '{PathColumn}' and '{column}', then one row per image)");
        var pathColumn = PathColumnOf(headers);
        foreach (var wanted in new[] { pathColumn, column })
        {
            if (!headers.Contains(wanted, StringComparer.Ordinal))
                throw new InvalidDataException($"{csvPath}: no column '{wanted}'{(wanted == PathColumn ? $" (nor '{FileColumn}')" : "")} in the header (columns: {string.Join(", ", headers)})");
        }
        var pathIndex = Array.IndexOf(headers, pathColumn);
        var valueIndex = Array.IndexOf(headers, column);
        while (csv.Read())
        {
            var line = csv.LineNumber;
            if (csv.FieldCount <= Math.Max(pathIndex, valueIndex))
                throw new InvalidDataException($"{csvPath}:{line}: row has {csv.FieldCount} fields, no '{column}' value");
            var path = Normalize(csv.GetString(pathIndex));
            if (path.Length == 0) throw new InvalidDataException($"{csvPath}:{line}: empty '{pathColumn}'");
            groups[path] = csv.GetString(valueIndex).Trim();
        }
        return groups;
    }

    /// <summary>
    /// Every column of <paramref name="csvPath"/>: its header and each image's row (missing trailing fields empty), keyed
    /// by the normalised <c>path</c> (or <c>file</c>) value. Throws <see cref="InvalidDataException"/> naming the file when
    /// it has no such column.
    /// </summary>
    public static ImageGroupTable ReadAll(string csvPath)
    {
        using var csv = Open(csvPath);
        var columns = csv.Headers.Select(h => h.Trim()).ToArray();
        var pathIndex = Array.IndexOf(columns, PathColumnOf(columns));
        if (pathIndex < 0)
            throw new InvalidDataException($"{csvPath}: no column '{PathColumn}' (nor '{FileColumn}') in the header (columns: {string.Join(", ", columns)})");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var values = new string[columns.Length];
            for (var i = 0; i < values.Length; i++) values[i] = i < csv.FieldCount ? csv.GetString(i) : "";
            rows[Normalize(values[pathIndex])] = values;
        }
        return new ImageGroupTable(columns, rows);
    }

    private static CsvReader Open(string csvPath)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"{csvPath}: no such group file", csvPath);
        return CsvReader.FromFile(csvPath, new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        });
    }

    private static string PathColumnOf(string[] headers) =>
        headers.Contains(PathColumn, StringComparer.Ordinal) || !headers.Contains(FileColumn, StringComparer.Ordinal) ? PathColumn : FileColumn;

    /// <summary>A relative image path in the form the group file and the split CSVs are matched in.</summary>
    public static string Normalize(string path) => path.Trim().Replace('\\', '/');
}

/// <summary>A whole group file: its header and one row per image.</summary>
/// <param name="Columns">The header's column names, trimmed.</param>
/// <param name="Rows">Each image's fields (in <paramref name="Columns"/> order), keyed by its normalised relative path.</param>
public sealed record ImageGroupTable(IReadOnlyList<string> Columns, IReadOnlyDictionary<string, string[]> Rows);
