using System.Globalization;

namespace TwinHead.Imaging;

/// <summary>What an <see cref="ImagePerturbation"/> changes.</summary>
public enum PerturbationKind
{
    /// <summary>Nothing: the reference row of a probe.</summary>
    None,

    /// <summary>Saturation scaled by the amount (0: grey).</summary>
    Saturation,

    /// <summary>Brightness scaled by the amount.</summary>
    Brightness,

    /// <summary>Contrast about the mean luma scaled by the amount.</summary>
    Contrast,

    /// <summary>Gaussian blur with the amount as sigma in pixels at the model's input size.</summary>
    Blur,

    /// <summary>Gaussian noise with the amount as standard deviation in 8-bit levels, per channel.</summary>
    Noise,

    /// <summary>One more JPEG compression at the amount as quality.</summary>
    Jpeg,
}

/// <summary>
/// A fixed change applied to an image at the model's input size, to measure how much a model's decisions lean on one
/// property of its input (how colourful, bright, sharp or noisy it is) rather than on what it shows. Unlike the training
/// augmentations, the strength is fixed, so every image of a split gets the same change.
/// </summary>
/// <param name="Kind">What changes.</param>
/// <param name="Amount">How much; its unit depends on <paramref name="Kind"/>.</param>
public sealed record ImagePerturbation(PerturbationKind Kind, float Amount)
{
    /// <summary>No change.</summary>
    public static ImagePerturbation None { get; } = new(PerturbationKind.None, 0);

    /// <summary>
    /// The probe of <c>twinhead eval --probe</c>: the reference first, then each property moved both ways where it has two
    /// directions, by amounts of the size that separates generated images from phone photos (real photos here are about
    /// half as colourful as generated not-documents and sharper than every generated class).
    /// </summary>
    public static IReadOnlyList<ImagePerturbation> Standard { get; } =
    [
        None,
        new(PerturbationKind.Saturation, 0f), new(PerturbationKind.Saturation, 0.6f), new(PerturbationKind.Saturation, 1.6f),
        new(PerturbationKind.Brightness, 0.8f), new(PerturbationKind.Brightness, 1.2f),
        new(PerturbationKind.Contrast, 0.7f), new(PerturbationKind.Contrast, 1.3f),
        new(PerturbationKind.Blur, 1f), new(PerturbationKind.Noise, 8f), new(PerturbationKind.Jpeg, 30f),
    ];

    /// <summary>A short label such as <c>saturation x1.6</c> or <c>blur sigma 1 px</c>.</summary>
    public string Name => Kind switch
    {
        PerturbationKind.None => "none",
        PerturbationKind.Saturation when Amount == 0 => "grey (saturation x0)",
        PerturbationKind.Saturation => $"saturation x{Format(Amount)}",
        PerturbationKind.Brightness => $"brightness x{Format(Amount)}",
        PerturbationKind.Contrast => $"contrast x{Format(Amount)}",
        PerturbationKind.Blur => $"blur sigma {Format(Amount)} px",
        PerturbationKind.Noise => $"noise sd {Format(Amount)}/255",
        PerturbationKind.Jpeg => $"JPEG quality {Format(Amount)}",
        _ => throw new InvalidOperationException($"unknown perturbation kind {Kind}"),
    };

    /// <summary>Returns a changed copy of <paramref name="image"/>; <paramref name="random"/> is drawn from only for noise.</summary>
    /// <param name="image">The input image (not modified).</param>
    /// <param name="random">Source of the noise.</param>
    public RgbImage Apply(RgbImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        Validate();
        // Blur and JPEG write a new image; the others change a copy in place.
        if (Kind == PerturbationKind.Blur) return ImageAugmenter.GaussianBlur(image, Amount);
        if (Kind == PerturbationKind.Jpeg) return ImageAugmenter.JpegRoundTrip(image, (int)Amount);
        var copy = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        switch (Kind)
        {
            case PerturbationKind.Saturation:
                ImageAugmenter.AdjustSaturation(copy, Amount);
                break;
            case PerturbationKind.Brightness:
                ImageAugmenter.AdjustBrightness(copy, Amount);
                break;
            case PerturbationKind.Contrast:
                ImageAugmenter.AdjustContrast(copy, Amount);
                break;
            case PerturbationKind.Noise:
                ImageAugmenter.AddGaussianNoise(copy, Amount, random);
                break;
        }
        return copy;
    }

    /// <summary>Throws naming the kind and amount when the amount is outside the kind's range.</summary>
    public ImagePerturbation Validate()
    {
        var valid = Kind switch
        {
            PerturbationKind.None => true,
            PerturbationKind.Saturation or PerturbationKind.Brightness or PerturbationKind.Contrast => Amount is >= 0 and <= 4,
            PerturbationKind.Blur => Amount is > 0 and <= 10,
            PerturbationKind.Noise => Amount is > 0 and <= 128,
            PerturbationKind.Jpeg => Amount is >= 1 and <= 100 && Amount == MathF.Round(Amount),
            _ => false,
        };
        if (!valid)
            throw new ArgumentException($"perturbation {Kind} with amount {Format(Amount)} is out of range", nameof(Amount));
        return this;
    }

    private static string Format(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
