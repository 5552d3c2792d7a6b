using TorchSharp;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Training;

/// <summary>
/// An exponential moving average of a model's weights (Polyak averaging, timm's "model EMA"): a second copy of the network
/// that follows the trained one slowly, <c>average ← d · average + (1 − d) · weights</c> after every optimiser step.
/// Validation, the best checkpoint and everything exported from it use the average, which is smoother than the weights of
/// any single step; BatchNorm running statistics are averaged the same way, integer buffers copied.
/// </summary>
/// <remarks>
/// The decay warms up as TensorFlow's <c>ExponentialMovingAverage</c> does with a step count: step t uses
/// <c>min(decay, (1 + t) / (10 + t))</c>, so the random initial weights are forgotten within the first few hundred steps
/// instead of dominating a short run. Frozen parameters (<c>requires_grad</c> false) never change and are skipped.
/// </remarks>
public sealed class WeightAverage : IDisposable
{
    private readonly (Tensor Average, Tensor Source)[] floating;
    private readonly (Tensor Average, Tensor Source)[] copied;

    /// <summary>Starts the average at <paramref name="source"/>'s current weights.</summary>
    /// <param name="source">The model being trained.</param>
    /// <param name="options">Options that build the same network.</param>
    /// <param name="decay">Target decay d in (0, 1).</param>
    public WeightAverage(BuiltModel source, ModelOptions options, double decay)
    {
        if (decay is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must be in (0, 1)");
        Decay = decay;
        Model = ModelRegistry.Create(options);
        using (no_grad()) Model.Network.load_state_dict(source.Network.state_dict());
        Model.Network.eval();
        var sourceParameters = source.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var sourceBuffers = source.Network.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        var pairs = Model.Network.named_parameters().Select(p => (p.name, Average: (Tensor)p.parameter, Source: (Tensor)sourceParameters[p.name]))
            .Where(p => sourceParameters[p.name].requires_grad)
            .Concat(Model.Network.named_buffers().Select(b => (b.name, Average: b.buffer, Source: sourceBuffers[b.name])))
            .ToArray();
        floating = pairs.Where(p => p.Average.is_floating_point()).Select(p => (p.Average, p.Source)).ToArray();
        copied = pairs.Where(p => !p.Average.is_floating_point()).Select(p => (p.Average, p.Source)).ToArray();
    }

    /// <summary>The target decay.</summary>
    public double Decay { get; }

    /// <summary>The averaged network, always in eval mode.</summary>
    public BuiltModel Model { get; }

    /// <summary>The decay used at 1-based optimiser step <paramref name="step"/>.</summary>
    public double DecayAt(long step) => Math.Min(Decay, (1.0 + step) / (10.0 + step));

    /// <summary>Folds the source model's current weights into the average, after optimiser step <paramref name="step"/> (1-based).</summary>
    public void Update(long step)
    {
        var decay = DecayAt(step);
        // Scalars kept alive for the native calls (see TensorArithmetic).
        using var decayScalar = decay.ToScalar();
        using var weightScalar = (1 - decay).ToScalar();
        using var _ = no_grad();
        foreach (var (average, source) in floating)
            average.mul_(decayScalar).add_(source, weightScalar);
        foreach (var (average, source) in copied)
            average.copy_(source);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
