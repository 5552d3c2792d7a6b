using System.Text;
using CsvHelper;
using TwinHead.Core.Data;
using TwinHead.Core.IO;
using TwinHead.Core.Labels;

namespace TwinHead.Training.Data;

/// <summary>How <see cref="DatasetMerger"/> brings each source's images under the merged root.</summary>
/// <param name="Copy">Copy the listed images instead of linking each source folder (for file systems or accounts without symbolic links).</param>
/// <param name="Overwrite">Replace the split CSVs, the group file and the links or copies of an earlier merge into the same root.</param>
public sealed record MergeOptions(bool Copy = false, bool Overwrite = false);

/// <summary>One source of a merged dataset.</summary>
/// <param name="Name">Its folder under the merged root, the prefix of its rows and its value in the <c>source</c> column.</param>
/// <param name="Root">Its own root (absolute).</param>
/// <param name="Counts">Split name to per-class image counts (label order); a split the source lacks is absent.</param>
/// <param name="HasGeneratorCues">Whether its <c>generator.csv</c> cues were carried over.</param>
public sealed record MergedSource(string Name, string Root, IReadOnlyDictionary<string, int[]> Counts, bool HasGeneratorCues);

/// <summary>What <see cref="DatasetMerger.Merge"/> wrote.</summary>
/// <param name="Root">The merged root (absolute).</param>
/// <param name="Sources">The sources in the order given.</param>
/// <param name="Copied">Whether images were copied (otherwise each source folder is a relative symbolic link).</param>
public sealed record MergeSummary(string Root, IReadOnlyList<MergedSource> Sources, bool Copied);

/// <summary>
/// Merges datasets in the reference layout (split CSVs under a root) into one root that training, evaluation and
/// <c>dataset check</c> read like any other: generated data with your own labelled photos, or two generator versions.
/// Each source keeps its own split assignment (a test image stays a test image); its rows appear under a folder named
/// after it, which links to the source (relative, so the merged root can move with its sources) or holds copies.
/// <c>generator.csv</c> gets a row per merged image with a <c>source</c> column, plus the cues of sources that had one,
/// so <c>eval --by source</c> reports each part separately.
/// </summary>
public static class DatasetMerger
{
    /// <summary>The column of the merged <c>generator.csv</c> that names each image's source.</summary>
    public const string SourceColumn = "source";

    /// <summary>Merges <paramref name="sourceRoots"/> into <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two sources, or the merged root is one of them, inside one or holds one.</exception>
    /// <exception cref="DirectoryNotFoundException">A source root does not exist.</exception>
    /// <exception cref="InvalidDataException">A source has no split CSV, a row that does not parse, or (when copying) a listed image that is missing.</exception>
    /// <exception cref="IOException">The root already holds a merge and <see cref="MergeOptions.Overwrite"/> is off, or a link cannot be made.</exception>
    public static MergeSummary Merge(string root, IReadOnlyList<string> sourceRoots, MergeOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(sourceRoots);
        ArgumentNullException.ThrowIfNull(options);
        if (sourceRoots.Count < 2) throw new ArgumentException($"merging needs at least two dataset roots, got {sourceRoots.Count}");
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var sources = ReadSources(sourceRoots, target);

        var outputs = SplitNames.All.Select(s => SplitNames.CsvPath(target, s)).Append(Path.Combine(target, ImageGroupFile.GeneratorFileName))
            .Concat(sources.Select(s => Path.Combine(target, s.Name))).Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        if (outputs.Count > 0 && !options.Overwrite)
            throw new IOException($"{string.Join(", ", outputs)} already exist; pass --force to replace them");

        // Everything that can fail on the sources' content has been checked; from here only the file system can.
        Directory.CreateDirectory(target);
        foreach (var source in sources)
        {
            if (options.Copy) CopyImages(source, target);
            else Link(source, target);
        }
        foreach (var split in SplitNames.All)
        {
            var csv = SplitNames.CsvPath(target, split);
            var parts = sources.Where(s => s.Splits.ContainsKey(split)).ToList();
            if (parts.Count == 0)
            {
                File.Delete(csv);
                continue;
            }
            SplitCsv.Write(csv, parts.SelectMany(s => s.Splits[split].Select(r => (s.Name + "/" + r.RelativePath, r.Label))));
        }
        WriteGroupFile(Path.Combine(target, ImageGroupFile.GeneratorFileName), sources);

        var merged = sources.Select(s => new MergedSource(s.Name, s.Root,
            s.Splits.ToDictionary(kv => kv.Key, kv => CountByClass(kv.Value)), s.Cues is not null)).ToList();
        return new MergeSummary(target, merged, options.Copy);
    }

    private sealed record Source(string Name, string Root, Dictionary<string, IReadOnlyList<LabeledImage>> Splits, ImageGroupTable? Cues);

    private static List<Source> ReadSources(IReadOnlyList<string> sourceRoots, string target)
    {
        var sources = new List<Source>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var given in sourceRoots)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(given));
            if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"dataset root '{given}' does not exist");
            if (Inside(target, full))
                throw new ArgumentException($"the merged root '{target}' is, or is inside, the source '{given}'; choose a new folder beside the sources");
            if (Inside(full, target))
                throw new ArgumentException($"the source '{given}' is inside the merged root '{target}'; choose a new folder beside the sources");

            var splits = new Dictionary<string, IReadOnlyList<LabeledImage>>();
            foreach (var split in SplitNames.All)
            {
                var csv = SplitNames.CsvPath(full, split);
                if (!File.Exists(csv)) continue;
                var content = SplitCsv.Read(csv);
                if (content.Problems.Count > 0)
                    throw new InvalidDataException($"{content.Problems.Count} row(s) of {csv} do not parse, first: {content.Problems[0]}");
                splits[split] = content.Rows;
            }
            if (splits.Count == 0)
                throw new InvalidDataException($"dataset root '{given}' has no train.csv, val.csv or test.csv (write them with 'twinhead dataset split')");

            // Two sources with the same folder name (data/a/photos, data/b/photos) get distinct prefixes.
            var baseName = Path.GetFileName(full);
            if (baseName.Length == 0) baseName = "source";
            var name = baseName;
            for (var k = 2; !names.Add(name); k++) name = $"{baseName}-{k}";
            var groupFile = Path.Combine(full, ImageGroupFile.GeneratorFileName);
            sources.Add(new Source(name, full, splits, File.Exists(groupFile) ? ImageGroupFile.ReadAll(groupFile) : null));
        }
        return sources;
    }

    private static bool Inside(string path, string folder) =>
        string.Equals(path, folder, StringComparison.Ordinal) || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void Link(Source source, string target)
    {
        var link = Path.Combine(target, source.Name);
        var existing = new DirectoryInfo(link);
        if (existing.Exists || existing.LinkTarget is not null)
        {
            if (existing.LinkTarget is null)
                throw new IOException($"'{link}' is a folder, not a link from an earlier merge; remove it or merge into a new root");
            existing.Delete();
        }
        try
        {
            Directory.CreateSymbolicLink(link, Path.GetRelativePath(target, source.Root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot link '{link}' to '{source.Root}' ({e.Message}); pass --copy to copy the images instead", e);
        }
    }

    private static void CopyImages(Source source, string target)
    {
        var folder = Path.Combine(target, source.Name);
        if (new DirectoryInfo(folder).LinkTarget is not null) Directory.Delete(folder);
        foreach (var row in source.Splits.Values.SelectMany(rows => rows))
        {
            var from = Path.Combine(source.Root, row.RelativePath);
            if (!File.Exists(from)) throw new InvalidDataException($"{row.SourceFile}:{row.Line}: image '{row.RelativePath}' not found");
            var to = Path.Combine(folder, row.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }
    }

    private static void WriteGroupFile(string path, IReadOnlyList<Source> sources)
    {
        string[] fixedColumns = [ImageGroupFile.PathColumn, "label", SourceColumn];
        var cueColumns = sources.Where(s => s.Cues is not null).SelectMany(s => s.Cues!.Columns)
            .Where(c => !fixedColumns.Contains(c, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n", HasHeader = false });
            foreach (var column in fixedColumns.Concat(cueColumns)) csv.WriteField(column);
            csv.EndRecord();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                var own = source.Cues?.Columns.ToList();
                var indices = cueColumns.Select(c => own?.IndexOf(c) ?? -1).ToArray();
                foreach (var row in source.Splits.Values.SelectMany(rows => rows))
                {
                    var merged = source.Name + "/" + row.RelativePath;
                    if (!written.Add(merged)) continue;
                    csv.WriteField(merged);
                    csv.WriteField(((int)row.Label).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    csv.WriteField(source.Name);
                    string[]? cues = null;
                    source.Cues?.Rows.TryGetValue(row.RelativePath, out cues);
                    foreach (var index in indices) csv.WriteField(cues is not null && index >= 0 ? cues[index] : "");
                    csv.EndRecord();
                }
            }
        });
    }

    private static int[] CountByClass(IReadOnlyList<LabeledImage> rows)
    {
        var counts = new int[DocumentClasses.Count];
        foreach (var row in rows) counts[(int)row.Label]++;
        return counts;
    }
}
