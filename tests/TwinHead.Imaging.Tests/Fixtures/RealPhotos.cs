using System.Buffers.Binary;

namespace TwinHead.Imaging.Tests.Fixtures;

/// <summary>
/// Finds shared/data/real-dev by walking up from the test assembly: on this machine it sits above the worktree, on CI
/// a copy of shared/ lies beside the clone. Tests that need it are skipped when it is absent.
/// </summary>
internal static class RealPhotos
{
    public static string? Folder { get; } = Locate();

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "real-dev");
            if (File.Exists(Path.Combine(candidate, "test.csv")))
                return candidate;
        }
        return null;
    }

    /// <summary>The EXIF orientation tag of a JPEG (1 when absent), read without Skia so the decoder is checked independently.</summary>
    public static int JpegExifOrientation(byte[] jpeg)
    {
        int at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            byte marker = jpeg[at + 1];
            if (marker == 0xDA || marker == 0xD9)
                break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            var payload = jpeg.AsSpan(at + 4, Math.Min(length - 2, jpeg.Length - at - 4));
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
                return OrientationFromTiff(payload[6..].ToArray());
            at += 2 + length;
        }
        return 1;
    }

    private static int OrientationFromTiff(byte[] tiff)
    {
        bool little = tiff[0] == (byte)'I';
        int U16(int offset) => little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(offset)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.AsSpan(offset));
        int U32(int offset) => (int)(little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.AsSpan(offset)));
        int ifd = U32(4);
        int entries = U16(ifd);
        for (int i = 0; i < entries; i++)
        {
            int entry = ifd + 2 + i * 12;
            if (U16(entry) == 0x0112)
                return U16(entry + 8);
        }
        return 1;
    }
}

/// <summary>A fact that is skipped when shared/data/real-dev cannot be found.</summary>
public sealed class RealPhotosFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the folder is missing.</summary>
    public RealPhotosFactAttribute()
    {
        if (RealPhotos.Folder is null)
            Skip = "shared/data/real-dev not found above the test assembly";
    }
}
