using TwinHead.Core.Data;
using TwinHead.Core.Labels;

namespace TwinHead.Core.Metrics;

/// <summary>The evaluation of the images that share one value of a grouping column (a generator cue or a tag of yours).</summary>
/// <param name="Group">The column's value; <see cref="GroupedReport.NotListed"/> for images the group file does not name.</param>
/// <param name="PerClass">Images of each class in the group, indexed by <see cref="DocumentClass"/>.</param>
/// <param name="Report">The full report on the group's images alone, at the same thresholds.</param>
public sealed record GroupMetrics(string Group, IReadOnlyList<int> PerClass, ClassificationReport Report)
{
    /// <summary>Images in the group.</summary>
    public int Images => Report.Count;

    /// <summary>Screens in the group.</summary>
    public int Screens => PerClass[(int)DocumentClass.Screen];

    /// <summary>Documents and not-documents in the group: the images a screen alarm would be false on.</summary>
    public int NonScreens => Images - Screens;

    /// <summary>Screens the screen head found.</summary>
    public long ScreensFound => Report.ScreenHead.TruePositives;

    /// <summary>Non-screens the screen head called screens.</summary>
    public long FalseScreenAlarms => Report.ScreenHead.FalsePositives;

    /// <summary>Images per class as "documents/not-documents/screens", the form both report tables print.</summary>
    public string ClassCounts => $"{PerClass[(int)DocumentClass.Document]}/{PerClass[(int)DocumentClass.NotDocument]}/{Screens}";
}

/// <summary>Splits an evaluation by the value each image has in a grouping column (<c>twinhead eval --by COLUMN</c>).</summary>
public static class GroupedReport
{
    /// <summary>The group of images that have no row in the group file.</summary>
    public const string NotListed = "(not listed)";

    /// <summary>The group of images whose value is blank (the generator leaves cues that do not apply to a class blank).</summary>
    public const string Blank = "(blank)";

    /// <summary>
    /// One <see cref="GroupMetrics"/> per distinct value of <paramref name="groupOfPath"/> among
    /// <paramref name="predictions"/>, largest group first (ties by name); a blank value is <see cref="Blank"/>, and
    /// images without a row form <see cref="NotListed"/>, last.
    /// </summary>
    public static IReadOnlyList<GroupMetrics> By(IReadOnlyList<ImagePrediction> predictions, IReadOnlyDictionary<string, string> groupOfPath,
        DecisionThresholds thresholds)
    {
        var byGroup = predictions
            .GroupBy(p => groupOfPath.TryGetValue(ImageGroupFile.Normalize(p.Path), out var g) ? g.Length > 0 ? g : Blank : NotListed, StringComparer.Ordinal);
        return byGroup
            .Select(g =>
            {
                var members = g.ToList();
                var perClass = new int[DocumentClasses.Count];
                foreach (var p in members) perClass[(int)p.Actual]++;
                return new GroupMetrics(g.Key, perClass, ClassificationReport.From(members, thresholds));
            })
            .OrderBy(g => g.Group == NotListed)
            .ThenByDescending(g => g.Images)
            .ThenBy(g => g.Group, StringComparer.Ordinal)
            .ToList();
    }
}
