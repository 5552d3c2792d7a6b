using System.Collections;
using System.Runtime.InteropServices;

namespace TwinHead.Training.Training;

/// <summary>
/// Makes glibc keep LibTorch's large CPU buffers for reuse instead of handing them back to the kernel after every step.
/// glibc serves each allocation above its mmap threshold (32 MB at most) with a fresh <c>mmap</c> and unmaps it when freed,
/// so one batch's activations (a 32 x 64 x 128 x 128 float map is 134 MB) are page-faulted and zeroed by the kernel again
/// on every step: a frozen ResNet18 at 256 px spent about half its CPU time there and trained 4.2x slower
/// (docs/benchmarks.md, "Training and the glibc heap"). The cost is that freed memory stays with the process.
/// The full effect is on the process's main thread, where the CLI runs training and evaluation: glibc's heaps for other
/// threads hold at most 64 MB per block and are unmapped once left empty, whatever the setting.
/// </summary>
public static class NativeHeap
{
    // mallopt parameters from glibc's <malloc.h>.
    private const int TrimThresholdParameter = -1;
    private const int MmapMaxParameter = -4;

    /// <summary>Heap memory glibc keeps free at the top of the heap before returning it (2 GB: the largest value mallopt takes).</summary>
    private const int TrimThreshold = int.MaxValue;

    // The settings this class changes, under their tunable and their older environment-variable names.
    private static readonly string[] HeapTunables = ["glibc.malloc.mmap_max", "glibc.malloc.mmap_threshold", "glibc.malloc.trim_threshold", "glibc.malloc.top_pad"];
    private static readonly HashSet<string> HeapVariables = ["MALLOC_MMAP_MAX_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"];

    private static readonly Lazy<string> Outcome = new(Configure);

    /// <summary>
    /// Applies the setting once per process and says what happened (for the run log). Leaves the allocator alone when the
    /// C library is not glibc, or when the user already sets glibc's mmap or trim behaviour through <c>GLIBC_TUNABLES</c> or
    /// a <c>MALLOC_*_</c> variable (their choice wins).
    /// </summary>
    public static string ReuseLargeBuffers() => Outcome.Value;

    /// <summary>Why the allocator should be left alone given these environment variables, or null to apply the setting.</summary>
    public static string? UserTuning(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string ?? "";
            if (name == "GLIBC_TUNABLES" && HeapTunables.Any(t => value.Contains(t, StringComparison.Ordinal)))
                return $"GLIBC_TUNABLES={value}";
            if (HeapVariables.Contains(name))
                return $"{name}={value}";
        }
        return null;
    }

    private static string Configure()
    {
        if (!OperatingSystem.IsLinux()) return "native heap: left as is (not Linux)";
        if (UserTuning(Environment.GetEnvironmentVariables()) is { } setting)
            return $"native heap: left as is ({setting} set)";
        try
        {
            // Without mmap, large buffers come from the heap; the trim threshold stops free() handing them back to the kernel.
            var trimmed = Mallopt(TrimThresholdParameter, TrimThreshold);
            var mapped = Mallopt(MmapMaxParameter, 0);
            return trimmed == 1 && mapped == 1
                ? "native heap: glibc keeps freed buffers for reuse (mmap off, trim threshold 2 GB)"
                : "native heap: left as is (mallopt refused the setting)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "native heap: left as is (the C library is not glibc)";
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
