namespace TwinHead.Synthetic;

/// <summary>
/// Folders where Debian packages install photographs and wallpapers whose licences allow reuse (see
/// THIRD-PARTY-DATA.md and tools/install-data-packages.sh). Images are found at run time, never committed.
/// The <c>darknet</c> package's images are excluded on purpose: they are in the real validation set.
/// </summary>
public static class DebianPhotoSources
{
    /// <summary>Folders searched by default, in this order.</summary>
    public static IReadOnlyList<string> KnownFolders { get; } =
    [
        // mate-backgrounds, gnome-backgrounds, xfdesktop4-data and ukui-wallpapers install here (licences checked,
        // listed in THIRD-PARTY-DATA.md). Add a folder only after checking its packages' copyright files.
        "/usr/share/backgrounds",
    ];

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp"];

    /// <summary>The known folders that exist on this machine.</summary>
    public static IReadOnlyList<string> Discover() => KnownFolders.Where(Directory.Exists).ToArray();

    /// <summary>
    /// Photo files (JPEG, PNG, WebP between <paramref name="minBytes"/> and <paramref name="maxBytes"/> bytes) under the
    /// given folders, recursively, sorted by path so that a seed picks the same photo on every run. Tiny files are icons;
    /// huge ones are multi-resolution duplicates that cost seconds to decode. Paths containing "darknet" are skipped.
    /// </summary>
    public static IReadOnlyList<string> FindPhotos(IEnumerable<string> folders, long minBytes = 20_000, long maxBytes = 6_000_000)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) continue;
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 6 };
            foreach (var file in Directory.EnumerateFiles(folder, "*", options))
            {
                if (file.Contains("darknet", StringComparison.OrdinalIgnoreCase)) continue;
                if (!Extensions.Contains(Path.GetExtension(file).ToLowerInvariant())) continue;
                var length = new FileInfo(file).Length;
                if (length < minBytes || length > maxBytes) continue;
                files.Add(file);
            }
        }
        return files.ToArray();
    }
}
