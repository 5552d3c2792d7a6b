using System.Text;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

public class NativeLibraryTests
{
    [Fact]
    public void Patched_libtorchsharp_loads_and_computes()
    {
        using var x = ones(2, 2);
        Assert.Equal(4f, x.sum().item<float>());
    }

    [Fact]
    public void Glibcxx_3_4_32_need_is_weak_when_the_system_lacks_it()
    {
        var systemLib = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!File.Exists(systemLib)) return;
        var systemHasIt = File.ReadAllBytes(systemLib).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;
        var library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(library), $"{library} missing from the build output");
        var flags = ElfVersionNeeds.FlagsOf(File.ReadAllBytes(library), "GLIBCXX_3.4.32");
        Assert.NotNull(flags);
        Assert.Equal(!systemHasIt, (flags.Value & 0x2) != 0);
    }
}

/// <summary>Reads vna_flags of a named version need from an ELF64 file (independently of the build task that sets it).</summary>
internal static class ElfVersionNeeds
{
    public static ushort? FlagsOf(byte[] elf, string version)
    {
        var shoff = (int)BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (var s = 0; s < shnum; s++)
        {
            var sh = shoff + s * shentsize;
            if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe) continue;
            var offset = (int)BitConverter.ToInt64(elf, sh + 0x18);
            var strtab = (int)BitConverter.ToInt64(elf, shoff + (int)BitConverter.ToUInt32(elf, sh + 0x28) * shentsize + 0x18);
            var vn = offset;
            for (var n = 0; n < (int)BitConverter.ToUInt32(elf, sh + 0x2C); n++)
            {
                var aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (var a = 0; a < BitConverter.ToUInt16(elf, vn + 2); a++)
                {
                    var name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    var end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version) return BitConverter.ToUInt16(elf, aux + 4);
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(elf, vn + 12);
            }
        }
        return null;
    }
}
