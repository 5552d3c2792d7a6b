using SkiaSharp;

namespace TwinHead.Synthetic.Tests;

public sealed class FontCatalogTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-fonts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void FindFonts_lists_truetype_and_opentype_files_sorted_and_skips_other_files_and_missing_folders()
    {
        Directory.CreateDirectory(Path.Combine(root, "b", "deep"));
        foreach (var name in new[] { "b/deep/z.TTF", "a.otf", "b/m.ttf", "readme.txt", "b/font.pfb" })
        {
            File.WriteAllBytes(Path.Combine(root, name), [0]);
        }

        var fonts = DebianFontSources.FindFonts([Path.Combine(root, "b"), root, Path.Combine(root, "missing")]);

        Assert.Equal([Path.Combine(root, "a.otf"), Path.Combine(root, "b", "deep", "z.TTF"), Path.Combine(root, "b", "m.ttf")], fonts);
    }

    [Fact]
    public void Known_folders_are_distinct_absolute_paths_of_debian_font_packages()
    {
        Assert.Equal(DebianFontSources.KnownFolders.Count, DebianFontSources.KnownFolders.Distinct().Count());
        Assert.All(DebianFontSources.KnownFolders, folder =>
        {
            Assert.True(Path.IsPathRooted(folder), folder);
            Assert.StartsWith("/usr/share/", folder, StringComparison.Ordinal);
            Assert.Contains("/fonts/", folder, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Without_font_files_the_default_typeface_serves_text_and_monospace()
    {
        var catalog = FontCatalog.FromFiles([Path.Combine(root, "missing.ttf")]);

        Assert.Empty(catalog.Files);
        Assert.Equal([SKTypeface.Default], catalog.TextFaces);
        Assert.Equal(catalog.TextFaces, catalog.MonoFaces);
        Assert.Empty(catalog.HandFaces);
    }

    [Fact]
    public void A_font_file_read_twice_gives_one_face_and_unreadable_files_are_skipped()
    {
        var font = DebianFontSources.FindFonts(DebianFontSources.KnownFolders).FirstOrDefault(f => f.EndsWith("DejaVuSans.ttf", StringComparison.Ordinal));
        Assert.True(font is not null, "fonts-dejavu-core is not installed; run tools/install-data-packages.sh");
        Directory.CreateDirectory(root);
        var copy = Path.Combine(root, "copy.ttf");
        File.Copy(font, copy);
        var junk = Path.Combine(root, "junk.ttf");
        File.WriteAllText(junk, "not a font");

        var catalog = FontCatalog.FromFiles([font, junk, copy]);

        Assert.Equal([font], catalog.Files);
        Assert.Equal("DejaVu Sans", Assert.Single(catalog.TextFaces).FamilyName);
    }

    [Fact]
    public void The_default_catalogue_uses_only_files_from_the_known_folders()
    {
        Assert.NotEmpty(FontCatalog.Default.Files);
        Assert.All(FontCatalog.Default.Files, file =>
            Assert.Contains(DebianFontSources.KnownFolders, folder => file.StartsWith(folder + "/", StringComparison.Ordinal)));
    }
}
