namespace TwinHead.Core.Labels;

/// <summary>
/// Thresholds that turn the two head probabilities into the three-way answer: screen if p(screen) &gt;= <see cref="Screen"/>;
/// else not-a-document if p(not_document) &gt;= <see cref="NotDocument"/>; else document.
/// </summary>
public sealed record DecisionThresholds(double Screen = 0.5, double NotDocument = 0.5)
{
    /// <summary>The reference's 0.5 / 0.5.</summary>
    public static DecisionThresholds Default { get; } = new();

    /// <summary>The three-way decision for one image.</summary>
    public DocumentClass Decide(double screenProbability, double notDocumentProbability) =>
        screenProbability >= Screen ? DocumentClass.Screen
        : notDocumentProbability >= NotDocument ? DocumentClass.NotDocument
        : DocumentClass.Document;

    /// <summary>Throws when a threshold is outside [0, 1].</summary>
    public DecisionThresholds Validate()
    {
        if (!(Screen >= 0 && Screen <= 1)) throw new ArgumentOutOfRangeException(nameof(Screen), Screen, "thresholds.screen must be in [0, 1]");
        if (!(NotDocument >= 0 && NotDocument <= 1)) throw new ArgumentOutOfRangeException(nameof(NotDocument), NotDocument, "thresholds.not_document must be in [0, 1]");
        return this;
    }
}
