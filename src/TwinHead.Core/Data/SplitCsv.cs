using TwinHead.Core.IO;
using System.Globalization;
using System.Text;
using CsvHelper;
using TwinHead.Core.Labels;

namespace TwinHead.Core.Data;

/// <summary>The rows of one split CSV and the problems met while reading it.</summary>
public sealed record SplitCsvContent(string File, IReadOnlyList<LabeledImage> Rows, IReadOnlyList<DatasetProblem> Problems);

/// <summary>
/// Reads and writes the reference's header-less split CSVs (<c>relative/path,label</c>). Commas are standard;
/// a <c>|</c> (as in the talk's slides, with spaces around it) or tab separator is accepted too. Quoted paths may hold
/// separators and quotes; an unquoted path holding commas still parses, since the label is always the last field.
/// </summary>
public static class SplitCsv
{
    private static readonly char[] Separators = ['\t', '|', ','];

    /// <summary>Reads a split CSV. Malformed rows become <see cref="DatasetProblem"/>s naming file and line; nothing throws except I/O.</summary>
    public static SplitCsvContent Read(string csvPath)
    {
        var text = File.ReadAllText(csvPath, Encoding.UTF8);
        return Parse(text, csvPath);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in problems.</summary>
    public static SplitCsvContent Parse(string text, string source)
    {
        var rows = new List<LabeledImage>();
        var problems = new List<DatasetProblem>();
        var delimiter = DetectDelimiter(text);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = delimiter,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };
        using var csv = CsvReader.FromText(text, options);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
            if (fields.Length == 0 || fields.All(string.IsNullOrWhiteSpace)) continue;
            if (line == 1 && fields.Length >= 2 && fields[^1].Trim().Equals("label", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (fields.Length < 2)
            {
                problems.Add(new DatasetProblem(source, line, $"expected 'path{delimiter}label', found one field '{Shorten(fields[0])}'"));
                continue;
            }
            var path = string.Join(delimiter, fields[..^1]).Trim();
            var labelText = fields[^1];
            if (path.Length == 0)
            {
                problems.Add(new DatasetProblem(source, line, "empty image path"));
                continue;
            }
            if (!DocumentClasses.TryParseLabel(labelText, out var label))
            {
                problems.Add(new DatasetProblem(source, line, $"label '{Shorten(labelText)}' is not 0 (document), 1 (not a document) or 2 (screen)"));
                continue;
            }
            var normalised = path.Replace('\\', '/');
            if (Path.IsPathRooted(normalised) || normalised.Split('/').Contains(".."))
            {
                problems.Add(new DatasetProblem(source, line, $"path '{Shorten(path)}' must be relative to the dataset root and stay inside it"));
                continue;
            }
            rows.Add(new LabeledImage(normalised, label, source, line));
        }
        return new SplitCsvContent(source, rows, problems);
    }

    /// <summary>Writes rows as a header-less comma CSV (quoting paths that need it), atomically.</summary>
    public static void Write(string csvPath, IEnumerable<(string RelativePath, DocumentClass Label)> rows)
    {
        AtomicFile.Write(csvPath, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n", HasHeader = false });
            foreach (var (path, label) in rows)
            {
                csv.WriteField(path.Replace('\\', '/'));
                csv.WriteField(((int)label).ToString(CultureInfo.InvariantCulture));
                csv.EndRecord();
            }
        });
    }

    private static char DetectDelimiter(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            // The label is the last field, so the separator is the last separator character outside quotes.
            var inQuotes = false;
            var last = ',';
            var found = false;
            foreach (var ch in line)
            {
                if (ch == '"') inQuotes = !inQuotes;
                else if (!inQuotes && Separators.Contains(ch)) { last = ch; found = true; }
            }
            return found ? last : ',';
        }
        return ',';
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
