using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TwinHead.Imaging.Tests.Fixtures;

/// <summary>Hand-built encoded files for cases Skia cannot write: EXIF orientation, 16-bit and crafted PNGs, GIF, BMP, CMYK JPEG.</summary>
internal static class EncodedFixtures
{
    /// <summary>Inserts an APP1 Exif segment holding only the orientation tag (big-endian TIFF) right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG");
        var tiff = new List<byte>();
        tiff.AddRange("MM"u8.ToArray());
        tiff.AddRange([0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]); // magic 42, IFD0 at offset 8
        tiff.AddRange([0x00, 0x01]); // one entry
        tiff.AddRange([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]); // tag 0x0112 Orientation, SHORT, count 1
        tiff.AddRange([0x00, (byte)orientation, 0x00, 0x00]); // value, left-justified in the 4-byte field
        tiff.AddRange([0x00, 0x00, 0x00, 0x00]); // no next IFD
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        int length = payload.Length + 2;
        var segment = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }

    /// <summary>A PNG from raw samples: one unfiltered scanline per row, samples already in PNG byte order.</summary>
    public static byte[] Png(int width, int height, byte bitDepth, byte colourType, byte[] rawRows)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int rowBytes = rawRows.Length / height;
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(rawRows, y * rowBytes, rowBytes);
            }
        }
        return PngWithIdat(width, height, bitDepth, colourType, compressed.ToArray());
    }

    /// <summary>A PNG whose header declares any size, with the given (possibly tiny) IDAT: the decompression-bomb shape.</summary>
    public static byte[] PngWithIdat(int width, int height, byte bitDepth, byte colourType, byte[] idat)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", idat);
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typeAndData));
        file.Write(length);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A two-frame GIF with a 4-colour palette. Each frame's pixels are palette indices. The LZW stream sends a clear code
    /// before every pixel, so the code width never grows: valid, if not compact.
    /// </summary>
    public static byte[] Gif(int width, int height, (byte R, byte G, byte B)[] palette, byte[] firstFrame, byte[] secondFrame)
    {
        Assert.Equal(4, palette.Length);
        using var file = new MemoryStream();
        file.Write("GIF89a"u8);
        WriteUInt16(file, width);
        WriteUInt16(file, height);
        file.Write([0x81, 0x00, 0x00]); // global colour table of 2^(1+1) entries; background 0; no aspect
        foreach (var (r, g, b) in palette)
            file.Write([r, g, b]);
        foreach (var frame in new[] { firstFrame, secondFrame })
        {
            file.WriteByte(0x2C);
            WriteUInt16(file, 0);
            WriteUInt16(file, 0);
            WriteUInt16(file, width);
            WriteUInt16(file, height);
            file.WriteByte(0x00); // no local table, not interlaced
            file.WriteByte(2); // LZW minimum code size
            var data = LzwWithClearBeforeEachPixel(frame);
            for (int i = 0; i < data.Length; i += 255)
            {
                int n = Math.Min(255, data.Length - i);
                file.WriteByte((byte)n);
                file.Write(data, i, n);
            }
            file.WriteByte(0x00);
        }
        file.WriteByte(0x3B);
        return file.ToArray();
    }

    private static byte[] LzwWithClearBeforeEachPixel(byte[] indices)
    {
        const int clear = 4, end = 5, bits = 3;
        var output = new List<byte>();
        int buffer = 0, count = 0;
        void Emit(int code)
        {
            buffer |= code << count;
            count += bits;
            while (count >= 8)
            {
                output.Add((byte)buffer);
                buffer >>= 8;
                count -= 8;
            }
        }
        foreach (byte index in indices)
        {
            Emit(clear);
            Emit(index);
        }
        Emit(end);
        if (count > 0)
            output.Add((byte)buffer);
        return output.ToArray();
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
    }

    /// <summary>An uncompressed 24-bit bottom-up BMP.</summary>
    public static byte[] Bmp(RgbImage image)
    {
        int rowBytes = (image.Width * 3 + 3) & ~3;
        int imageBytes = rowBytes * image.Height;
        var file = new byte[54 + imageBytes];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), imageBytes);
        for (int y = 0; y < image.Height; y++)
        {
            int row = 54 + (image.Height - 1 - y) * rowBytes;
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = TestImages.PixelAt(image, x, y);
                file[row + x * 3] = b;
                file[row + x * 3 + 1] = g;
                file[row + x * 3 + 2] = r;
            }
        }
        return file;
    }

    /// <summary>
    /// A flat-colour 16x16 baseline JPEG with four components and an Adobe APP14 marker (transform 0), i.e. the Adobe
    /// CMYK layout in which stored samples are inverted (255 = no ink). Only DC coefficients are coded, with the
    /// standard luminance DC Huffman table and a one-symbol AC table holding end-of-block.
    /// </summary>
    public static byte[] AdobeCmykJpeg(byte c, byte m, byte y, byte k)
    {
        const int size = 16;
        byte[] samples = [c, m, y, k];
        var file = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, IEnumerable<byte> payload)
        {
            var body = payload.ToArray();
            file.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            file.AddRange(body);
        }
        Segment(0xEE, "Adobe"u8.ToArray().Concat(new byte[] { 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00 }));
        Segment(0xDB, new byte[] { 0x00 }.Concat(Enumerable.Repeat((byte)1, 64)));
        var frame = new List<byte> { 8, 0, size, 0, size, 4 };
        for (byte id = 1; id <= 4; id++)
            frame.AddRange([id, 0x11, 0]);
        Segment(0xC0, frame);
        byte[] dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
        byte[] dcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        Segment(0xC4, new byte[] { 0x00 }.Concat(dcBits).Concat(dcValues));
        byte[] acBits = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Segment(0xC4, new byte[] { 0x10 }.Concat(acBits).Concat(new byte[] { 0x00 }));
        var scan = new List<byte> { 4 };
        for (byte id = 1; id <= 4; id++)
            scan.AddRange([id, 0x00]);
        scan.AddRange([0, 63, 0]);
        Segment(0xDA, scan);

        var dcCodes = CanonicalCodes(dcBits, dcValues);
        var bits = new EntropyBitWriter();
        var previous = new int[4];
        for (int mcu = 0; mcu < (size / 8) * (size / 8); mcu++)
            for (int component = 0; component < 4; component++)
            {
                int dc = 8 * (samples[component] - 128); // the DC coefficient of a flat block, quantiser 1
                int diff = dc - previous[component];
                previous[component] = dc;
                int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                var (code, length) = dcCodes[category];
                bits.Write(code, length);
                if (category > 0)
                    bits.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
                bits.Write(0, 1); // end of block: the only AC symbol, code "0"
            }
        file.AddRange(bits.Finish());
        file.AddRange([0xFF, 0xD9]);
        return file.ToArray();
    }

    private static Dictionary<int, (int Code, int Length)> CanonicalCodes(byte[] bitsPerLength, byte[] values)
    {
        var codes = new Dictionary<int, (int, int)>();
        int code = 0, next = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < bitsPerLength[length - 1]; i++)
                codes[values[next++]] = (code++, length);
            code <<= 1;
        }
        return codes;
    }

    private sealed class EntropyBitWriter
    {
        private readonly List<byte> bytes = [];
        private int buffer, count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                buffer = (buffer << 1) | ((value >> i) & 1);
                if (++count == 8)
                    Flush();
            }
        }

        public List<byte> Finish()
        {
            while (count != 0)
                Write(1, 1); // pad with one-bits
            return bytes;
        }

        private void Flush()
        {
            bytes.Add((byte)buffer);
            if (buffer == 0xFF)
                bytes.Add(0x00); // byte stuffing
            buffer = 0;
            count = 0;
        }
    }
}
