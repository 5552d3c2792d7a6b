namespace TwinHead.Inference.Tests;

public sealed class ImagePathsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("twinhead-paths-").FullName;

    public ImagePathsTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        foreach (var f in new[] { "one.jpg", "two.PNG", "notes.txt", "a/three.jpeg", "a/b/four.jpg" }) File.WriteAllText(Path.Combine(root, f), "");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Folder_yields_its_images_recursively_and_skips_other_files()
    {
        var (files, unmatched) = ImagePaths.Expand([root]);
        Assert.Equal(["a/b/four.jpg", "a/three.jpeg", "one.jpg", "two.PNG"], files.Select(Relative).Order(StringComparer.Ordinal));
        Assert.Empty(unmatched);
    }

    [Fact]
    public void Globs_match_names_and_any_folders()
    {
        Assert.Equal(["one.jpg"], ImagePaths.Expand([Path.Combine(root, "*.jpg")]).Files.Select(Relative));
        Assert.Equal(["a/b/four.jpg", "a/three.jpeg", "one.jpg"], ImagePaths.Expand([Path.Combine(root, "**", "*.jp*g")]).Files.Select(Relative).Order(StringComparer.Ordinal));
        Assert.Equal(["a/b/four.jpg"], ImagePaths.Expand([Path.Combine(root, "a", "?", "*")]).Files.Select(Relative));
    }

    [Fact]
    public void Explicit_files_are_kept_whatever_their_extension_duplicates_dropped_and_misses_reported()
    {
        var notes = Path.Combine(root, "notes.txt");
        var (files, unmatched) = ImagePaths.Expand([notes, notes, Path.Combine(root, "*.gif"), Path.Combine(root, "missing.jpg")]);
        Assert.Equal([notes], files);
        Assert.Equal(2, unmatched.Count);
        Assert.Contains("matched no files", unmatched[0].Error);
        Assert.Contains("no such file", unmatched[1].Error);
    }

    private string Relative(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
