using System.Collections.Concurrent;
using System.Security.Cryptography;
using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Training.Data;

/// <summary>What <see cref="DatasetChecker"/> found.</summary>
/// <param name="Counts">Split name to per-class image counts (rows that parsed).</param>
/// <param name="Problems">Every problem, located (errors and warnings).</param>
public sealed record DatasetCheckReport(IReadOnlyDictionary<string, int[]> Counts, IReadOnlyList<DatasetProblem> Problems)
{
    /// <summary>Whether any problem is an error.</summary>
    public bool HasErrors => Problems.Any(p => p.IsError);
}

/// <summary>
/// Checks a dataset before training: per split and class counts, rows that do not parse, missing and undecodable files,
/// images below a minimum size, and exact duplicates (content hash) within and across splits (leakage).
/// </summary>
public static class DatasetChecker
{
    /// <summary>Checks every split CSV present under <paramref name="root"/>.</summary>
    /// <param name="root">Dataset root.</param>
    /// <param name="minSize">Smallest acceptable width and height in pixels.</param>
    /// <param name="workers">Decode threads (0: one per core).</param>
    /// <param name="progress">Reports images checked.</param>
    public static DatasetCheckReport Check(string root, int minSize = 32, int workers = 0, IProgress<int>? progress = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset root '{root}' does not exist");
        var problems = new ConcurrentBag<DatasetProblem>();
        var counts = new Dictionary<string, int[]>();
        var rows = new List<LabeledImage>();
        foreach (var split in SplitNames.All)
        {
            var csv = SplitNames.CsvPath(root, split);
            if (!File.Exists(csv))
            {
                problems.Add(new DatasetProblem(csv, 0, "split file missing", IsError: split != SplitNames.Test));
                continue;
            }
            var content = SplitCsv.Read(csv);
            foreach (var p in content.Problems) problems.Add(p);
            var perClass = new int[DocumentClasses.Count];
            foreach (var row in content.Rows) perClass[(int)row.Label]++;
            counts[split] = perClass;
            if (content.Rows.Count == 0) problems.Add(new DatasetProblem(csv, 0, "split is empty"));
            foreach (var c in DocumentClasses.All.Where(c => content.Rows.Count > 0 && perClass[(int)c] == 0))
                problems.Add(new DatasetProblem(csv, 0, $"class {(int)c} ({DocumentClasses.NameOf(c)}) has no image in this split", IsError: split != SplitNames.Test));
            rows.AddRange(content.Rows);
        }

        var hashes = new string?[rows.Count];
        var done = 0;
        var limits = ImageDecodeLimits.Default;
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount }, i =>
        {
            var row = rows[i];
            var path = Path.Combine(root, row.RelativePath);
            if (!File.Exists(path))
            {
                problems.Add(new DatasetProblem(row.SourceFile, row.Line, $"image '{row.RelativePath}' not found"));
            }
            else
            {
                var bytes = File.ReadAllBytes(path);
                hashes[i] = Convert.ToHexString(SHA256.HashData(bytes));
                try
                {
                    // Decoding scaled to at least minSize yields less than minSize only when the original is smaller.
                    var image = ImageDecoder.Decode(bytes, minSize, minSize, limits, path);
                    if (image.Width < minSize || image.Height < minSize)
                        problems.Add(new DatasetProblem(row.SourceFile, row.Line, $"image '{row.RelativePath}' is {image.Width}x{image.Height}, below the minimum {minSize}x{minSize}"));
                }
                catch (ImageDecodeException e)
                {
                    problems.Add(new DatasetProblem(row.SourceFile, row.Line, $"image '{row.RelativePath}' cannot be decoded: {e.Message}"));
                }
            }
            progress?.Report(Interlocked.Increment(ref done));
        });

        foreach (var group in rows.Select((row, i) => (row, hash: hashes[i])).Where(x => x.hash is not null).GroupBy(x => x.hash))
        {
            var members = group.ToList();
            if (members.Count < 2) continue;
            var first = members[0].row;
            foreach (var (row, _) in members.Skip(1))
            {
                var crossSplit = row.SourceFile != first.SourceFile;
                var labels = row.Label != first.Label ? $" with different labels ({(int)first.Label} vs {(int)row.Label})" : "";
                problems.Add(new DatasetProblem(row.SourceFile, row.Line,
                    $"'{row.RelativePath}' has the same bytes as '{first.RelativePath}' ({first.Where}){labels}" +
                    (crossSplit ? ": leakage across splits" : ": duplicate within the split"),
                    IsError: crossSplit || labels.Length > 0));
            }
        }
        var ordered = problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Message, StringComparer.Ordinal).ToList();
        return new DatasetCheckReport(counts, ordered);
    }
}
