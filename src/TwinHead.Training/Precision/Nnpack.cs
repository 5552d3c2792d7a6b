using System.Runtime.InteropServices;

namespace TwinHead.Training.Precision;

/// <summary>
/// Turns off libtorch's NNPACK convolutions for TwinHead's TorchSharp evaluations. libtorch tries NNPACK for float32
/// inference convolutions on batches of 16 or more; on CPUs NNPACK does not support (this project's 2-core machines among
/// them) each attempt logged "Could not initialize NNPACK! Reason: Unsupported hardware" (37 lines before every
/// <c>twinhead eval</c> table) and fell back to the ordinary kernels anyway. With it off, every machine uses those kernels.
/// TorchSharp 0.107 has no switch for it, so this calls libtorch's <c>at::Context::setUserEnabledNNPACK</c> directly.
/// </summary>
public static class Nnpack
{
    private const string LibTorchCpu = "torch_cpu"; // .NET adds lib/.so, .dylib or .dll

    private static readonly Lazy<bool> Disabled = new(() =>
    {
        SetUserEnabled(GlobalContext(), false);
        return !UserEnabled(GlobalContext());
    });

    /// <summary>Turns NNPACK off for the process (once; later calls do nothing) and says whether libtorch now reports it off.</summary>
    public static bool Disable() => Disabled.Value;

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    // Member functions: the context is the implicit first argument.
    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorchCpu, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabled(IntPtr context);
}
