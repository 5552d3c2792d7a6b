namespace TwinHead.Synthetic;

/// <summary>
/// Photographs and wallpapers of the Debian packages tools/install-data-packages.sh installs, whose licences allow
/// reuse (THIRD-PARTY-DATA.md). Files are found at run time through dpkg's per-package file lists, never committed, and
/// only those packages' files are used: other wallpaper packages install into the same folder (lomiri-wallpapers,
/// for one) and would otherwise change a dataset generated from the same seed. The <c>darknet</c> package's images are
/// excluded on purpose: they are in the real validation set.
/// </summary>
public static class DebianPhotoSources
{
    /// <summary>Where the wallpaper packages put their pictures; files of the packages elsewhere (icons) are ignored.</summary>
    public const string PhotoFolder = "/usr/share/backgrounds";

    /// <summary>dpkg's database of which package installed which file.</summary>
    public const string DpkgInfoFolder = "/var/lib/dpkg/info";

    /// <summary>
    /// Packages whose pictures are used, licences checked (THIRD-PARTY-DATA.md). Add one only together with
    /// tools/install-data-packages.sh and its copyright file's licence.
    /// </summary>
    public static IReadOnlyList<string> KnownPackages { get; } = ["mate-backgrounds", "gnome-backgrounds", "xfdesktop4-data", "ukui-wallpapers"];

    private const long MinPhotoBytes = 20_000;

    private const long MaxPhotoBytes = 6_000_000;

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp"];

    /// <summary>
    /// The photos of <see cref="KnownPackages"/> installed on this machine (none on a system without dpkg), filtered
    /// and sorted as <see cref="FindPhotos"/> does.
    /// </summary>
    public static IReadOnlyList<string> FindPackagePhotos() => FindPackagePhotos(DpkgInfoFolder, KnownPackages, PhotoFolder);

    /// <summary>
    /// The files that dpkg lists for <paramref name="packages"/> (in <paramref name="dpkgInfoFolder"/>, as
    /// <c>PACKAGE.list</c> or <c>PACKAGE:ARCH.list</c>) under <paramref name="photoFolder"/>, filtered and sorted as
    /// <see cref="FindPhotos"/> does. Packages that are not installed contribute nothing.
    /// </summary>
    public static IReadOnlyList<string> FindPackagePhotos(string dpkgInfoFolder, IEnumerable<string> packages, string photoFolder)
    {
        if (!Directory.Exists(dpkgInfoFolder)) return [];
        var prefix = photoFolder.TrimEnd('/') + "/";
        var listed = new List<string>();
        foreach (var package in packages)
        {
            var lists = Directory.EnumerateFiles(dpkgInfoFolder, package + ".list")
                .Concat(Directory.EnumerateFiles(dpkgInfoFolder, package + ":*.list"));
            foreach (var list in lists)
            {
                listed.AddRange(File.ReadLines(list).Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && File.Exists(line)));
            }
        }
        return FilterPhotos(listed, MinPhotoBytes, MaxPhotoBytes);
    }

    /// <summary>
    /// Photo files (JPEG, PNG, WebP between <paramref name="minBytes"/> and <paramref name="maxBytes"/> bytes) under the
    /// given folders, recursively, sorted by path so that a seed picks the same photo on every run. Tiny files are icons;
    /// huge ones are multi-resolution duplicates that cost seconds to decode. Paths containing "darknet" are skipped.
    /// </summary>
    public static IReadOnlyList<string> FindPhotos(IEnumerable<string> folders, long minBytes = MinPhotoBytes, long maxBytes = MaxPhotoBytes)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 6 };
        return FilterPhotos(folders.Where(Directory.Exists).SelectMany(folder => Directory.EnumerateFiles(folder, "*", options)), minBytes, maxBytes);
    }

    private static IReadOnlyList<string> FilterPhotos(IEnumerable<string> candidates, long minBytes, long maxBytes)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in candidates)
        {
            if (file.Contains("darknet", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Extensions.Contains(Path.GetExtension(file).ToLowerInvariant())) continue;
            var info = new FileInfo(file);
            if (info.LinkTarget is not null)
            {
                // A symbolic link's own length is that of its target's path: measure the file it points to, so that a folder
                // of links (tools/debian-unlabeled-photos.sh makes one) is taken like a folder of copies. Broken links are skipped.
                if (info.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target) continue;
                info = target;
            }
            var length = info.Length;
            if (length < minBytes || length > maxBytes) continue;
            files.Add(file);
        }
        return files.ToArray();
    }
}
