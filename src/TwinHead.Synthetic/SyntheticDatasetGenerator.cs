using System.Diagnostics;
using System.Globalization;
using System.Text;
using SkiaSharp;
using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Imaging;

namespace TwinHead.Synthetic;

/// <summary>
/// Writes a synthetic three-class dataset in the reference layout: class folders of JPEGs, stratified
/// <c>train.csv</c>/<c>val.csv</c>/<c>test.csv</c>, <c>generator.csv</c> recording each image's seed and cues, and
/// <c>sources.tsv</c> listing the font and photo files the images were drawn with.
/// Every image is drawn from its own seed derived from (seed, index), so output is identical whatever the thread timing.
/// </summary>
public sealed class SyntheticDatasetGenerator
{
    /// <summary>File name of the per-image record of seeds and cue parameters.</summary>
    public const string GeneratorCsvName = Core.Data.ImageGroupFile.GeneratorFileName;

    /// <summary>
    /// File name of the list of font and photo files (path and size) the dataset was drawn with: two datasets from the
    /// same options are identical exactly when these lists are, so a diff of it explains a dataset that differs.
    /// </summary>
    public const string SourcesTsvName = "sources.tsv";

    private readonly SynthOptions options;
    private readonly Lazy<SceneAssets> assets;

    /// <summary>Creates a generator; the options are checked here, so bad values fail before any file is touched.</summary>
    public SyntheticDatasetGenerator(SynthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        this.options = options;
        assets = new Lazy<SceneAssets>(() => Assets(options));
    }

    /// <summary>Generates the dataset. Reports the number of images finished so far to <paramref name="progress"/>.</summary>
    /// <exception cref="IOException">The output directory is not empty and <see cref="SynthOptions.Overwrite"/> is false.</exception>
    public SynthResult Generate(IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.OutputDirectory);
        var assets = this.assets.Value;
        PrepareOutputDirectory(root);
        // Resolved before the workers start: choosing the encoder sets an environment variable for TurboJPEG.
        var encoder = JpegEncoder.Name;

        var plan = Enumerable.Range(0, options.Count).Select(PlanItem).ToArray();
        var splitOf = AssignSplits(plan);
        var (trainingAssets, heldOutAssets) = options.HeldOutSources > 0 ? SourcePartition.Split(assets, options.HeldOutSources, options.Seed) : (assets, assets);
        var records = new string[options.Count][];
        var done = 0;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, options.Count, parallel, i =>
        {
            var item = plan[i];
            var (bitmap, cues) = SampleRenderer.Render(item.Label, item.Seed, options.Width, options.Height, options.Version,
                splitOf[i] == 0 ? trainingAssets : heldOutAssets,
                options.JpegQualityMin, options.JpegQualityMax);
            using (bitmap)
            {
                var bytes = JpegEncoder.Encode(bitmap, cues.JpegQuality);
                WriteAtomically(Path.Combine(root, item.RelativePath), bytes);
            }
            records[i] = cues.ToRow(item.RelativePath, (int)item.Label, item.Seed, options.Version);
            progress?.Report(Interlocked.Increment(ref done));
        });

        WriteGeneratorCsv(Path.Combine(root, GeneratorCsvName), records);
        WriteSplits(root, plan, splitOf);
        // A source in both parts (the only one of its kind) is not held out.
        var heldFonts = heldOutAssets.Fonts.Files.Except(trainingAssets.Fonts.Files).ToHashSet(StringComparer.Ordinal);
        var heldPhotos = heldOutAssets.Photos.Files.Except(trainingAssets.Photos.Files).ToHashSet(StringComparer.Ordinal);
        WriteSources(Path.Combine(root, SourcesTsvName), assets.Fonts.Files, assets.Photos, heldFonts, heldPhotos);
        var perClass = DocumentClasses.All.ToDictionary(c => c, c => plan.Count(p => p.Label == c));
        return new SynthResult(options.Count, perClass, stopwatch.Elapsed, root, assets.Fonts.Files.Count, assets.Photos.Count, encoder,
            heldFonts.Count, heldPhotos.Count);
    }

    /// <summary>
    /// Renders one image (without JPEG compression) deterministically from its seed, using the Debian packages' photos
    /// and fonts installed on this machine.
    /// </summary>
    public static SKBitmap RenderSample(DocumentClass label, int seed, int width, int height, GeneratorVersion version)
    {
        if (width < 16 || height < 16) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is below the 16x16 minimum");
        var assets = version != GeneratorVersion.Procedural ? SceneAssets.Default : SceneAssets.FontsOnly;
        return SampleRenderer.Render(label, unchecked((ulong)seed), width, height, version, assets, 70, 95).Bitmap;
    }

    /// <summary>
    /// Renders image <paramref name="seed"/> at this generator's options (version, size, photos, fonts, cutouts), without
    /// JPEG compression: what the dataset's image with that seed looks like before it is saved.
    /// </summary>
    public SKBitmap RenderSample(DocumentClass label, int seed) =>
        SampleRenderer.Render(label, unchecked((ulong)seed), options.Width, options.Height, options.Version, assets.Value,
            options.JpegQualityMin, options.JpegQualityMax).Bitmap;

    /// <summary>
    /// The photos and fonts the options name, or the Debian packages' ones. A folder the user named that yields nothing
    /// usable is an error naming it: a dataset silently drawn without the user's files would look like it had them.
    /// </summary>
    internal static SceneAssets Assets(SynthOptions o)
    {
        var fonts = FontCatalog.Default;
        if (o.FontDirectories is { } fontFolders)
        {
            fonts = FontCatalog.FromFiles(FilesOfEachFolder(fontFolders, "font", DebianFontSources.FindFonts, "holds no TrueType or OpenType files (.ttf, .otf)"));
            if (fonts.Files.Count == 0)
            {
                throw new InvalidDataException(
                    $"font folder(s) '{string.Join("', '", fontFolders)}': no font file there draws Latin text (symbol, math and emoji faces are skipped)");
            }
        }
        if (o.Version == GeneratorVersion.Procedural) return new SceneAssets(PhotoLibrary.Empty, fonts);
        var photos = o.ExtraPhotoDirectories is { } photoFolders
            ? PhotoLibrary.FromFiles(FilesOfEachFolder(photoFolders, "photo", PhotoLibrary.FindInFolders, "holds no photos (.jpg, .jpeg, .png or .webp files of at least 20 kB)"))
            : PhotoLibrary.Default;
        if (o.ObjectCutouts) photos = photos.WithCutouts(Synthetic.ObjectCutouts.Debian);
        return new SceneAssets(photos, fonts);
    }

    /// <summary>The files <paramref name="find"/> gives for each folder, merged and sorted by path; a folder giving none is an error naming it.</summary>
    private static IReadOnlyList<string> FilesOfEachFolder(IReadOnlyList<string> folders, string kind, Func<IEnumerable<string>, IReadOnlyList<string>> find, string emptyProblem)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var found = find([folder]);
            if (found.Count == 0) throw new InvalidDataException($"{kind} folder '{folder}' {emptyProblem}");
            files.UnionWith(found);
        }
        return files.ToArray();
    }

    private readonly record struct PlannedItem(int Index, DocumentClass Label, ulong Seed, string RelativePath);

    private PlannedItem PlanItem(int index)
    {
        // Round-robin labels keep the classes balanced (they differ by at most one image).
        var label = DocumentClasses.All[index % DocumentClasses.Count];
        var prefix = label switch { DocumentClass.Document => "d", DocumentClass.NotDocument => "n", _ => "s" };
        var path = $"{DocumentClasses.FolderOf(label)}/{prefix}_{index:000000}.jpg";
        return new PlannedItem(index, label, SampleRandom.Derive(options.Seed, index), path);
    }

    private void PrepareOutputDirectory(string root)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!options.Overwrite)
            {
                throw new IOException($"Output directory '{root}' is not empty; choose an empty directory or set Overwrite to replace a generated dataset.");
            }
            foreach (var c in DocumentClasses.All)
            {
                var folder = Path.Combine(root, DocumentClasses.FolderOf(c));
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            foreach (var name in new[] { "train.csv", "val.csv", "test.csv", GeneratorCsvName, SourcesTsvName })
            {
                File.Delete(Path.Combine(root, name));
            }
        }
        foreach (var c in DocumentClasses.All) Directory.CreateDirectory(Path.Combine(root, DocumentClasses.FolderOf(c)));
    }

    /// <summary>The split of each planned image (0 train, 1 validation, 2 test): a stratified shuffle drawn from the seed.</summary>
    private int[] AssignSplits(PlannedItem[] plan)
    {
        var splitOf = new int[plan.Length];
        foreach (var c in DocumentClasses.All)
        {
            var items = plan.Where(p => p.Label == c).ToArray();
            var rng = new SampleRandom(SampleRandom.Derive(options.Seed, (int)c, stream: 0x5911));
            for (var i = items.Length - 1; i > 0; i--)
            {
                var j = rng.Index(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
            var train = (int)Math.Round(items.Length * options.TrainFraction, MidpointRounding.AwayFromZero);
            var val = Math.Min(items.Length - train, (int)Math.Round(items.Length * options.ValFraction, MidpointRounding.AwayFromZero));
            foreach (var item in items[train..(train + val)]) splitOf[item.Index] = 1;
            foreach (var item in items[(train + val)..]) splitOf[item.Index] = 2;
        }
        return splitOf;
    }

    private static void WriteSplits(string root, PlannedItem[] plan, int[] splitOf)
    {
        string[] names = ["train", "val", "test"];
        for (var s = 0; s < 3; s++)
        {
            SplitCsv.Write(Path.Combine(root, names[s] + ".csv"), plan.Where(p => splitOf[p.Index] == s).Select(p => (p.RelativePath, p.Label)));
        }
    }

    private static void WriteGeneratorCsv(string path, string[][] records)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', SampleCues.Columns)).Append('\n');
        foreach (var record in records) sb.Append(string.Join(',', record.Select(Quote))).Append('\n');
        WriteAtomically(path, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }

    /// <summary>Lists the sources; with held-out sources, those only validation and test images use are of kind "held-out font" or "held-out photo".</summary>
    private static void WriteSources(string path, IReadOnlyList<string> fonts, PhotoLibrary photos, ISet<string> heldFonts, ISet<string> heldPhotos)
    {
        var sb = new StringBuilder("kind\tpath\tbytes\n");
        foreach (var (kind, file) in fonts.Select(f => (heldFonts.Contains(f) ? "held-out font" : "font", f))
                     .Concat(photos.Files.Select(f => (heldPhotos.Contains(f) ? "held-out photo" : "photo", f))))
        {
            var bytes = File.Exists(file) ? new FileInfo(file).Length : 0;
            sb.Append(kind).Append('\t').Append(file).Append('\t').Append(bytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        if (photos.Cutouts.Count > 0)
        {
            sb.Append("cutouts\t").Append(Synthetic.ObjectCutouts.TuxPaintStamps).Append('\t').Append(photos.Cutouts.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        WriteAtomically(path, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    private static void Validate(SynthOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.OutputDirectory)) throw new ArgumentException("OutputDirectory is empty.", nameof(o.OutputDirectory));
        if (o.Count < 1) throw new ArgumentOutOfRangeException(nameof(o.Count), o.Count, "Count must be at least 1.");
        if (o.Width < 16 || o.Height < 16 || o.Width > 8192 || o.Height > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Width), $"image size {o.Width}x{o.Height} must be between 16 and 8192 pixels per side.");
        }
        if (o.TrainFraction < 0 || o.ValFraction < 0 || o.TrainFraction + o.ValFraction > 1 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(o.TrainFraction), $"TrainFraction {o.TrainFraction} and ValFraction {o.ValFraction} must be >= 0 and sum to at most 1.");
        }
        if (o.Parallelism < 0) throw new ArgumentOutOfRangeException(nameof(o.Parallelism), o.Parallelism, "Parallelism must be >= 0 (0 = all cores).");
        if (o.JpegQualityMin < 1 || o.JpegQualityMax > 100 || o.JpegQualityMin > o.JpegQualityMax)
        {
            throw new ArgumentOutOfRangeException(nameof(o.JpegQualityMin), $"JPEG quality range {o.JpegQualityMin}..{o.JpegQualityMax} must lie within 1..100 with min <= max.");
        }
        if (double.IsNaN(o.HeldOutSources) || o.HeldOutSources < 0 || o.HeldOutSources >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.HeldOutSources), o.HeldOutSources, "HeldOutSources (held-out share of photos and fonts) must be >= 0 and < 1.");
        }
        if (!Enum.IsDefined(o.Version)) throw new ArgumentOutOfRangeException(nameof(o.Version), o.Version, "unknown generator version");
        foreach (var folder in (o.FontDirectories ?? []).Where(f => !Directory.Exists(f)))
        {
            throw new DirectoryNotFoundException($"font folder '{folder}' does not exist");
        }
        foreach (var folder in (o.ExtraPhotoDirectories ?? []).Where(f => !Directory.Exists(f)))
        {
            throw new DirectoryNotFoundException($"photo folder '{folder}' does not exist");
        }
        if (o.ObjectCutouts && o.Version != GeneratorVersion.Procedural && Synthetic.ObjectCutouts.Debian.Count == 0)
        {
            throw new DirectoryNotFoundException(
                $"object cutouts: no photographic stamps in {Synthetic.ObjectCutouts.TuxPaintStamps}; install the Debian package tuxpaint-stamps-default (apt-get install tuxpaint-stamps-default, 160 MB) or leave --cutouts off");
        }
    }
}
