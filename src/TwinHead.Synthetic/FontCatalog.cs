using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// The typefaces installed on this machine, split into text, monospace and handwriting-like faces. Asks SkiaSharp's
/// font manager first; the self-contained Linux native build has no fontconfig and lists no fonts, so font files
/// under the standard font folders are loaded directly as well. Without any usable font the default typeface is used.
/// </summary>
internal static class FontCatalog
{
    private static readonly string[] HandwritingHints = ["Dancing", "Comic", "Humor", "Script", "Hand", "Pecita", "Chancery", "Marker"];

    private static readonly string[] FontFolders = ["/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/texmf/fonts/opentype"];

    private static readonly Lazy<(SKTypeface[] Text, SKTypeface[] Mono, SKTypeface[] Hand)> Faces = new(Load);

    /// <summary>Faces for body text and headings.</summary>
    public static IReadOnlyList<SKTypeface> Text => Faces.Value.Text;

    /// <summary>Monospace-looking faces for receipts and code; the text faces when none is installed.</summary>
    public static IReadOnlyList<SKTypeface> Mono => Faces.Value.Mono;

    /// <summary>Script and casual faces that pass for handwriting; may be empty (pen strokes are drawn instead).</summary>
    public static IReadOnlyList<SKTypeface> Handwriting => Faces.Value.Hand;

    private static (SKTypeface[] Text, SKTypeface[] Mono, SKTypeface[] Hand) Load()
    {
        var text = new List<SKTypeface>();
        var mono = new List<SKTypeface>();
        var hand = new List<SKTypeface>();
        var seen = new HashSet<(string, int, int, int)>();
        foreach (var face in Candidates())
        {
            var family = face.FamilyName ?? "";
            // Symbol, math and emoji faces draw boxes or glyph soup for Latin text.
            if (family.Contains("Math", StringComparison.OrdinalIgnoreCase) || family.Contains("Symbol", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Emoji", StringComparison.OrdinalIgnoreCase) || family.Contains("Dingbat", StringComparison.OrdinalIgnoreCase)
                || !Renders(face)
                || !seen.Add((family, face.FontWeight, face.FontWidth, (int)face.FontSlant)))
            {
                continue;
            }
            var isMono = family.Contains("Mono", StringComparison.OrdinalIgnoreCase) || family.Contains("Courier", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Inconsolata", StringComparison.OrdinalIgnoreCase) || family.Equals("Hack", StringComparison.OrdinalIgnoreCase);
            var isHand = HandwritingHints.Any(h => family.Contains(h, StringComparison.OrdinalIgnoreCase));
            (isHand ? hand : isMono ? mono : text).Add(face);
        }
        if (text.Count == 0) text.Add(SKTypeface.Default);
        if (mono.Count == 0) mono.AddRange(text);
        return (text.ToArray(), mono.ToArray(), hand.ToArray());
    }

    /// <summary>Font-manager faces, then font files (sorted by path so that a seed picks the same face on every run).</summary>
    private static IEnumerable<SKTypeface> Candidates()
    {
        var manager = SKFontManager.Default;
        foreach (var family in manager.FontFamilies.Distinct().OrderBy(f => f, StringComparer.Ordinal))
        {
            foreach (var style in new[] { SKFontStyle.Normal, SKFontStyle.Bold, SKFontStyle.Italic })
            {
                if (manager.MatchFamily(family, style) is { } face) yield return face;
            }
        }
        var files = FontFolders.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (SKTypeface.FromFile(file) is { } face) yield return face;
        }
    }

    /// <summary>True when the face has Latin glyphs with real advances (some builds hand out empty placeholder faces).</summary>
    private static bool Renders(SKTypeface face)
    {
        using var probe = new SKFont(face, 20);
        return probe.ContainsGlyphs("Aa0$") && probe.MeasureText("Hello world") >= 40;
    }
}
