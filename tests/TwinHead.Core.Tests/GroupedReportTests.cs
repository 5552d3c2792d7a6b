using TwinHead.Core.Data;
using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;

namespace TwinHead.Core.Tests;

public sealed class GroupedReportTests : IDisposable
{
    private readonly string scratch = Path.Combine(Path.GetTempPath(), $"twinhead-groups-{Guid.NewGuid():N}");

    public GroupedReportTests() => Directory.CreateDirectory(scratch);

    private string WriteCsv(string text)
    {
        var path = Path.Combine(scratch, "groups.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Group_file_maps_each_path_to_the_column_value_with_forward_slashes()
    {
        var path = WriteCsv("path,label,device\nscreens/a.jpg,2,phone\n\"screens\\b, c.jpg\",2, laptop \ndocuments/d.jpg,0,none\n");

        var groups = ImageGroupFile.Read(path, "device");

        Assert.Equal(3, groups.Count);
        Assert.Equal("phone", groups["screens/a.jpg"]);
        Assert.Equal("laptop", groups["screens/b, c.jpg"]);
        Assert.Equal("none", groups["documents/d.jpg"]);
    }

    [Fact]
    public void A_tab_separated_listing_with_a_file_column_is_read_like_a_group_file()
    {
        // The layout of shared/data's SOURCES.tsv: tab-separated, the image in 'file', notes with commas.
        var path = WriteCsv("file\tlabel\trepo\tnote\nscreens/a.jpg\tscreens\towner/one\tlaptop, close-up\ndocuments/b.jpg\tdocuments\towner/two\treceipt\n");

        Assert.Equal(new Dictionary<string, string> { ["screens/a.jpg"] = "owner/one", ["documents/b.jpg"] = "owner/two" }, ImageGroupFile.Read(path, "repo"));
        Assert.Equal("laptop, close-up", ImageGroupFile.Read(path, "note")["screens/a.jpg"]);
        // With both columns, 'path' names the image.
        Assert.Equal("x", ImageGroupFile.Read(WriteCsv("file,path,tag\nignored.jpg,kept.jpg,x\n"), "tag")["kept.jpg"]);
    }

    [Fact]
    public void A_whole_group_file_keeps_its_header_and_fills_short_rows_with_empty_fields()
    {
        var table = ImageGroupFile.ReadAll(WriteCsv("file\trepo\tnote\nscreens\\a.jpg\towner/one\tclose-up\ndocuments/b.jpg\towner/two\n"));

        Assert.Equal(["file", "repo", "note"], table.Columns);
        Assert.Equal(["screens\\a.jpg", "owner/one", "close-up"], table.Rows["screens/a.jpg"]);
        Assert.Equal(["documents/b.jpg", "owner/two", ""], table.Rows["documents/b.jpg"]);
        Assert.Contains("no column 'path' (nor 'file')", Assert.Throws<InvalidDataException>(() => ImageGroupFile.ReadAll(WriteCsv("name,device\na.jpg,phone\n"))).Message);
    }

    [Fact]
    public void Group_file_without_the_column_names_the_file_and_lists_its_columns()
    {
        var path = WriteCsv("path,label,device\nscreens/a.jpg,2,phone\n");

        var error = Assert.Throws<InvalidDataException>(() => ImageGroupFile.Read(path, "devise"));

        Assert.Contains(path, error.Message);
        Assert.Contains("no column 'devise'", error.Message);
        Assert.Contains("path, label, device", error.Message);
    }

    [Fact]
    public void Group_file_without_a_path_column_or_with_a_short_row_is_refused_with_its_line()
    {
        Assert.Contains("no column 'path' (nor 'file')", Assert.Throws<InvalidDataException>(() => ImageGroupFile.Read(WriteCsv("name,device\na.jpg,phone\n"), "device")).Message);
        var shortRow = Assert.Throws<InvalidDataException>(() => ImageGroupFile.Read(WriteCsv("path,label,device\na.jpg,2,phone\nb.jpg,2\n"), "device"));
        Assert.Contains("groups.csv:3", shortRow.Message);
        Assert.Contains("empty file", Assert.Throws<InvalidDataException>(() => ImageGroupFile.Read(WriteCsv(""), "device")).Message);
        Assert.Throws<FileNotFoundException>(() => ImageGroupFile.Read(Path.Combine(scratch, "missing.csv"), "device"));
    }

    [Fact]
    public void Each_group_is_reported_on_its_own_images_largest_first_blank_values_together_and_unlisted_images_last()
    {
        var thresholds = new DecisionThresholds(0.5, 0.5);
        ImagePrediction[] predictions =
        [
            new("s/1.jpg", DocumentClass.Screen, 0.9, 0.1),
            new("s/2.jpg", DocumentClass.Screen, 0.2, 0.1),
            new("s/3.jpg", DocumentClass.Screen, 0.8, 0.1),
            new("d/1.jpg", DocumentClass.Document, 0.7, 0.2),
            new("d/2.jpg", DocumentClass.Document, 0.1, 0.2),
            new("n/1.jpg", DocumentClass.NotDocument, 0.1, 0.9),
            new("x/1.jpg", DocumentClass.NotDocument, 0.1, 0.2),
            new("y/1.jpg", DocumentClass.Screen, 0.9, 0.1),
        ];
        var groupOf = new Dictionary<string, string>
        {
            ["s/1.jpg"] = "phone", ["s/2.jpg"] = "phone", ["s/3.jpg"] = "laptop",
            ["d/1.jpg"] = "none", ["d/2.jpg"] = "none", ["n/1.jpg"] = "none", ["x/1.jpg"] = "",
        };

        var groups = GroupedReport.By(predictions, groupOf, thresholds);

        Assert.Equal(["none", "phone", "(blank)", "laptop", GroupedReport.NotListed], groups.Select(g => g.Group));
        var none = groups[0];
        Assert.Equal([2, 1, 0], none.PerClass);
        Assert.Equal(1, none.Report.ScreenHead.FalsePositives);
        Assert.Equal(2.0 / 3, none.Report.ThreeWay.Accuracy, 9);
        var phone = groups[1];
        Assert.Equal((1L, 1L), (phone.Report.ScreenHead.TruePositives, phone.Report.ScreenHead.FalseNegatives));
        Assert.Equal(0.5, phone.Report.ScreenHead.Recall, 9);
        // The blank-valued not-document scores below the not-document threshold: called a document.
        Assert.Equal(0.0, groups[2].Report.ThreeWay.Accuracy, 9);
        Assert.Equal(1.0, groups[3].Report.ScreenHead.Recall, 9);
        Assert.Equal(1, groups[4].Images);
        Assert.Equal(predictions.Length, groups.Sum(g => g.Images));
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
