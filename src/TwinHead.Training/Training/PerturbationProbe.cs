using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Models;

namespace TwinHead.Training.Training;

/// <summary>One perturbation of a probe and what it did to the model's answers.</summary>
/// <param name="Perturbation">The change applied to every image.</param>
/// <param name="Evaluation">The split evaluated with the change.</param>
/// <param name="MeanScreenShift">Mean change of p(screen) against the unchanged images (positive: more screen-like).</param>
/// <param name="MeanNotDocumentShift">Mean change of p(not a document) against the unchanged images.</param>
/// <param name="DecisionsChanged">Fraction of images whose three-way decision differs from the unchanged images'.</param>
public sealed record ProbeRow(ImagePerturbation Perturbation, Evaluation Evaluation, double MeanScreenShift, double MeanNotDocumentShift, double DecisionsChanged);

/// <summary>
/// Evaluates a model on one split several times, each time with one fixed change to every image (saturation, brightness,
/// contrast, blur, noise, JPEG), and reports how its answers move. A model that finds many more screens once the images
/// are made more colourful, or calls noisy photos screens, has learned that property as a cue; on generated training data
/// such cues can separate the classes and then fail on photographs, which differ from generated images in exactly these
/// properties.
/// </summary>
public static class PerturbationProbe
{
    /// <summary>Decoded images kept between the passes (at 128 px about 50 KB each).</summary>
    private const long CacheBytes = 1L << 30;

    /// <summary>
    /// Runs <paramref name="perturbations"/> over <paramref name="dataset"/>; the unchanged images are always evaluated
    /// first (and reported first when <see cref="ImagePerturbation.None"/> is in the list).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="dataset">The split.</param>
    /// <param name="spec">The model's preprocessing.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="thresholds">The model's decision thresholds.</param>
    /// <param name="perturbations">The changes, e.g. <see cref="ImagePerturbation.Standard"/>.</param>
    /// <param name="done">Called after each pass with the row just measured.</param>
    public static IReadOnlyList<ProbeRow> Run(BuiltModel model, ImageDataset dataset, PreprocessingSpec spec, int batchSize,
        DecisionThresholds thresholds, IReadOnlyList<ImagePerturbation> perturbations, Action<ProbeRow>? done = null)
    {
        ArgumentNullException.ThrowIfNull(perturbations);
        foreach (var p in perturbations) p.Validate();
        // One cache across passes: each image is decoded and resized once, then perturbed per pass.
        var loader = new BatchLoader(dataset, spec, ImageDecodeLimits.Default, new DecodedImageCache(dataset.Count, CacheBytes), 0);
        var reference = Evaluator.Evaluate(model, dataset, loader, batchSize, thresholds);
        var referenceRow = new ProbeRow(ImagePerturbation.None, reference, 0, 0, 0);
        done?.Invoke(referenceRow);
        var rows = new List<ProbeRow>(perturbations.Count);
        foreach (var perturbation in perturbations)
        {
            if (perturbation.Kind == PerturbationKind.None)
            {
                rows.Add(referenceRow);
                continue;
            }
            var evaluation = Evaluator.Evaluate(model, dataset, loader, batchSize, thresholds, perturbation: perturbation);
            var row = Compare(perturbation, evaluation, reference, thresholds);
            rows.Add(row);
            done?.Invoke(row);
        }
        return rows;
    }

    /// <summary>The shifts of <paramref name="evaluation"/> against <paramref name="reference"/>, image by image.</summary>
    public static ProbeRow Compare(ImagePerturbation perturbation, Evaluation evaluation, Evaluation reference, DecisionThresholds thresholds)
    {
        var (a, b) = (evaluation.Predictions, reference.Predictions);
        if (a.Count != b.Count)
            throw new ArgumentException($"the perturbed pass has {a.Count} predictions, the reference {b.Count}", nameof(evaluation));
        double screen = 0, notDocument = 0;
        var changed = 0;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Path != b[i].Path)
                throw new ArgumentException($"prediction {i} is for {a[i].Path} in the perturbed pass and {b[i].Path} in the reference", nameof(evaluation));
            screen += a[i].ScreenProbability - b[i].ScreenProbability;
            notDocument += a[i].NotDocumentProbability - b[i].NotDocumentProbability;
            if (thresholds.Decide(a[i].ScreenProbability, a[i].NotDocumentProbability) != thresholds.Decide(b[i].ScreenProbability, b[i].NotDocumentProbability))
                changed++;
        }
        var n = Math.Max(1, a.Count);
        return new ProbeRow(perturbation, evaluation, screen / n, notDocument / n, changed / (double)n);
    }
}
