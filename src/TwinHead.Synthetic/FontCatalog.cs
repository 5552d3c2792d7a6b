using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// The typefaces the generator draws text with, split into text, monospace and handwriting-like faces. By default only
/// font files from <see cref="DebianFontSources.KnownFolders"/> are used, loaded directly (the self-contained Linux native
/// build of SkiaSharp has no fontconfig), so the same packages give the same faces on every machine; a dataset's options
/// may name other folders instead. Without any usable font the default typeface is used.
/// </summary>
internal sealed class FontCatalog
{
    private static readonly string[] HandwritingHints = ["Dancing", "Comic", "Humor", "Script", "Hand", "Pecita", "Chancery", "Marker"];

    private static readonly Lazy<FontCatalog> DefaultCatalog = new(() => FromFiles(DebianFontSources.FindFonts(DebianFontSources.KnownFolders)));

    private FontCatalog(SKTypeface[] text, SKTypeface[] mono, SKTypeface[] hand, string[] files, string[][] filesByKind)
    {
        TextFaces = text;
        MonoFaces = mono;
        HandFaces = hand;
        Files = files;
        this.filesByKind = filesByKind;
    }

    // The files of the text, monospace and handwriting faces, in reading order: what Partition splits.
    private readonly string[][] filesByKind;

    /// <summary>The catalogue of the known Debian font folders on this machine.</summary>
    public static FontCatalog Default => DefaultCatalog.Value;

    /// <summary>Faces for body text and headings.</summary>
    public IReadOnlyList<SKTypeface> TextFaces { get; }

    /// <summary>Monospace-looking faces.</summary>
    public IReadOnlyList<SKTypeface> MonoFaces { get; }

    /// <summary>Handwriting-like faces.</summary>
    public IReadOnlyList<SKTypeface> HandFaces { get; }

    /// <summary>The font files that gave at least one face, in the order they were read.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Loads the given font files in order; a face already seen (same family, weight, width and slant) is skipped.</summary>
    public static FontCatalog FromFiles(IEnumerable<string> files)
    {
        var text = new List<SKTypeface>();
        var mono = new List<SKTypeface>();
        var hand = new List<SKTypeface>();
        var used = new List<string>();
        var byKind = new[] { new List<string>(), new List<string>(), new List<string>() };
        var seen = new HashSet<(string, int, int, int)>();
        foreach (var file in files)
        {
            if (SKTypeface.FromFile(file) is not { } face) continue;
            var family = face.FamilyName ?? "";
            // Symbol, math and emoji faces draw boxes or glyph soup for Latin text.
            if (family.Contains("Math", StringComparison.OrdinalIgnoreCase) || family.Contains("Symbol", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Emoji", StringComparison.OrdinalIgnoreCase) || family.Contains("Dingbat", StringComparison.OrdinalIgnoreCase)
                || !Renders(face)
                || !seen.Add((family, face.FontWeight, face.FontWidth, (int)face.FontSlant)))
            {
                face.Dispose();
                continue;
            }
            var isMono = family.Contains("Mono", StringComparison.OrdinalIgnoreCase) || family.Contains("Courier", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Inconsolata", StringComparison.OrdinalIgnoreCase) || family.Equals("Hack", StringComparison.OrdinalIgnoreCase);
            var isHand = HandwritingHints.Any(h => family.Contains(h, StringComparison.OrdinalIgnoreCase));
            (isHand ? hand : isMono ? mono : text).Add(face);
            byKind[isHand ? 2 : isMono ? 1 : 0].Add(file);
            used.Add(file);
        }
        if (text.Count == 0) text.Add(SKTypeface.Default);
        if (mono.Count == 0) mono.AddRange(text);
        return new FontCatalog(text.ToArray(), mono.ToArray(), hand.ToArray(), used.ToArray(), byKind.Select(k => k.ToArray()).ToArray());
    }

    /// <summary>
    /// Splits the font files into a kept and a held-out catalogue: within each kind (text, monospace, handwriting) a
    /// <paramref name="fraction"/> of the files (rounded, at least one) is drawn by <paramref name="rng"/> and held out, so
    /// both sides keep every kind; a kind with a single file is in both.
    /// </summary>
    public (FontCatalog Kept, FontCatalog HeldOut) Partition(double fraction, SampleRandom rng)
    {
        var kept = new List<string>();
        var held = new List<string>();
        foreach (var files in filesByKind)
        {
            var (k, h) = SourcePartition.Split(files, fraction, rng);
            kept.AddRange(k);
            held.AddRange(h);
        }
        return (FromFiles(Files.Where(kept.Contains)), FromFiles(Files.Where(held.Contains)));
    }

    /// <summary>True when the face has Latin glyphs with real advances (some builds hand out empty placeholder faces).</summary>
    private static bool Renders(SKTypeface face)
    {
        using var probe = new SKFont(face, 20);
        return probe.ContainsGlyphs("Aa0$") && probe.MeasureText("Hello world") >= 40;
    }
}
