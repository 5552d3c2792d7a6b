using System.Runtime.InteropServices;
using TorchSharp;
using TwinHead.Core.Config;
using static TorchSharp.torch;

namespace TwinHead.Training.Precision;

/// <summary>
/// libtorch's CPU autocast, what <c>torch.autocast("cpu", dtype=torch.bfloat16)</c> does in Python: inside the scope,
/// convolutions and matrix products run in bfloat16 while the parameters, their gradients and the optimiser stay float32.
/// TorchSharp 0.107 does not expose autocast, so this calls libtorch's C++ entry points in <c>libtorch_cpu</c> directly
/// (plain enum and bool arguments, so the C ABI holds).
/// </summary>
/// <remarks>Autocast state is per thread: enter and leave the scope on the thread that runs the forward pass.</remarks>
public sealed class CpuAutocast : IDisposable
{
    private const string LibTorchCpu = "torch_cpu"; // .NET adds lib/.so, .dylib or .dll
    private const sbyte DeviceCpu = 0; // c10::DeviceType::CPU
    private const sbyte ScalarBFloat16 = 15; // c10::ScalarType::BFloat16

    private readonly bool wasEnabled;
    private bool disposed;

    private static readonly Lazy<string?> MissingEntryPoints = new(Probe);

    private CpuAutocast()
    {
        EnsureSupported();
        wasEnabled = IsEnabled(DeviceCpu);
        SetDtype(DeviceCpu, ScalarBFloat16);
        SetEnabled(DeviceCpu, true);
    }

    /// <summary>Turns bfloat16 autocast on for the calling thread until the returned scope is disposed.</summary>
    public static CpuAutocast BFloat16() => new();

    /// <summary>
    /// Throws <see cref="ConfigException"/> naming <c>precision</c> when this libtorch build lacks the autocast entry points,
    /// so a run fails before its run folder is made rather than at its first step.
    /// </summary>
    public static void EnsureSupported()
    {
        if (MissingEntryPoints.Value is { } reason)
            throw new ConfigException($"config key 'precision' = bfloat16: libtorch's CPU autocast entry points are not in this libtorch build ({reason}); use float32");
    }

    private static string? Probe()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // libtorch loaded by TorchSharp first, with its own dependency resolution
        try
        {
            IsEnabled(DeviceCpu);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The entry points are C++ names in the Itanium mangling of the Linux and macOS builds of libtorch.
            return e.Message;
        }
    }

    /// <summary>True when autocast is on for the CPU on the calling thread.</summary>
    public static bool IsActive => IsEnabled(DeviceCpu);

    /// <summary>Restores the previous state and drops autocast's cache of cast weights (they go stale once the optimiser steps).</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        SetEnabled(DeviceCpu, wasEnabled);
        if (!wasEnabled)
            ClearCache();
    }

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    private static extern void SetEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool IsEnabled(sbyte device);

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    private static extern void SetDtype(sbyte device, sbyte dtype);

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    private static extern void ClearCache();
}
