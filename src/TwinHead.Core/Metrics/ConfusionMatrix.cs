using TwinHead.Core.Labels;

namespace TwinHead.Core.Metrics;

/// <summary>A square confusion matrix over the configured classes (rows actual, columns predicted), averaged over all configured classes whether or not a split contains them.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount = DocumentClasses.Count)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a confusion matrix needs at least 2 classes");
        counts = new long[classCount, classCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => counts.GetLength(0);

    /// <summary>Count of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>Total samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Adds one sample.</summary>
    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= ClassCount) throw new ArgumentOutOfRangeException(nameof(actual), actual, "label outside the configured classes");
        if ((uint)predicted >= ClassCount) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, "prediction outside the configured classes");
        counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Builds a matrix from parallel lists of labels.</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classCount = DocumentClasses.Count)
    {
        if (actual.Count != predicted.Count) throw new ArgumentException($"{actual.Count} labels but {predicted.Count} predictions");
        var m = new ConfusionMatrix(classCount);
        for (var i = 0; i < actual.Count; i++) m.Add(actual[i], predicted[i]);
        return m;
    }

    /// <summary>One-vs-rest counts for class <paramref name="c"/>.</summary>
    public BinaryMetrics OneVsRest(int c)
    {
        long tp = counts[c, c], fp = 0, fn = 0;
        for (var k = 0; k < ClassCount; k++)
        {
            if (k == c) continue;
            fp += counts[k, c];
            fn += counts[c, k];
        }
        return new BinaryMetrics(tp, fp, Total - tp - fp - fn, fn);
    }

    /// <summary>Fraction of samples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (var k = 0; k < ClassCount; k++) diagonal += counts[k, k];
            return Total == 0 ? 0 : (double)diagonal / Total;
        }
    }

    /// <summary>Unweighted mean of per-class precision over all configured classes.</summary>
    public double MacroPrecision => Enumerable.Range(0, ClassCount).Average(c => OneVsRest(c).Precision);

    /// <summary>Unweighted mean of per-class recall over all configured classes.</summary>
    public double MacroRecall => Enumerable.Range(0, ClassCount).Average(c => OneVsRest(c).Recall);

    /// <summary>Unweighted mean of per-class F1 over all configured classes.</summary>
    public double MacroF1 => Enumerable.Range(0, ClassCount).Average(c => OneVsRest(c).F1);

    /// <summary>Row-normalised copy (each actual class sums to 1; empty rows stay 0).</summary>
    public double[,] RowNormalised()
    {
        var result = new double[ClassCount, ClassCount];
        for (var a = 0; a < ClassCount; a++)
        {
            long row = 0;
            for (var p = 0; p < ClassCount; p++) row += counts[a, p];
            for (var p = 0; p < ClassCount; p++) result[a, p] = row == 0 ? 0 : (double)counts[a, p] / row;
        }
        return result;
    }
}
