namespace TwinHead.Synthetic.Tests;

public sealed class DebianPhotoSourcesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-photos-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Finds_photos_sorted_and_skips_icons_other_files_and_darknet()
    {
        Directory.CreateDirectory(Path.Combine(root, "b"));
        Directory.CreateDirectory(Path.Combine(root, "darknet", "data"));
        File.WriteAllBytes(Path.Combine(root, "b", "z.jpg"), new byte[30_000]);
        File.WriteAllBytes(Path.Combine(root, "a.png"), new byte[30_000]);
        File.WriteAllBytes(Path.Combine(root, "icon.png"), new byte[500]);
        File.WriteAllBytes(Path.Combine(root, "notes.txt"), new byte[30_000]);
        File.WriteAllBytes(Path.Combine(root, "darknet", "data", "dog.jpg"), new byte[30_000]);

        var photos = DebianPhotoSources.FindPhotos([root, Path.Combine(root, "missing")]);

        Assert.Equal([Path.Combine(root, "a.png"), Path.Combine(root, "b", "z.jpg")], photos);
    }

    [Fact]
    public void Discover_lists_only_existing_known_folders()
    {
        Assert.All(DebianPhotoSources.Discover(), folder =>
        {
            Assert.Contains(folder, DebianPhotoSources.KnownFolders);
            Assert.True(Directory.Exists(folder));
        });
    }
}
