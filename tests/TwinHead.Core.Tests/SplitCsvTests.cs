using TwinHead.Core.Data;
using TwinHead.Core.Labels;

namespace TwinHead.Core.Tests;

public class SplitCsvTests
{
    [Fact]
    public void Reads_comma_rows_with_spaces_in_paths()
    {
        var content = SplitCsv.Parse("documents/img 1.jpg,0\nnot a documents/cat.jpg,1\nscreens/s.png,2\n", "train.csv");
        Assert.Empty(content.Problems);
        Assert.Equal(["documents/img 1.jpg", "not a documents/cat.jpg", "screens/s.png"], content.Rows.Select(r => r.RelativePath));
        Assert.Equal([DocumentClass.Document, DocumentClass.NotDocument, DocumentClass.Screen], content.Rows.Select(r => r.Label));
        Assert.Equal([1, 2, 3], content.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Reads_the_talks_pipe_format_with_spaces_around_the_separator()
    {
        var content = SplitCsv.Parse("documents/img_1.jpg | 0\nnot a document/img_1.jpg | 1\r\nscreens/img_1.jpg | 2\r\n", "val.csv");
        Assert.Empty(content.Problems);
        Assert.Equal("not a document/img_1.jpg", content.Rows[1].RelativePath);
        Assert.Equal(DocumentClass.Screen, content.Rows[2].Label);
    }

    [Fact]
    public void Reads_tab_separated_rows()
    {
        var content = SplitCsv.Parse("a b/c.jpg\t2\n", "t.csv");
        Assert.Equal(("a b/c.jpg", DocumentClass.Screen), (content.Rows[0].RelativePath, content.Rows[0].Label));
    }

    [Fact]
    public void Quoted_paths_keep_commas_and_quotes()
    {
        var content = SplitCsv.Parse("\"documents/a, \"\"b\"\".jpg\",0\n", "t.csv");
        Assert.Empty(content.Problems);
        Assert.Equal("documents/a, \"b\".jpg", content.Rows[0].RelativePath);
    }

    [Fact]
    public void Unquoted_path_with_commas_still_parses_since_the_label_is_last()
    {
        var content = SplitCsv.Parse("documents/a,b,c.jpg,0\n", "t.csv");
        Assert.Empty(content.Problems);
        Assert.Equal("documents/a,b,c.jpg", content.Rows[0].RelativePath);
    }

    [Fact]
    public void Bad_rows_are_reported_with_file_and_line_and_good_rows_kept()
    {
        var content = SplitCsv.Parse("documents/a.jpg,0\nscreens/b.jpg,7\njust-a-path.jpg\nscreens/c.jpg,two\n,1\n../escape.jpg,0\n/abs.jpg,0\nscreens/d.jpg,2\n", "train.csv");
        Assert.Equal(2, content.Rows.Count);
        var messages = content.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("train.csv:2:", StringComparison.Ordinal) && m.Contains("label '7'"));
        Assert.Contains(messages, m => m.StartsWith("train.csv:3:", StringComparison.Ordinal) && m.Contains("one field"));
        Assert.Contains(messages, m => m.StartsWith("train.csv:4:", StringComparison.Ordinal) && m.Contains("label 'two'"));
        Assert.Contains(messages, m => m.StartsWith("train.csv:5:", StringComparison.Ordinal) && m.Contains("empty image path"));
        Assert.Contains(messages, m => m.StartsWith("train.csv:6:", StringComparison.Ordinal) && m.Contains("stay inside"));
        Assert.Contains(messages, m => m.StartsWith("train.csv:7:", StringComparison.Ordinal) && m.Contains("relative"));
        Assert.Equal(8, content.Rows[1].Line);
    }

    [Fact]
    public void Blank_lines_and_a_header_row_are_skipped()
    {
        var content = SplitCsv.Parse("path,label\n\ndocuments/a.jpg,0\n\n", "t.csv");
        Assert.Empty(content.Problems);
        Assert.Single(content.Rows);
        Assert.Equal(3, content.Rows[0].Line);
    }

    [Fact]
    public void Written_csv_reads_back_identically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twinhead-csv-{Guid.NewGuid():N}.csv");
        try
        {
            (string, DocumentClass)[] rows = [("not a documents/x, \"y\".jpg", DocumentClass.NotDocument), ("screens/z z.jpg", DocumentClass.Screen)];
            SplitCsv.Write(path, rows);
            var back = SplitCsv.Read(path);
            Assert.Empty(back.Problems);
            Assert.Equal(rows, back.Rows.Select(r => (r.RelativePath, r.Label)));
            Assert.DoesNotContain("\r", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
