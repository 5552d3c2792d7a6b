namespace TwinHead.Synthetic;

/// <summary>
/// The files a renderer draws with besides its random numbers: photos (and object cutouts) for scenes and screen
/// content, and the typefaces for text. One instance serves every worker thread of a generation run read-only.
/// </summary>
internal sealed class SceneAssets(PhotoLibrary photos, FontCatalog fonts)
{
    /// <summary>The Debian packages' photos and fonts installed on this machine.</summary>
    public static SceneAssets Default => new(PhotoLibrary.Default, FontCatalog.Default);

    /// <summary>The Debian packages' fonts and no photos (version 1 draws no photographic content).</summary>
    public static SceneAssets FontsOnly => new(PhotoLibrary.Empty, FontCatalog.Default);

    /// <summary>Photos and object cutouts.</summary>
    public PhotoLibrary Photos { get; } = photos;

    /// <summary>Typefaces for text, monospace and handwriting.</summary>
    public FontCatalog Fonts { get; } = fonts;

    /// <summary>The same fonts without photos, for scenes that must stay synthetic.</summary>
    public SceneAssets WithoutPhotos() => new(PhotoLibrary.Empty, Fonts);
}
