namespace TwinHead.Training.Tests;

/// <summary>
/// Tests that seed LibTorch's process-wide generator and then expect the same draws (a resumed run equal to an
/// uninterrupted one, a mixing step that leaves the global sequence alone) run alone: a model built or a tensor drawn by a
/// test on another thread in between takes numbers from the same generator and fails them at random.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomState
{
    /// <summary>The collection's name.</summary>
    public const string Name = "global torch random state";
}
