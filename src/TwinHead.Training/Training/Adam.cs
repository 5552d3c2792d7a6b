using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TwinHead.Training.Training;

/// <summary>
/// TorchSharp's <see cref="TorchSharp.Modules.Adam"/> with the same update, state and saved format, whose scalar operands
/// stay alive until libtorch has used them.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's Adam passes coefficients such as β₁ and 1 − β₁ as temporary <see cref="Scalar"/> objects that nothing
/// keeps alive during the native call, so a collection started by another thread can free one mid-update (the failure
/// <see cref="Models.TensorArithmetic"/> describes). Here each coefficient is a local disposed after the parameter's update.
/// The class keeps the name <c>Adam</c> because TorchSharp writes the optimiser's class name into its saved state and
/// refuses a different one on load: so checkpoints saved before this class existed still resume, in both directions.
/// </remarks>
public sealed class Adam : TorchSharp.Modules.Adam
{
    /// <summary>Adam over <paramref name="parameters"/> (one group).</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr, weight_decay: weightDecay)
    {
    }

    /// <summary>Adam over <paramref name="groups"/>, each with its own learning rate.</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
        : base(groups, lr, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        var (beta1, beta2, eps) = (options.beta1!.Value, options.beta2!.Value, options.eps!.Value);
        var weightDecay = options.weight_decay!.Value;
        var lr = options.LearningRate!.Value;
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var epsScalar = eps.ToScalar();
        using var weightDecayScalar = weightDecay.ToScalar();
        using var one = 1.ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (options.maximize!.Value) grad = -grad;
            var state = (State)_state[param.Handle];
            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0) grad = grad.add(param, weightDecayScalar);
            state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), oneMinusBeta2);
            Tensor secondMoment = state.exp_avg_sq;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                secondMoment = state.max_exp_avg_sq;
            }
            using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var negativeStepSize = (-lr / biasCorrection1).ToScalar();
            var denominator = secondMoment.sqrt().div_(sqrtBiasCorrection2).add_(epsScalar, one);
            param.addcdiv_(state.exp_avg, denominator, negativeStepSize);
        }
    }, closure);
}
