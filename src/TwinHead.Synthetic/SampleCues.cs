using System.Globalization;

namespace TwinHead.Synthetic;

/// <summary>
/// The parameters of the visual cues one image was drawn with, written to <c>generator.csv</c> so that a model's
/// errors can be traced back to what the image showed (e.g. screens missed when moire is weak).
/// </summary>
internal sealed class SampleCues
{
    public static readonly string[] Columns =
    [
        "path", "label", "seed", "version", "layout", "device", "bezel", "moire", "perspective", "blur",
        "jpeg_quality", "background", "lighting", "noise", "content", "pixel_pitch",
    ];

    public string Layout { get; set; } = "";
    public string Device { get; set; } = "none";
    public bool Bezel { get; set; }
    public double Moire { get; set; }
    public double Perspective { get; set; }
    public double Blur { get; set; }
    public int JpegQuality { get; set; }
    public string Background { get; set; } = "";
    public string Lighting { get; set; } = "flat";
    public double Noise { get; set; }
    public string Content { get; set; } = "";

    /// <summary>Display pixel pitch in output pixels (screens only; 0 otherwise): below about 1 the grid is not resolved.</summary>
    public double PixelPitch { get; set; }

    public string[] ToRow(string path, int label, ulong seed, GeneratorVersion version) =>
    [
        path,
        label.ToString(CultureInfo.InvariantCulture),
        seed.ToString(CultureInfo.InvariantCulture),
        version.ToString().ToLowerInvariant(),
        Layout,
        Device,
        Bezel ? "yes" : "no",
        Format(Moire),
        Format(Perspective),
        Format(Blur),
        JpegQuality.ToString(CultureInfo.InvariantCulture),
        Background,
        Lighting,
        Format(Noise),
        Content,
        Format(PixelPitch),
    ];

    private static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
