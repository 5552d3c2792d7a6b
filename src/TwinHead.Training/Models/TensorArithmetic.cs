using TorchSharp;
using static TorchSharp.torch;

namespace TwinHead.Training.Models;

/// <summary>
/// Tensor arithmetic whose scalar operands live until libtorch has finished with them.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns <c>a + b</c> into <c>a.add(b, 1)</c> and <c>x * 0.5</c> into a call with a temporary
/// <see cref="Scalar"/>, then hands libtorch only the scalar's native handle. Nothing keeps the managed object alive during
/// the call, so a garbage collection started by another thread (the batch loader decoding images) can run its finalizer
/// and free the scalar while libtorch still reads it: training then dies with
/// <c>Exception raised from toFloat at c10/core/Scalar.h</c> (seen twice in about 35 long runs, once in a residual
/// <c>add</c> of the ResNet18 teacher). Here each scalar is a local disposed after the call, which keeps it reachable
/// for the call's whole length. Overloads that add a default scalar of their own (<c>add_(s)</c> is <c>add_(s, 1)</c>)
/// are avoided too, as are implicit conversions of numbers to scalars (<c>x.eq(2)</c>). The optimiser's scalars are kept alive the same way by <see cref="Training.Adam"/>.
/// </remarks>
public static class TensorArithmetic
{
    /// <summary>a + b, element-wise with broadcasting.</summary>
    public static Tensor Plus(this Tensor a, Tensor b)
    {
        using var one = 1.ToScalar();
        return a.add(b, one);
    }

    /// <summary>x · factor.</summary>
    public static Tensor Times(this Tensor x, double factor)
    {
        using var scalar = factor.ToScalar();
        return x.mul(scalar);
    }

    /// <summary>x / divisor.</summary>
    public static Tensor DividedBy(this Tensor x, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return x.div(scalar);
    }

    /// <summary>1 − x.</summary>
    public static Tensor OneMinus(this Tensor x)
    {
        using var one = 1.ToScalar();
        // add_(one) alone would pass a temporary alpha of 1 (TorchSharp's overload), so both are given.
        return x.neg().add_(one, one);
    }

    /// <summary>x == value, element-wise (a boolean tensor).</summary>
    public static Tensor EqualTo(this Tensor x, long value)
    {
        using var scalar = value.ToScalar();
        return x.eq(scalar);
    }

    /// <summary>max(x, minimum), element-wise.</summary>
    public static Tensor AtLeast(this Tensor x, double minimum)
    {
        using var scalar = minimum.ToScalar();
        return x.clamp_min(scalar);
    }

    /// <summary>x limited to [minimum, maximum], element-wise.</summary>
    public static Tensor Within(this Tensor x, double minimum, double maximum)
    {
        using var low = minimum.ToScalar();
        using var high = maximum.ToScalar();
        return x.clamp(low, high);
    }
}
