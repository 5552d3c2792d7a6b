using SkiaSharp;

namespace TwinHead.Synthetic;

/// <summary>
/// The typefaces installed on this machine (whatever SkiaSharp's font manager finds), split into text, monospace
/// and handwriting-like faces. Falls back to the default typeface when nothing is installed, so rendering never fails.
/// </summary>
internal static class FontCatalog
{
    private static readonly string[] HandwritingHints = ["Dancing", "Comic", "Humor", "Script", "Hand", "Pecita", "Chancery", "Marker"];

    private static readonly Lazy<(SKTypeface[] Text, SKTypeface[] Mono, SKTypeface[] Hand)> Faces = new(Load);

    /// <summary>Faces for body text and headings (regular, bold, italic variants of every family).</summary>
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
        var manager = SKFontManager.Default;
        // Sorted so that the same seed picks the same face whatever order the font manager lists them in.
        var families = manager.FontFamilies.Distinct().OrderBy(f => f, StringComparer.Ordinal).ToArray();
        SKFontStyle[] styles = [SKFontStyle.Normal, SKFontStyle.Bold, SKFontStyle.Italic];
        foreach (var family in families)
        {
            // Symbol, math and emoji faces draw boxes or glyph soup for Latin text.
            if (family.Contains("Math", StringComparison.OrdinalIgnoreCase) || family.Contains("Symbol", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Emoji", StringComparison.OrdinalIgnoreCase) || family.Contains("Dingbat", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var isMono = family.Contains("Mono", StringComparison.OrdinalIgnoreCase) || family.Contains("Courier", StringComparison.OrdinalIgnoreCase)
                || family.Contains("Inconsolata", StringComparison.OrdinalIgnoreCase) || family.Equals("Hack", StringComparison.OrdinalIgnoreCase);
            var isHand = HandwritingHints.Any(h => family.Contains(h, StringComparison.OrdinalIgnoreCase));
            var seen = new HashSet<(int, int, int)>();
            foreach (var style in styles)
            {
                var face = manager.MatchFamily(family, style);
                if (face is null || face.GlyphCount < 100) continue;
                using (var probe = new SKFont(face))
                {
                    probe.Size = 20;
                    if (!probe.ContainsGlyphs("Aa0$") || probe.MeasureText("Hello world") < 40) continue;
                }
                // A family without italics answers with its regular face; keep each distinct face once.
                if (!seen.Add((face.FontWeight, face.FontWidth, (int)face.FontSlant))) continue;
                (isHand ? hand : isMono ? mono : text).Add(face);
            }
        }
        if (text.Count == 0) text.Add(SKTypeface.Default);
        if (mono.Count == 0) mono.AddRange(text);
        return (text.ToArray(), mono.ToArray(), hand.ToArray());
    }
}
