namespace TwinHead.Core.Labels;

/// <summary>One binary head of the two-headed model, derived from the three-way label exactly as the reference does.</summary>
/// <param name="Name">Artifact name of the head (<c>screen</c>, <c>not_document</c>).</param>
/// <param name="PositiveClass">The three-way class that makes this head's target positive.</param>
/// <param name="LossWeight">Weight of this head's cross-entropy in the total loss.</param>
public sealed record Head(string Name, DocumentClass PositiveClass, float LossWeight)
{
    /// <summary>Head 1: screen vs. paper, the important task (loss weight 2).</summary>
    public static Head Screen { get; } = new("screen", DocumentClass.Screen, 2f);

    /// <summary>Head 2: not-a-document vs. document (loss weight 1).</summary>
    public static Head NotDocument { get; } = new("not_document", DocumentClass.NotDocument, 1f);

    /// <summary>Both heads, head 1 first.</summary>
    public static IReadOnlyList<Head> Both { get; } = [Screen, NotDocument];

    /// <summary>The binary target (1 positive, 0 negative) of this head for a three-way label.</summary>
    public int TargetOf(DocumentClass label) => label == PositiveClass ? 1 : 0;
}
