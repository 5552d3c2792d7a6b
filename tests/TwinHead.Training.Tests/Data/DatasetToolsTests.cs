using TwinHead.Core.Data;
using TwinHead.Training.Data;

namespace TwinHead.Training.Tests.Data;

public class DatasetToolsTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public DatasetToolsTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [Fact]
    public void Split_is_stratified_reproducible_and_refuses_to_overwrite()
    {
        var root = data.CopyTo("split");
        var first = DatasetSplitter.Split(root, new SplitOptions(Overwrite: true));
        var firstTrain = File.ReadAllText(SplitNames.CsvPath(root, "train"));
        Assert.All(first.Counts["train"], c => Assert.Equal(14, c));
        Assert.All(first.Counts["val"], c => Assert.Equal(3, c));
        Assert.All(first.Counts["test"], c => Assert.Equal(3, c));
        var refused = Assert.Throws<IOException>(() => DatasetSplitter.Split(root, new SplitOptions()));
        Assert.Contains("--force", refused.Message);
        DatasetSplitter.Split(root, new SplitOptions(Overwrite: true));
        Assert.Equal(firstTrain, File.ReadAllText(SplitNames.CsvPath(root, "train")));
    }

    [Fact]
    public void Split_names_a_missing_class_folder()
    {
        var root = data.CopyTo("noscreens");
        Directory.Delete(Path.Combine(root, "screens"), recursive: true);
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetSplitter.Split(root, new SplitOptions(Overwrite: true)));
        Assert.Contains("screens", e.Message);
    }

    [Fact]
    public void Check_passes_a_clean_dataset()
    {
        var report = DatasetChecker.Check(data.Root, minSize: 32);
        Assert.False(report.HasErrors, string.Join("\n", report.Problems));
        Assert.Equal(60, report.Counts.Values.Sum(c => c.Sum()));
    }

    [Fact]
    public void Check_locates_missing_corrupt_small_and_leaked_images()
    {
        var root = data.CopyTo("broken");
        var train = SplitCsv.Read(SplitNames.CsvPath(root, "train")).Rows;
        var test = SplitCsv.Read(SplitNames.CsvPath(root, "test")).Rows;
        File.Delete(Path.Combine(root, train[0].RelativePath));
        File.WriteAllText(Path.Combine(root, train[1].RelativePath), "this is not a jpeg");
        File.Copy(Path.Combine(root, train[2].RelativePath), Path.Combine(root, test[0].RelativePath), overwrite: true);
        File.AppendAllText(SplitNames.CsvPath(root, "val"), "screens/s_999.jpg,5\n");

        var report = DatasetChecker.Check(root, minSize: 65);
        var lines = report.Problems.Where(p => p.IsError).Select(p => p.ToString()).ToList();
        Assert.Contains(lines, l => l.Contains($"train.csv:{train[0].Line}:") && l.Contains("not found"));
        Assert.Contains(lines, l => l.Contains($"train.csv:{train[1].Line}:") && l.Contains("cannot be decoded"));
        Assert.Contains(lines, l => l.Contains("test.csv:") && l.Contains("leakage across splits"));
        Assert.Contains(lines, l => l.Contains("val.csv:") && l.Contains("label '5'"));
        Assert.Contains(lines, l => l.Contains("below the minimum 65x65"));
    }

    [Fact]
    public void Loading_a_split_with_a_missing_class_fails_naming_the_class()
    {
        var root = data.CopyTo("missingclass");
        var val = SplitNames.CsvPath(root, "val");
        File.WriteAllLines(val, File.ReadAllLines(val).Where(l => !l.EndsWith(",2", StringComparison.Ordinal)));
        var e = Assert.Throws<DatasetException>(() => ImageDataset.Load(root, "val", requireAllClasses: true));
        Assert.Contains("class 2 (screen)", e.Message);
        Assert.Contains("val.csv", e.Message);
    }
}
