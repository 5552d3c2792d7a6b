namespace TwinHead.Synthetic;

/// <summary>
/// The folders where the font packages of tools/install-data-packages.sh put their files (licences in
/// THIRD-PARTY-DATA.md). The generator renders text only with fonts from these folders, not with whatever else is
/// installed: packages pulled in for other reasons (ImageMagick's fonts, for one) would otherwise
/// change a dataset generated from the same seed, and bring fonts whose licences nobody checked.
/// </summary>
public static class DebianFontSources
{
    /// <summary>Folders searched, one or two per package of the install script. Add a folder only with its package.</summary>
    public static IReadOnlyList<string> KnownFolders { get; } =
    [
        "/usr/share/fonts/truetype/dejavu",              // fonts-dejavu-core, fonts-dejavu-extra
        "/usr/share/fonts/truetype/liberation",          // fonts-liberation
        "/usr/share/fonts/truetype/liberation2",         // fonts-liberation2
        "/usr/share/fonts/truetype/freefont",            // fonts-freefont-ttf
        "/usr/share/fonts/opentype/urw-base35",          // fonts-urw-base35
        "/usr/share/fonts/truetype/crosextra",           // fonts-crosextra-carlito, fonts-crosextra-caladea
        "/usr/share/fonts/truetype/open-sans",           // fonts-open-sans
        "/usr/share/fonts/truetype/roboto/unhinted",     // fonts-roboto-unhinted
        "/usr/share/fonts/opentype/linux-libertine",     // fonts-linuxlibertine
        "/usr/share/fonts/truetype/lato",                // fonts-lato
        "/usr/share/fonts/opentype/ebgaramond",          // fonts-ebgaramond
        "/usr/share/fonts/opentype/courier-prime",       // fonts-courier-prime
        "/usr/share/fonts/truetype/inconsolata",         // fonts-inconsolata
        "/usr/share/fonts/truetype/hack",                // fonts-hack
        "/usr/share/texmf/fonts/opentype/public/tex-gyre", // fonts-texgyre
        "/usr/share/fonts/opentype/comic-neue",          // fonts-comic-neue
        "/usr/share/fonts/truetype/humor-sans",          // fonts-humor-sans
        "/usr/share/fonts/opentype/dancingscript",       // fonts-dancingscript
    ];

    /// <summary>
    /// TrueType and OpenType files under the given folders, recursively, each once, sorted by path so that a seed
    /// picks the same face on every machine with the same packages. Missing folders are skipped.
    /// </summary>
    public static IReadOnlyList<string> FindFonts(IEnumerable<string> folders)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 };
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", options))
            {
                var extension = Path.GetExtension(file);
                if (extension.Equals(".ttf", StringComparison.OrdinalIgnoreCase) || extension.Equals(".otf", StringComparison.OrdinalIgnoreCase))
                {
                    files.Add(Path.GetFullPath(file));
                }
            }
        }
        return files.ToArray();
    }
}
