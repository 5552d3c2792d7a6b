using TwinHead.Core.Labels;
using TwinHead.Core.Metrics;
using TwinHead.Imaging;
using TwinHead.Training.Data;

namespace TwinHead.Training.Training;

/// <summary>What tuning chose, with validation figures and, when the run has test predictions, the test figures at the same thresholds.</summary>
/// <param name="Checkpoint">The checkpoint whose metadata now carries the thresholds.</param>
/// <param name="Previous">Thresholds before tuning.</param>
/// <param name="Screen">Head 1 choice on validation data.</param>
/// <param name="NotDocument">Head 2 choice on validation data.</param>
/// <param name="Validation">The validation report at the new thresholds.</param>
/// <param name="Test">The test report at the new thresholds, when test predictions exist.</param>
public sealed record TuningResult(string Checkpoint, DecisionThresholds Previous, ThresholdChoice Screen, ThresholdChoice NotDocument,
    ClassificationReport Validation, ClassificationReport? Test);

/// <summary>Chooses thresholds on the validation split and stores them in the checkpoint, so export and inference use them.</summary>
public static class ThresholdTuning
{
    /// <summary>
    /// Tunes head 1 for <paramref name="targetPrecision"/> (highest recall reaching it) and head 2 for
    /// <paramref name="notDocumentTargetPrecision"/> or, when null, its best F1, on the run's validation predictions.
    /// </summary>
    public static TuningResult Tune(string runPath, double targetPrecision, double? notDocumentTargetPrecision = null)
    {
        if (targetPrecision is <= 0 or > 1) throw new ArgumentException($"--target-precision {targetPrecision} must be in (0, 1]");
        var run = RunFolder.Open(runPath);
        if (!File.Exists(run.BestCheckpoint)) throw new FileNotFoundException($"{runPath}: no checkpoints/best.ckpt to tune", run.BestCheckpoint);
        var config = run.ReadConfig();
        var valPath = PredictionFile.PathFor(run, Core.Data.SplitNames.Val);
        IReadOnlyList<ImagePrediction> val;
        if (File.Exists(valPath))
        {
            val = PredictionFile.Read(valPath);
        }
        else
        {
            using var checkpoint = CheckpointFile.Load(run.BestCheckpoint);
            var dataset = ImageDataset.Load(config.Data.Root, Core.Data.SplitNames.Val, requireAllClasses: false);
            val = Evaluator.Evaluate(checkpoint.Model, dataset, new BatchLoader(dataset, checkpoint.Metadata.Preprocessing, ImageDecodeLimits.Default, null, 0),
                64, checkpoint.Metadata.Thresholds).Predictions;
            PredictionFile.Write(valPath, val);
        }
        var screen = ThresholdTuner.ForPrecision(Targets(val, Head.Screen), val.Select(p => p.ScreenProbability).ToArray(), targetPrecision);
        var notDocumentTargets = Targets(val, Head.NotDocument);
        var notDocumentScores = val.Select(p => p.NotDocumentProbability).ToArray();
        var notDocument = notDocumentTargetPrecision is { } t2
            ? ThresholdTuner.ForPrecision(notDocumentTargets, notDocumentScores, t2)
            : ThresholdTuner.ForBestF1(notDocumentTargets, notDocumentScores);
        var thresholds = new DecisionThresholds(screen.Threshold, notDocument.Threshold).Validate();
        var previous = CheckpointFile.ReadMetadata(run.BestCheckpoint).Thresholds;
        CheckpointFile.UpdateMetadata(run.BestCheckpoint, m => m with
        {
            Thresholds = thresholds,
            Extra = new Dictionary<string, string>(m.Extra)
            {
                ["thresholds_tuned_on"] = "val",
                ["screen_target_precision"] = targetPrecision.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            },
        });
        var testPath = PredictionFile.PathFor(run, Core.Data.SplitNames.Test);
        var test = File.Exists(testPath) ? ClassificationReport.From(PredictionFile.Read(testPath), thresholds) : null;
        run.Log($"tuned thresholds on val: screen {thresholds.Screen:R} (target precision {targetPrecision}, met: {screen.TargetMet}), not_document {thresholds.NotDocument:R}");
        return new TuningResult(run.BestCheckpoint, previous, screen, notDocument, ClassificationReport.From(val, thresholds), test);
    }

    private static int[] Targets(IReadOnlyList<ImagePrediction> predictions, Head head) => predictions.Select(p => head.TargetOf(p.Actual)).ToArray();
}
