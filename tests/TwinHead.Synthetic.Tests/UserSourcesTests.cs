using System.Globalization;
using SkiaSharp;
using TwinHead.Core.Labels;

namespace TwinHead.Synthetic.Tests;

/// <summary>Font and photo folders named by the user: used instead of the Debian packages' files, or refused by name.</summary>
public sealed class UserSourcesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "twinhead-user-sources-" + Guid.NewGuid().ToString("N"));

    public UserSourcesTests() => Directory.CreateDirectory(root);

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private SynthOptions Small(string name, GeneratorVersion version = GeneratorVersion.Realistic) =>
        new(Path.Combine(root, name), Count: 6, Seed: 3, Width: 48, Height: 48, Parallelism: 2, Version: version, ExtraPhotoDirectories: []);

    /// <summary>A folder holding a copy of one Debian font under a name of the user's.</summary>
    private string UserFontFolder(string fontFileName)
    {
        var font = DebianFontSources.FindFonts(DebianFontSources.KnownFolders).FirstOrDefault(f => f.EndsWith("/" + fontFileName, StringComparison.Ordinal));
        Assert.True(font is not null, $"{fontFileName} is not installed; run tools/install-data-packages.sh");
        var folder = Path.Combine(root, "my-fonts");
        Directory.CreateDirectory(folder);
        File.Copy(font, Path.Combine(folder, "house-" + fontFileName), overwrite: true);
        return folder;
    }

    [Theory]
    [InlineData(GeneratorVersion.Procedural)]
    [InlineData(GeneratorVersion.Realistic)]
    public void A_font_folder_replaces_the_debian_fonts_and_is_listed_in_sources(GeneratorVersion version)
    {
        var folder = UserFontFolder("DejaVuSerif.ttf");
        var options = Small("fonts-" + version) with { FontDirectories = [folder] };

        var result = new SyntheticDatasetGenerator(options).Generate();

        Assert.Equal(1, result.FontFiles);
        var fonts = File.ReadAllLines(Path.Combine(options.OutputDirectory, SyntheticDatasetGenerator.SourcesTsvName))
            .Select(r => r.Split('\t')).Where(r => r[0] == "font").ToArray();
        var user = Path.Combine(folder, "house-DejaVuSerif.ttf");
        Assert.Equal([["font", user, new FileInfo(user).Length.ToString(CultureInfo.InvariantCulture)]], fonts);
        Assert.Equal(6, Directory.EnumerateFiles(options.OutputDirectory, "*.jpg", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Pages_drawn_with_the_users_font_differ_from_pages_drawn_with_the_debian_fonts()
    {
        var folder = UserFontFolder("DejaVuSerif.ttf");
        var defaults = new SyntheticDatasetGenerator(Small("unused"));
        var custom = new SyntheticDatasetGenerator(Small("unused") with { FontDirectories = [folder] });

        var differing = Enumerable.Range(0, 4).Count(seed =>
        {
            using var a = defaults.RenderSample(DocumentClass.Document, seed);
            using var b = custom.RenderSample(DocumentClass.Document, seed);
            return !a.Bytes.AsSpan().SequenceEqual(b.Bytes);
        });

        Assert.True(differing >= 3, $"only {differing} of 4 pages changed with another font");
    }

    [Fact]
    public void A_contact_sheet_uses_the_font_folder_of_its_options()
    {
        var folder = UserFontFolder("DejaVuSerif.ttf");
        var plain = Path.Combine(root, "plain.png");
        var custom = Path.Combine(root, "custom.png");

        ContactSheet.Write(plain, DocumentClass.Document, Small("unused"), columns: 2, rows: 1, tile: 48);
        ContactSheet.Write(custom, DocumentClass.Document, Small("unused") with { FontDirectories = [folder] }, columns: 2, rows: 1, tile: 48);

        using var a = SKBitmap.Decode(plain);
        using var b = SKBitmap.Decode(custom);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        Assert.False(a.Bytes.AsSpan().SequenceEqual(b.Bytes), "the contact sheet ignored the font folder");
    }

    [Fact]
    public void A_font_folder_without_font_files_is_refused_by_name_before_anything_is_written()
    {
        var folder = Path.Combine(root, "no-fonts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "fonts go here");
        var options = Small("refused") with { FontDirectories = [folder] };

        var error = Assert.Throws<InvalidDataException>(() => new SyntheticDatasetGenerator(options).Generate());

        Assert.Contains(folder, error.Message);
        Assert.Contains(".ttf", error.Message);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }

    [Fact]
    public void A_font_folder_whose_files_are_not_fonts_is_refused()
    {
        var folder = Path.Combine(root, "broken-fonts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "broken.ttf"), "not a font");
        var options = Small("refused") with { FontDirectories = [folder] };

        var error = Assert.Throws<InvalidDataException>(() => new SyntheticDatasetGenerator(options).Generate());

        Assert.Contains(folder, error.Message);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }

    [Fact]
    public void Missing_font_and_photo_folders_are_refused_when_the_generator_is_created()
    {
        var missing = Path.Combine(root, "missing");

        var fonts = Assert.Throws<DirectoryNotFoundException>(() => new SyntheticDatasetGenerator(Small("x") with { FontDirectories = [missing] }));
        var photos = Assert.Throws<DirectoryNotFoundException>(() => new SyntheticDatasetGenerator(Small("x") with { ExtraPhotoDirectories = [missing] }));

        Assert.Equal($"font folder '{missing}' does not exist", fonts.Message);
        Assert.Equal($"photo folder '{missing}' does not exist", photos.Message);
    }

    [Fact]
    public void A_photo_folder_without_photos_is_refused_by_name_before_anything_is_written()
    {
        var folder = Path.Combine(root, "no-photos");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "icon.png"), new byte[500]);
        var options = Small("refused") with { ExtraPhotoDirectories = [folder] };

        var error = Assert.Throws<InvalidDataException>(() => new SyntheticDatasetGenerator(options).Generate());

        Assert.Contains(folder, error.Message);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }

    [Fact]
    public void User_photo_folders_keep_phone_sized_photos_that_the_debian_filter_drops()
    {
        var folder = Path.Combine(root, "phone");
        Directory.CreateDirectory(folder);
        var large = Path.Combine(folder, "IMG_0001.jpg");
        using (var stream = File.Create(large)) stream.SetLength(9_000_000);

        Assert.Empty(DebianPhotoSources.FindPhotos([folder]));
        Assert.Equal([large], PhotoLibrary.FindInFolders([folder]));
    }

    [Fact]
    public void Photo_folders_of_symbolic_links_are_measured_by_the_files_they_point_to()
    {
        var store = Path.Combine(root, "store");
        var links = Path.Combine(root, "links");
        Directory.CreateDirectory(store);
        Directory.CreateDirectory(links);
        var photo = Path.Combine(store, "wallpaper.jpg");
        using (var stream = File.Create(photo)) stream.SetLength(50_000);
        var link = Path.Combine(links, "wallpaper.jpg");
        File.CreateSymbolicLink(link, photo);
        File.CreateSymbolicLink(Path.Combine(links, "gone.jpg"), Path.Combine(store, "deleted.jpg"));

        Assert.Equal([link], DebianPhotoSources.FindPhotos([links]));
        Assert.Equal([link], PhotoLibrary.FindInFolders([links]));
    }
}
