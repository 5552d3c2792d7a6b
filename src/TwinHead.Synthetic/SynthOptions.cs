using TwinHead.Core.Labels;

namespace TwinHead.Synthetic;

/// <summary>Which renderer draws the images.</summary>
public enum GeneratorVersion
{
    /// <summary>v1: simple flat drawings, fast; the quickstart default.</summary>
    Procedural,

    /// <summary>v2: scenes rendered and then "photographed" (perspective, lighting, sub-pixel moire, sensor, JPEG).</summary>
    Realistic,

    /// <summary>
    /// v3: v2, with displays mostly photographed from a normal distance, where a phone's sensor has many pixels per
    /// display pixel but the saved image has far fewer: the sub-pixel grid is sampled at a high resolution (where it
    /// aliases into moire) and averaged down, so the moire may survive but the grid itself does not. v2 resolves the
    /// grid in most screens, a texture that real photos of whole monitors or phones almost never show. Images are
    /// framed like phone photos (4:3, 16:9 or square, mostly portrait; the long side is the larger of width and height),
    /// the same way for every class.
    /// </summary>
    Photographic,

    /// <summary>
    /// v4: v2, with displays that show photographs: where v2 puts a wallpaper or a flat drawing on a screen, v4 renders
    /// a whole document or not-document photograph as those classes are rendered (scene, camera, sensor) and displays
    /// that. A recapture (a photo of a screen showing a photo) then differs from the other classes only by the screen,
    /// the cue the screen head must learn. Documents and not-documents are v2's, file for file, for the same seed.
    /// </summary>
    Recaptured,

    /// <summary>
    /// v5: v4, with a seventh kind of screen photo (<c>device</c> fullframe): the panel fills the frame, no bezel, all
    /// of its content in view, its pixel grid too fine to resolve and aliased on the sensor into moire bands. That is
    /// how a recapture of a picture shown full-screen looks (a product or a face photographed off a monitor), which v4
    /// lacks: its bezel-less close-ups magnify the grid and show a few dozen display pixels. Documents and
    /// not-documents are v4's (so v2's), file for file, for the same seed.
    /// </summary>
    FullFrame,
}

/// <summary>Options of a synthetic dataset. The defaults are the reference recipe.</summary>
/// <param name="OutputDirectory">Dataset root; must be empty or absent unless <paramref name="Overwrite"/>.</param>
/// <param name="Count">Total number of images, spread evenly over the three classes.</param>
/// <param name="Seed">Master seed; every image derives its own seed from (seed, index).</param>
/// <param name="Width">Image width in pixels (version 3: the larger of width and height is the long side of a phone-shaped frame).</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="TrainFraction">Share of each class written to <c>train.csv</c>.</param>
/// <param name="ValFraction">Share of each class written to <c>val.csv</c>; the rest goes to <c>test.csv</c>.</param>
/// <param name="Parallelism">Worker threads; 0 means <see cref="Environment.ProcessorCount"/>.</param>
/// <param name="Version">Renderer version.</param>
/// <param name="JpegQualityMin">Lowest JPEG quality drawn (inclusive), the same range for every class.</param>
/// <param name="JpegQualityMax">Highest JPEG quality drawn (inclusive).</param>
/// <param name="Overwrite">Replace the generator's own outputs in a non-empty output directory.</param>
/// <param name="ExtraPhotoDirectories">Folders of real photos used for "not a document" scenes and screen content;
/// null means the Debian packages' photos (<see cref="DebianPhotoSources.FindPackagePhotos()"/>), an empty list means none.</param>
/// <param name="ObjectCutouts">Versions 2, 3 and 4: place photographed objects (Debian's <c>tuxpaint-stamps-default</c>)
/// into not-document scenes, screen pictures and beside pages and displays. Off by default: measured neutral to worse
/// on real photos (docs/model-zoo.md).</param>
/// <param name="FontDirectories">Folders of TrueType/OpenType files to draw all text with, instead of the Debian font
/// packages' folders (<see cref="DebianFontSources.KnownFolders"/>); null means those. Name the Debian folders too to
/// add fonts rather than replace them.</param>
/// <param name="HeldOutSources">Share of the photos and of the font files (each kind of face apart) kept out of the
/// training images and used only for the validation and test images, so that those measure sources no training image
/// showed; 0 (the default) draws every split from all of them. Object cutouts are shared.</param>
public sealed record SynthOptions(
    string OutputDirectory,
    int Count = 600,
    int Seed = 42,
    int Width = 320,
    int Height = 320,
    double TrainFraction = 0.7,
    double ValFraction = 0.15,
    int Parallelism = 0,
    GeneratorVersion Version = GeneratorVersion.Realistic,
    int JpegQualityMin = 70,
    int JpegQualityMax = 95,
    bool Overwrite = false,
    IReadOnlyList<string>? ExtraPhotoDirectories = null,
    bool ObjectCutouts = false,
    IReadOnlyList<string>? FontDirectories = null,
    double HeldOutSources = 0);

/// <summary>What a generation run produced.</summary>
/// <param name="Images">Number of images written.</param>
/// <param name="PerClass">Images written per class.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="OutputDirectory">Dataset root (full path).</param>
/// <param name="FontFiles">Font files the text was drawn with (listed in <c>sources.tsv</c>).</param>
/// <param name="PhotoFiles">Photo files available as scene and screen content (listed in <c>sources.tsv</c>).</param>
/// <param name="JpegEncoder">The library that compressed the images (<see cref="Imaging.JpegEncoder.Name"/>); the files are the same either way.</param>
/// <param name="HeldOutFontFiles">Of <paramref name="FontFiles"/>, those only validation and test images use (<see cref="SynthOptions.HeldOutSources"/>).</param>
/// <param name="HeldOutPhotoFiles">Of <paramref name="PhotoFiles"/>, those only validation and test images use.</param>
public sealed record SynthResult(int Images, IReadOnlyDictionary<DocumentClass, int> PerClass, TimeSpan Elapsed, string OutputDirectory,
    int FontFiles, int PhotoFiles, string JpegEncoder, int HeldOutFontFiles = 0, int HeldOutPhotoFiles = 0);
