using TwinHead.Core.Data;
using TwinHead.Core.Labels;

namespace TwinHead.Training.Data;

/// <summary>One labelled split of a dataset on disk: image paths resolved against the root, with their CSV origin.</summary>
public sealed class ImageDataset
{
    private ImageDataset(string root, string split, IReadOnlyList<LabeledImage> items)
    {
        Root = root;
        Split = split;
        Items = items;
    }

    /// <summary>Dataset root folder.</summary>
    public string Root { get; }

    /// <summary>Split name (train, val, test) or CSV file name.</summary>
    public string Split { get; }

    /// <summary>The rows, in CSV order.</summary>
    public IReadOnlyList<LabeledImage> Items { get; }

    /// <summary>Number of images.</summary>
    public int Count => Items.Count;

    /// <summary>Absolute path of item <paramref name="index"/>.</summary>
    public string PathOf(int index) => System.IO.Path.Combine(Root, Items[index].RelativePath);

    /// <summary>Images per class, in label order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[DocumentClasses.Count];
        foreach (var item in Items) counts[(int)item.Label]++;
        return counts;
    }

    /// <summary>
    /// Reads a split CSV under <paramref name="root"/> (or a CSV path) and checks that it parses, is not empty and that every
    /// listed file exists; throws <see cref="DatasetException"/> listing each problem as file:line.
    /// </summary>
    /// <param name="root">Dataset root.</param>
    /// <param name="split">Split name (<c>train</c>) or a path to a CSV file.</param>
    /// <param name="requireAllClasses">Fail when a class has no image in this split.</param>
    public static ImageDataset Load(string root, string split, bool requireAllClasses)
    {
        if (!Directory.Exists(root)) throw new DatasetException($"dataset root '{root}' does not exist", []);
        var csv = split.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? split : SplitNames.CsvPath(root, split);
        if (!File.Exists(csv))
            throw new DatasetException($"{csv}: split file not found (make one with `twinhead dataset split {root}`)", []);
        var content = SplitCsv.Read(csv);
        var problems = content.Problems.ToList();
        foreach (var row in content.Rows)
        {
            if (!File.Exists(System.IO.Path.Combine(root, row.RelativePath)))
                problems.Add(new DatasetProblem(csv, row.Line, $"image '{row.RelativePath}' not found under {root}"));
        }
        if (content.Rows.Count == 0 && problems.Count == 0)
            problems.Add(new DatasetProblem(csv, 0, "split is empty"));
        var dataset = new ImageDataset(root, System.IO.Path.GetFileNameWithoutExtension(csv), content.Rows);
        if (requireAllClasses && content.Rows.Count > 0)
        {
            var counts = dataset.ClassCounts();
            foreach (var c in DocumentClasses.All.Where(c => counts[(int)c] == 0))
                problems.Add(new DatasetProblem(csv, 0, $"class {(int)c} ({DocumentClasses.NameOf(c)}) has no image in this split"));
        }
        if (problems.Count > 0)
            throw new DatasetException($"{csv}: {problems.Count} problem(s)", problems);
        return dataset;
    }

    /// <summary>
    /// Every image file under <paramref name="folder"/> (recursively, by <see cref="Inference.ImagePaths.IsImageName"/> as
    /// <c>predict</c> searches folders; sorted by path so a seed sees the same order on every
    /// machine) as a split named <c>unlabeled</c>. Its labels are placeholders (<see cref="DocumentClass.Document"/>): only
    /// losses that do not read labels (distillation's soft and feature terms) may use it.
    /// </summary>
    public static ImageDataset Unlabeled(string folder)
    {
        if (!Directory.Exists(folder)) throw new DatasetException($"unlabeled image folder '{folder}' does not exist", []);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        var files = Directory.EnumerateFiles(folder, "*", options)
            .Where(Inference.ImagePaths.IsImageName)
            .Select(f => System.IO.Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)
            .Select((relative, i) => new LabeledImage(relative, DocumentClass.Document, folder, i + 1))
            .ToArray();
        if (files.Length == 0)
            throw new DatasetException($"unlabeled image folder '{folder}' holds no image ({string.Join(", ", Inference.ImagePaths.ImageExtensions.Order(StringComparer.Ordinal))})", []);
        return new ImageDataset(folder, "unlabeled", files);
    }
}

/// <summary>A dataset that cannot be used, with every problem found.</summary>
public sealed class DatasetException(string message, IReadOnlyList<DatasetProblem> problems)
    : Exception(problems.Count == 0 ? message : message + Environment.NewLine + string.Join(Environment.NewLine, problems.Take(50).Select(p => "  " + p)) +
        (problems.Count > 50 ? $"{Environment.NewLine}  ... and {problems.Count - 50} more" : ""))
{
    /// <summary>Each problem, located.</summary>
    public IReadOnlyList<DatasetProblem> Problems { get; } = problems;
}
