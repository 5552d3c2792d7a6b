using System.Collections;
using System.Runtime.InteropServices;
using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Training;

/// <summary>
/// Runs alone: glibc's counters are process-wide, so another test mapping a block of its own between the two readings
/// would be counted here.
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
    public void A_48_MB_buffer_comes_from_the_heap_not_a_mapping_of_its_own()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.UserTuning(Environment.GetEnvironmentVariables()) is not null) return;
        Assert.Contains("keeps freed buffers", NativeHeap.ReuseLargeBuffers());
        // Above glibc's largest mmap threshold (32 MB): by default such a block is mapped on its own and unmapped when freed,
        // so every use faults in fresh pages. Page faults themselves are not asserted: on a thread other than the main one
        // (xunit's), glibc may also unmap a whole per-thread heap that the freed block leaves empty, whatever the setting.
        // Background threads may map blocks too, so one clean round of five is enough; without the setting none is.
        const int size = 48 << 20;
        var mapped = new List<long>();
        for (var round = 0; round < 5; round++)
        {
            var before = MappedBytes();
            var buffer = Marshal.AllocHGlobal(size);
            var during = MappedBytes();
            Marshal.FreeHGlobal(buffer);
            mapped.Add(during - before);
            if (mapped[^1] < size) return;
        }
        Assert.Fail($"a {size >> 20} MB allocation was mapped on its own in each of {mapped.Count} rounds (bytes mapped: {string.Join(", ", mapped)})");
    }

    // struct mallinfo2: arena, ordblks, smblks, hblks, hblkhd (bytes in blocks mapped on their own), ... (ten size_t)
    private static long MappedBytes() => (long)MallInfo2().MappedBytes;

    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, UsedSmall, FreeSmall, Used, Free, KeepCost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();
}
