using SkiaSharp;
using TwinHead.Imaging.Tests.Fixtures;

namespace TwinHead.Imaging.Tests;

/// <summary>Real validation photos (read only, never used for tuning): they must decode, upright.</summary>
public class RealPhotoTests
{
    private static IEnumerable<string> Photos() =>
        File.ReadLines(Path.Combine(RealPhotos.Folder!, "test.csv"))
            .Where(line => line.Length > 0)
            .Select(line => Path.Combine(RealPhotos.Folder!, line[..line.LastIndexOf(',')]));

    [RealPhotosFact]
    public void EveryPhotoDecodesWithItsExifOrientationApplied()
    {
        int rotated = 0;
        foreach (string path in Photos())
        {
            byte[] bytes = File.ReadAllBytes(path);
            SKSizeI stored;
            using (var codec = SKCodec.Create(SKData.CreateCopy(bytes)))
                stored = codec.Info.Size;
            int orientation = bytes[0] == 0xFF ? RealPhotos.JpegExifOrientation(bytes) : 1;

            var image = ImageDecoder.DecodeFile(path, 256, 256, ImageDecodeLimits.Default);

            bool swapped = orientation is >= 5 and <= 8;
            rotated += swapped ? 1 : 0;
            bool storedLandscape = stored.Width > stored.Height;
            bool decodedLandscape = image.Width > image.Height;
            if (stored.Width != stored.Height)
                Assert.True(decodedLandscape == (storedLandscape != swapped), $"{path}: stored {stored}, EXIF {orientation}, decoded {image.Width}x{image.Height}");
            Assert.True(Math.Min(image.Width, image.Height) >= Math.Min(256, Math.Min(stored.Width, stored.Height)), $"{path}: decoded too small");
        }
        Assert.True(rotated > 0, "expected some photos with a rotating EXIF orientation in real-dev");
    }

    [RealPhotosFact]
    public void PortraitPhotosStoredSidewaysComeOutPortrait()
    {
        // Both are stored landscape with EXIF orientation 6; viewed decoded, they are an upright receipt and an upright earbud case.
        string[] portraits =
        [
            "documents/Advill__Dream-Team-Scanner__receipt.jpg",
            "not a documents/yash2607-del__Salescode-ai-screen_recapture_detector__20260702_220619.jpg",
        ];
        foreach (string name in portraits)
        {
            var image = ImageDecoder.DecodeFile(Path.Combine(RealPhotos.Folder!, name), 256, 256, ImageDecodeLimits.Default);
            Assert.True(image.Height > image.Width, $"{name}: decoded {image.Width}x{image.Height}, expected portrait");
        }
    }

    [RealPhotosFact]
    public void ReceiptPhotoIsUprightNotUpsideDown()
    {
        // The receipt is bright paper with a dark store logo near the top: the top band is darker than the bottom band.
        var image = ImageDecoder.DecodeFile(Path.Combine(RealPhotos.Folder!, "documents/Advill__Dream-Team-Scanner__receipt.jpg"), 256, 256, ImageDecodeLimits.Default);
        double Band(int from, int to)
        {
            double sum = 0;
            for (int y = from; y < to; y++)
                for (int x = image.Width / 4; x < image.Width * 3 / 4; x++)
                    sum += TestImages.PixelAt(image, x, y).R;
            return sum / ((to - from) * (image.Width / 2));
        }
        int h = image.Height;
        Assert.True(Band(h / 8, h / 4) < Band(h * 3 / 4, h * 7 / 8), "logo band is not darker than the lower band: image may be upside down");
    }
}
