using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Imaging;
using TwinHead.Training.Data;
using TwinHead.Training.Models;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

public class PerturbationProbeTests(TinyDatasetFixture fixture) : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data = fixture.Data;

    [Fact]
    public void The_probe_reports_every_change_against_the_unchanged_images_of_a_plain_evaluation()
    {
        var dataset = ImageDataset.Load(data.Root, "train", requireAllClasses: true);
        var spec = Core.Models.PreprocessingSpec.Reference(32);
        manual_seed(5);
        using var model = ModelRegistry.Create(new ModelOptions());
        var thresholds = DecisionThresholds.Default;
        var seen = new List<string>();

        var rows = PerturbationProbe.Run(model, dataset, spec, 16, thresholds, ImagePerturbation.Standard, row => seen.Add(row.Perturbation.Name));

        Assert.Equal(ImagePerturbation.Standard.Select(p => p.Name), rows.Select(r => r.Perturbation.Name));
        Assert.Equal(seen, rows.Select(r => r.Perturbation.Name));
        var plain = Evaluator.Evaluate(model, dataset, new BatchLoader(dataset, spec, ImageDecodeLimits.Default, null, 0), 16, thresholds);
        Assert.Equal(plain.Predictions, rows[0].Evaluation.Predictions);
        Assert.Equal((0.0, 0.0, 0.0), (rows[0].MeanScreenShift, rows[0].MeanNotDocumentShift, rows[0].DecisionsChanged));
        Assert.All(rows, r => Assert.Equal(dataset.Count, r.Evaluation.Predictions.Count));

        // Each shift is the mean image-by-image difference from the unchanged pass.
        var grey = rows.Single(r => r.Perturbation == new ImagePerturbation(PerturbationKind.Saturation, 0));
        var expected = grey.Evaluation.Predictions.Zip(plain.Predictions, (a, b) => a.ScreenProbability - b.ScreenProbability).Average();
        Assert.Equal(expected, grey.MeanScreenShift, 12);
        Assert.NotEqual(plain.Predictions.Select(p => p.ScreenProbability), grey.Evaluation.Predictions.Select(p => p.ScreenProbability));

        // The noise is seeded per image: a second probe gives the same answers.
        var noise = new ImagePerturbation(PerturbationKind.Noise, 8);
        var again = PerturbationProbe.Run(model, dataset, spec, 16, thresholds, [noise]);
        Assert.Equal(rows.Single(r => r.Perturbation == noise).Evaluation.Predictions, again[0].Evaluation.Predictions);
    }

    [Fact]
    public void Decisions_changed_counts_images_whose_three_way_answer_moved()
    {
        var thresholds = DecisionThresholds.Default;
        ImagePrediction P(string path, double screen, double notDocument) => new(path, DocumentClass.Screen, screen, notDocument);
        Evaluation E(params ImagePrediction[] p) => new("test", p, ClassificationReport.From(p, thresholds), double.NaN, double.NaN);
        var reference = E(P("a", 0.9, 0.1), P("b", 0.2, 0.8), P("c", 0.2, 0.2), P("d", 0.6, 0.1));
        var changed = E(P("a", 0.4, 0.1), P("b", 0.3, 0.7), P("c", 0.2, 0.6), P("d", 0.7, 0.1));

        var row = PerturbationProbe.Compare(new ImagePerturbation(PerturbationKind.Blur, 1), changed, reference, thresholds);

        Assert.Equal(0.5, row.DecisionsChanged);
        Assert.Equal((-0.5 + 0.1 + 0 + 0.1) / 4, row.MeanScreenShift, 12);
        Assert.Equal((0 - 0.1 + 0.4 + 0) / 4, row.MeanNotDocumentShift, 12);
        Assert.Throws<ArgumentException>(() => PerturbationProbe.Compare(row.Perturbation, E(P("a", 0.5, 0.5)), reference, thresholds));
    }
}
