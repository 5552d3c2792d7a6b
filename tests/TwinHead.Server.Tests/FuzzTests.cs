using SkiaSharp;
using TwinHead.Imaging;
using TwinHead.Inference;

namespace TwinHead.Server.Tests;

/// <summary>
/// A seeded mutation fuzzer: thousands of damaged JPEG, PNG, GIF and WebP byte strings at the decoder and at the
/// endpoint. Fixed seed and counts: every run throws the same inputs, so a failure reproduces.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class FuzzTests(ModelFiles models)
{
    private const int Seed = 20261130;

    [Fact]
    public void Decoder_refuses_mutated_images_only_with_ImageDecodeException()
    {
        using var classifier = TwinHeadClassifier.Load(models.First, new ClassifierOptions { MaxPixels = 4_000_000 });
        var random = new Random(Seed);
        var seeds = SeedImages();
        var tensor = new float[classifier.TensorLength];
        int decoded = 0, refused = 0;
        for (var i = 0; i < 4000; i++)
        {
            var input = Mutate(seeds[i % seeds.Length], random);
            try
            {
                AnimationCheck.AnimatedFrameCount(input);
                classifier.Preprocessor.Preprocess(input, tensor, $"fuzz-{i}");
                Assert.All(tensor, v => Assert.True(float.IsFinite(v), $"fuzz-{i}: non-finite tensor value"));
                decoded++;
            }
            catch (ImageDecodeException e)
            {
                Assert.StartsWith($"fuzz-{i}: ", e.Message);
                refused++;
            }
        }
        // Both paths must be exercised, or the mutations are too gentle or too harsh to test anything.
        Assert.True(decoded > 100 && refused > 100, $"decoded {decoded}, refused {refused}");
    }

    [Fact]
    public async Task Endpoint_never_answers_5xx_to_mutated_images()
    {
        await using var factory = new ServiceFactory(new ServiceOptions { ModelPath = models.First, WatchModel = false, MaxPixels = 4_000_000, MaxBatchWait = TimeSpan.Zero });
        using var client = factory.CreateClient();
        var random = new Random(Seed + 1);
        var seeds = SeedImages();
        var statuses = new Dictionary<int, int>();
        for (var round = 0; round < 100; round++)
        {
            // Eight concurrent callers per round, so refusals and successes share batches.
            var inputs = Enumerable.Range(0, 8).Select(k => Mutate(seeds[(round * 8 + k) % seeds.Length], random)).ToArray();
            var responses = await Task.WhenAll(inputs.Select(input => Requests.PostImage(client, input, "application/octet-stream")));
            foreach (var response in responses)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status < 500, $"round {round}: {status} {await response.Content.ReadAsStringAsync()}");
                if (status >= 400) await Requests.Error(response, status);
            }
        }
        Assert.True(statuses.GetValueOrDefault(200) > 50, string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(statuses.Where(p => p.Key >= 400).Sum(p => p.Value) > 50, string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}")));
    }

    private static byte[][] SeedImages() =>
    [
        TestImages.Jpeg(seed: 1, width: 64, height: 48),
        TestImages.Png(seed: 2, transparent: true),
        TestImages.Encode(SKEncodedImageFormat.Webp, 40, 32, seed: 3),
        TestImages.AnimatedGif(1),
        TestImages.Jpeg(seed: 5, width: 33, height: 71),
    ];

    /// <summary>One to three mutations of the kinds that break parsers: bit flips, boundary bytes, size fields, cuts, splices.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var steps = random.Next(1, 4);
        for (var s = 0; s < steps && bytes.Count > 4; s++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)new[] { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE }[random.Next(6)];
                    break;
                case 2:
                    // A big-endian 16- or 32-bit field (lengths, dimensions) set to an extreme.
                    var extreme = new byte[] { 0xFF, 0xFF, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF }.AsSpan(random.Next(3) * 2, 4).ToArray();
                    for (var k = 0; k < 4 && at + k < bytes.Count; k++) bytes[at + k] = extreme[k];
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 5:
                    var length = Math.Min(random.Next(1, 256), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    var junk = new byte[random.Next(1, 32)];
                    random.NextBytes(junk);
                    bytes.InsertRange(at, junk);
                    break;
            }
        }
        return [.. bytes];
    }
}
