using TwinHead.Core.Data;
using TwinHead.Core.Labels;

namespace TwinHead.Training.Data;

/// <summary>Ratios and seed of a stratified split; the test split takes what train and val leave.</summary>
/// <param name="Train">Fraction of each class for training.</param>
/// <param name="Val">Fraction of each class for validation.</param>
/// <param name="Seed">Shuffle seed.</param>
/// <param name="Overwrite">Replace existing CSVs.</param>
public sealed record SplitOptions(double Train = 0.7, double Val = 0.15, int Seed = 42, bool Overwrite = false);

/// <summary>How many images of each class went to each split.</summary>
/// <param name="Counts">Split name to per-class counts (label order).</param>
public sealed record SplitSummary(IReadOnlyDictionary<string, int[]> Counts);

/// <summary>Writes stratified train/val/test CSVs for a dataset laid out in class folders.</summary>
public static class DatasetSplitter
{
    /// <summary>File extensions treated as images.</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif" };

    /// <summary>Scans the class folders under <paramref name="root"/> and writes the three split CSVs.</summary>
    public static SplitSummary Split(string root, SplitOptions options)
    {
        if (options.Train <= 0 || options.Val < 0 || options.Train + options.Val > 1)
            throw new ArgumentException($"split ratios train {options.Train} and val {options.Val} must be positive and sum to at most 1");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"dataset root '{root}' does not exist");
        var existing = SplitNames.All.Select(s => SplitNames.CsvPath(root, s)).Where(File.Exists).ToList();
        if (existing.Count > 0 && !options.Overwrite)
            throw new IOException($"{string.Join(", ", existing)} already exist; pass --force to overwrite");

        var splits = SplitNames.All.ToDictionary(s => s, _ => new List<(string, DocumentClass)>());
        var counts = SplitNames.All.ToDictionary(s => s, _ => new int[DocumentClasses.Count]);
        foreach (var label in DocumentClasses.All)
        {
            var folder = Path.Combine(root, DocumentClasses.FolderOf(label));
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"class folder '{folder}' (label {(int)label}, {DocumentClasses.NameOf(label)}) does not exist");
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0) throw new InvalidDataException($"class folder '{folder}' holds no images");
            new Random(SampleRandom.Mix(options.Seed, (int)label, 0)).Shuffle(files);
            var trainCount = (int)Math.Round(files.Length * options.Train);
            var valCount = (int)Math.Round(files.Length * options.Val);
            for (var i = 0; i < files.Length; i++)
            {
                var split = i < trainCount ? SplitNames.Train : i < trainCount + valCount ? SplitNames.Val : SplitNames.Test;
                splits[split].Add((files[i], label));
                counts[split][(int)label]++;
            }
        }
        foreach (var (split, rows) in splits)
        {
            SplitCsv.Write(SplitNames.CsvPath(root, split), rows.OrderBy(r => r.Item1, StringComparer.Ordinal));
        }
        return new SplitSummary(counts);
    }
}
