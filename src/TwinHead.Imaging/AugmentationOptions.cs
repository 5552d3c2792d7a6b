namespace TwinHead.Imaging;

/// <summary>Training-time augmentations applied to an image already at the model's input size. Defaults are the reference recipe.</summary>
/// <param name="MaxRotationDegrees">Rotation angle drawn uniformly from [-max, max] degrees (reference: 10). 0 disables.</param>
/// <param name="HorizontalFlip">Mirror left-right with probability 0.5.</param>
/// <param name="BrightnessJitter">Brightness factor drawn from [max(0, 1 - j), 1 + j]. 0 disables.</param>
/// <param name="ContrastJitter">Contrast factor drawn from [max(0, 1 - j), 1 + j]. 0 disables.</param>
/// <param name="SaturationJitter">Saturation factor drawn from [max(0, 1 - j), 1 + j]. 0 disables.</param>
/// <param name="RandomResizedCropMinScale">Smallest area fraction of a random crop (aspect 3/4..4/3) stretched back to full size. 1 disables.</param>
/// <param name="JpegQualityMin">Re-encode as JPEG at a quality drawn from [min, 100]. 0 disables.</param>
/// <param name="GaussianBlurProbability">Probability of a Gaussian blur with sigma drawn from [0.1, 2.0]. 0 disables.</param>
/// <param name="AspectStretchMax">
/// Largest aspect ratio a of a view stretched to the input's shape, as a phone photo of 16:9 (a = 1.78) or 4:3 (1.33) is
/// stretched to the square input: a drawn log-uniformly from [1/max, max], the largest window of that shape at a random
/// position is cropped and resized back. 1 disables.
/// </param>
/// <param name="ChromaMin">
/// With <paramref name="ChromaMax"/>: the saturation of each image is scaled so that its mean chroma (per-pixel spread of
/// the three channels, 0..1) becomes a value drawn log-uniformly from [ChromaMin, ChromaMax], the same range for every
/// class, so how colourful an image is tells nothing about its label. 0 and 0 disable.
/// </param>
/// <param name="ChromaMax">Upper end of the chroma range; see <paramref name="ChromaMin"/>.</param>
/// <param name="NoiseMax">
/// Gaussian noise on every channel of every pixel, its standard deviation drawn per image from [0, NoiseMax] 8-bit levels.
/// 0 disables.
/// </param>
public sealed record AugmentationOptions(
    float MaxRotationDegrees = 10f,
    bool HorizontalFlip = false,
    float BrightnessJitter = 0f,
    float ContrastJitter = 0f,
    float SaturationJitter = 0f,
    float RandomResizedCropMinScale = 1f,
    float JpegQualityMin = 0f,
    float GaussianBlurProbability = 0f,
    float AspectStretchMax = 1f,
    float ChromaMin = 0f,
    float ChromaMax = 0f,
    float NoiseMax = 0f)
{
    /// <summary>The reference recipe: random rotation up to 10 degrees, nothing else.</summary>
    public static AugmentationOptions Reference { get; } = new();

    /// <summary>No augmentation at all (evaluation).</summary>
    public static AugmentationOptions None { get; } = new(MaxRotationDegrees: 0f);

    /// <summary>Throws with the offending option named when a value is out of range.</summary>
    public AugmentationOptions Validate()
    {
        Check(MaxRotationDegrees is >= 0 and <= 180, nameof(MaxRotationDegrees), MaxRotationDegrees, "0..180");
        Check(BrightnessJitter is >= 0 and <= 1, nameof(BrightnessJitter), BrightnessJitter, "0..1");
        Check(ContrastJitter is >= 0 and <= 1, nameof(ContrastJitter), ContrastJitter, "0..1");
        Check(SaturationJitter is >= 0 and <= 1, nameof(SaturationJitter), SaturationJitter, "0..1");
        Check(RandomResizedCropMinScale is > 0 and <= 1, nameof(RandomResizedCropMinScale), RandomResizedCropMinScale, "(0, 1]");
        Check(JpegQualityMin is 0 or (>= 1 and <= 100), nameof(JpegQualityMin), JpegQualityMin, "0 (off) or 1..100");
        Check(GaussianBlurProbability is >= 0 and <= 1, nameof(GaussianBlurProbability), GaussianBlurProbability, "0..1");
        Check(AspectStretchMax is >= 1 and <= 4, nameof(AspectStretchMax), AspectStretchMax, "1 (off) ..4");
        Check(NoiseMax is >= 0 and <= 64, nameof(NoiseMax), NoiseMax, "0 (off) ..64");
        Check(ChromaMax is 0 or (> 0 and <= 1), nameof(ChromaMax), ChromaMax, "0 (off) or (0, 1]");
        Check(ChromaMax == 0 ? ChromaMin == 0 : ChromaMin > 0 && ChromaMin <= ChromaMax, nameof(ChromaMin), ChromaMin,
            ChromaMax == 0 ? "0 while ChromaMax is 0 (off)" : $"(0, ChromaMax = {ChromaMax}]");
        return this;
    }

    private static void Check(bool valid, string name, float value, string range)
    {
        if (!valid)
            throw new ArgumentException($"augmentation option {name} = {value} is outside {range}", name);
    }
}
