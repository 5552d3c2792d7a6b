using System.Collections;
using System.Runtime.InteropServices;
using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Training;

/// <summary>
/// Runs alone: glibc shares its heaps (arenas) between threads, so a test on another thread allocating between this test's
/// free and its next allocation can take the freed buffer, and the fault count would measure that test instead of the setting.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapAlone
{
    /// <summary>The collection's name.</summary>
    public const string Name = "native heap alone";
}

[Collection(NativeHeapAlone.Name)]
public class NativeHeapTests
{
    [Theory]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.mmap_max=0", true)]
    [InlineData("GLIBC_TUNABLES", "glibc.rtld.nns=2:glibc.malloc.trim_threshold=1", true)]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=2", false)]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "0", true)]
    [InlineData("MALLOC_ARENA_MAX", "2", false)]
    [InlineData("PATH", "/usr/bin", false)]
    public void A_users_own_mmap_or_trim_setting_wins(string name, string value, bool userWins)
    {
        var environment = new Hashtable { [name] = value, ["HOME"] = "/root" };
        var reason = NativeHeap.UserTuning(environment);
        Assert.Equal(userWins, reason is not null);
        if (userWins) Assert.Equal($"{name}={value}", reason);
    }

    [Fact]
    public void A_freed_48_MB_buffer_is_reused_without_new_page_faults()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.UserTuning(Environment.GetEnvironmentVariables()) is not null) return;
        Assert.Contains("keeps freed buffers", NativeHeap.ReuseLargeBuffers());
        // Above glibc's largest mmap threshold (32 MB): without the setting, each round maps and faults in fresh pages.
        // Background threads (finalizers, LibTorch's pool) share the arena too, so one quiet round out of five is enough;
        // without the setting none is quiet, as every round gets a fresh mapping.
        const int size = 48 << 20;
        var faults = new List<long>();
        for (var round = 0; round < 5; round++)
        {
            TouchAndFree(size);
            var before = ThreadMinorFaults();
            TouchAndFree(size);
            faults.Add(ThreadMinorFaults() - before);
            if (faults[^1] < size / 4096 / 10) return;
        }
        Assert.Fail($"page faults touching a reused {size >> 20} MB buffer ({size / 4096} pages), in each of {faults.Count} rounds: {string.Join(", ", faults)}");
    }

    private static void TouchAndFree(int size)
    {
        var buffer = Marshal.AllocHGlobal(size);
        try
        {
            for (var offset = 0; offset < size; offset += 4096) Marshal.WriteByte(buffer, offset, 1);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    // struct rusage: two timevals (4 longs), then maxrss, ixrss, idrss, isrss, minflt, ...
    private static long ThreadMinorFaults()
    {
        var usage = new long[18];
        Assert.Equal(0, GetRusage(1 /* RUSAGE_THREAD */, usage));
        return usage[8];
    }

    [DllImport("libc.so.6", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, long[] usage);
}
