using TwinHead.Core.Data;
using TwinHead.Training.Data;

namespace TwinHead.Training.Tests.Data;

public sealed class DatasetMergerTests : IClassFixture<TinyDatasetFixture>, IDisposable
{
    private readonly TinyDataset generated;
    private readonly TinyDataset other = new(count: 30, size: 64, seed: 11);

    public DatasetMergerTests(TinyDatasetFixture fixture) => generated = fixture.Data;

    public void Dispose() => other.Dispose();

    /// <summary>The second dataset as a user's photos would arrive: split CSVs, no generator cues.</summary>
    private string Photos(string name)
    {
        var root = Path.Combine(other.CopyTo(name), "photos");
        var parent = Path.GetDirectoryName(root)!;
        Directory.CreateDirectory(root);
        foreach (var entry in Directory.GetFileSystemEntries(parent).Where(e => e != root))
        {
            if (Directory.Exists(entry)) Directory.Move(entry, Path.Combine(root, Path.GetFileName(entry)));
            else File.Move(entry, Path.Combine(root, Path.GetFileName(entry)));
        }
        File.Delete(Path.Combine(root, ImageGroupFile.GeneratorFileName));
        return root;
    }

    [Fact]
    public void Merged_root_holds_every_source_image_in_its_own_split_and_passes_the_dataset_check()
    {
        var photos = Photos("linked");
        var merged = Path.Combine(generated.Scratch("merge-linked"), "mixed");

        var summary = DatasetMerger.Merge(merged, [generated.Root, photos], new MergeOptions());

        var names = summary.Sources.Select(s => s.Name).ToArray();
        Assert.Equal(Path.GetFileName(generated.Root), names[0]);
        Assert.Equal("photos", names[1]);
        Assert.False(summary.Copied);
        Assert.NotNull(new DirectoryInfo(Path.Combine(merged, "photos")).LinkTarget);
        foreach (var split in SplitNames.All)
        {
            var expected = new[] { generated.Root, photos }
                .SelectMany((root, i) => SplitCsv.Read(SplitNames.CsvPath(root, split)).Rows.Select(r => (names[i] + "/" + r.RelativePath, r.Label)))
                .ToList();
            var rows = SplitCsv.Read(SplitNames.CsvPath(merged, split)).Rows.Select(r => (r.RelativePath, r.Label)).ToList();
            Assert.Equal(expected, rows);
            Assert.Equal(expected.Count, summary.Sources.Sum(s => s.Counts[split].Sum()));
        }
        var report = DatasetChecker.Check(merged, minSize: 32);
        Assert.False(report.HasErrors, string.Join("\n", report.Problems));
        Assert.Equal(90, report.Counts.Values.Sum(c => c.Sum()));
        Assert.Equal(summary.Sources.Sum(s => s.Counts[SplitNames.Train].Sum()), ImageDataset.Load(merged, SplitNames.Train, requireAllClasses: true).Count);

        // Every image is tagged with its source; generator cues survive where the source had them.
        var groupFile = Path.Combine(merged, ImageGroupFile.GeneratorFileName);
        var source = ImageGroupFile.Read(groupFile, DatasetMerger.SourceColumn);
        var version = ImageGroupFile.Read(groupFile, "version");
        Assert.Equal(90, source.Count);
        Assert.Equal(60, source.Values.Count(v => v == names[0]));
        Assert.All(source.Where(kv => kv.Value == names[0]), kv => Assert.Equal("procedural", version[kv.Key]));
        Assert.All(source.Where(kv => kv.Value == "photos"), kv => Assert.Equal("", version[kv.Key]));
        Assert.True(summary.Sources[0].HasGeneratorCues);
        Assert.False(summary.Sources[1].HasGeneratorCues);
    }

    [Fact]
    public void Copies_instead_of_links_when_asked_and_keeps_same_named_sources_apart()
    {
        var first = Photos("copy-a");
        var second = Photos("copy-b");
        var merged = Path.Combine(generated.Scratch("merge-copied"), "mixed");

        var summary = DatasetMerger.Merge(merged, [first, second], new MergeOptions(Copy: true));

        Assert.Equal(["photos", "photos-2"], summary.Sources.Select(s => s.Name));
        Assert.True(summary.Copied);
        Assert.Null(new DirectoryInfo(Path.Combine(merged, "photos-2")).LinkTarget);
        var rows = SplitNames.All.SelectMany(s => SplitCsv.Read(SplitNames.CsvPath(merged, s)).Rows).ToList();
        Assert.Equal(60, rows.Count);
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(merged, r.RelativePath)), r.RelativePath));
        Assert.Equal(30, rows.Count(r => r.RelativePath.StartsWith("photos-2/", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_test_only_source_adds_to_the_test_split_alone()
    {
        var photos = Photos("testonly");
        File.Delete(SplitNames.CsvPath(photos, SplitNames.Train));
        File.Delete(SplitNames.CsvPath(photos, SplitNames.Val));
        var merged = Path.Combine(generated.Scratch("merge-testonly"), "mixed");

        var summary = DatasetMerger.Merge(merged, [generated.Root, photos], new MergeOptions());

        Assert.Equal([SplitNames.Test], summary.Sources[1].Counts.Keys);
        Assert.DoesNotContain(SplitCsv.Read(SplitNames.CsvPath(merged, SplitNames.Train)).Rows, r => r.RelativePath.StartsWith("photos/", StringComparison.Ordinal));
        Assert.Equal(SplitCsv.Read(SplitNames.CsvPath(photos, SplitNames.Test)).Rows.Count,
            SplitCsv.Read(SplitNames.CsvPath(merged, SplitNames.Test)).Rows.Count(r => r.RelativePath.StartsWith("photos/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bad_sources_are_named_and_nothing_is_written()
    {
        var photos = Photos("bad");
        var scratch = generated.Scratch("merge-bad");
        var merged = Path.Combine(scratch, "mixed");

        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => DatasetMerger.Merge(merged, [photos], new MergeOptions())).Message);
        Assert.Contains("inside", Assert.Throws<ArgumentException>(() => DatasetMerger.Merge(Path.Combine(photos, "mixed"), [generated.Root, photos], new MergeOptions())).Message);
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => DatasetMerger.Merge(merged, [generated.Root, Path.Combine(scratch, "nowhere")], new MergeOptions())).Message);

        var train = SplitNames.CsvPath(photos, SplitNames.Train);
        var lines = File.ReadAllLines(train).Length;
        File.AppendAllText(train, "screens/extra.jpg,7\n");
        var malformed = Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge(merged, [generated.Root, photos], new MergeOptions()));
        Assert.Contains($"train.csv:{lines + 1}:", malformed.Message);
        Assert.False(Directory.Exists(merged));

        var empty = generated.Scratch("merge-empty");
        Assert.Contains("dataset split", Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge(merged, [generated.Root, empty], new MergeOptions())).Message);
        Assert.False(Directory.Exists(merged));
    }

    [Fact]
    public void A_second_merge_into_the_same_root_needs_force_and_then_replaces_the_first()
    {
        var photos = Photos("again");
        var merged = Path.Combine(generated.Scratch("merge-again"), "mixed");
        DatasetMerger.Merge(merged, [generated.Root, photos], new MergeOptions());

        Assert.Contains("--force", Assert.Throws<IOException>(() => DatasetMerger.Merge(merged, [photos, generated.Root], new MergeOptions())).Message);

        DatasetMerger.Merge(merged, [photos, generated.Root], new MergeOptions(Overwrite: true));
        Assert.StartsWith("photos/", SplitCsv.Read(SplitNames.CsvPath(merged, SplitNames.Train)).Rows[0].RelativePath, StringComparison.Ordinal);
        Assert.NotNull(new DirectoryInfo(Path.Combine(merged, "photos")).LinkTarget);
    }
}
