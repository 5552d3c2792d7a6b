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
    public void Package_photos_are_the_listed_files_under_the_photo_folder_of_installed_packages_only()
    {
        var photos = Path.Combine(root, "backgrounds");
        var info = Path.Combine(root, "dpkg-info");
        Directory.CreateDirectory(Path.Combine(photos, "sub"));
        Directory.CreateDirectory(info);
        Directory.CreateDirectory(Path.Combine(root, "icons"));
        foreach (var file in new[] { "sub/a.jpg", "b.png", "other.jpg", "unlisted.jpg" }) File.WriteAllBytes(Path.Combine(photos, file), new byte[30_000]);
        File.WriteAllBytes(Path.Combine(root, "icons", "icon.png"), new byte[30_000]);
        File.WriteAllLines(Path.Combine(info, "wall.list"), ["/.", photos, Path.Combine(photos, "sub"), Path.Combine(photos, "sub", "a.jpg"), Path.Combine(root, "icons", "icon.png")]);
        File.WriteAllLines(Path.Combine(info, "arch-wall:amd64.list"), [Path.Combine(photos, "b.png"), Path.Combine(photos, "deleted.jpg")]);
        File.WriteAllLines(Path.Combine(info, "other-wall.list"), [Path.Combine(photos, "other.jpg")]);

        var found = DebianPhotoSources.FindPackagePhotos(info, ["wall", "arch-wall", "not-installed"], photos);

        Assert.Equal([Path.Combine(photos, "b.png"), Path.Combine(photos, "sub", "a.jpg")], found);
        Assert.Empty(DebianPhotoSources.FindPackagePhotos(Path.Combine(root, "no-dpkg"), ["wall"], photos));
    }

    [Fact]
    public void The_default_photos_belong_to_the_known_packages_and_lie_in_the_photo_folder()
    {
        var owned = DebianPhotoSources.KnownPackages
            .SelectMany(p => Directory.Exists(DebianPhotoSources.DpkgInfoFolder)
                ? Directory.GetFiles(DebianPhotoSources.DpkgInfoFolder, p + ".list").Concat(Directory.GetFiles(DebianPhotoSources.DpkgInfoFolder, p + ":*.list"))
                : [])
            .SelectMany(File.ReadLines)
            .ToHashSet(StringComparer.Ordinal);
        var photos = DebianPhotoSources.FindPackagePhotos();
        Assert.True(photos.Count > 0, "no wallpaper package installed; run tools/install-data-packages.sh");
        Assert.All(photos, photo =>
        {
            Assert.StartsWith(DebianPhotoSources.PhotoFolder + "/", photo, StringComparison.Ordinal);
            Assert.Contains(photo, owned);
        });
    }
}
