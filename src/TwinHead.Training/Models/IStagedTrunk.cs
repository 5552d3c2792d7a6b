using static TorchSharp.torch;

namespace TwinHead.Training.Models;

/// <summary>One stage of a trunk: the channels of its output and its stride (input size over map size).</summary>
/// <param name="Name">The stage's module name (<c>stage2</c>, <c>layer3</c>...).</param>
/// <param name="Channels">Output channels.</param>
/// <param name="Stride">Input size over the stage's output map size (8 for a map of 16x16 from a 128 px input).</param>
public sealed record TrunkStage(string Name, long Channels, int Stride);

/// <summary>
/// A trunk whose intermediate stages can be read in one pass, so a student can be taught a teacher's features at several
/// depths (feature distillation on the stages of equal stride), not only at the trunk's output.
/// </summary>
public interface IStagedTrunk
{
    /// <summary>The stages, in order; the last one's output is the trunk's output.</summary>
    IReadOnlyList<TrunkStage> Stages { get; }

    /// <summary>Each stage's output for <paramref name="x"/> (one pass); the last is what forward returns for a trunk.</summary>
    IReadOnlyList<Tensor> StageOutputs(Tensor x);
}
