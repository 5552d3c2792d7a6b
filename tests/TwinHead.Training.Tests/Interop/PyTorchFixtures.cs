using System.Runtime.CompilerServices;
using System.Text.Json;

namespace TwinHead.Training.Tests.Interop;

/// <summary>The fixtures tools/make_pytorch_fixtures.py wrote (committed; read from the source tree, so no Python is needed).</summary>
internal static class PyTorchFixtures
{
    public const int Batch = 2;
    public const int ImageSize = 64;

    public static string Directory { get; } = Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "Fixtures", "pytorch");

    public static string TwoHeaded => Path.Combine(Directory, "two_headed.pt");

    public static string ThreeOutput => Path.Combine(Directory, "three_output.pt");

    public static JsonElement Expected { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json"))).RootElement;

    public static float[] ExpectedLogits(string model) =>
        Expected.GetProperty(model).GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>The script's fixed input: x[b,c,y,x] = 2 sin(0.09 (b+1) x + 0.8 c) cos(0.05 (2-b) y) + 0.3 b.</summary>
    public static float[] Input()
    {
        var values = new float[Batch * 3 * ImageSize * ImageSize];
        var i = 0;
        for (var b = 0; b < Batch; b++)
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < ImageSize; y++)
                    for (var x = 0; x < ImageSize; x++)
                        values[i++] = (float)(2.0 * Math.Sin(0.09 * (b + 1) * x + 0.8 * c) * Math.Cos(0.05 * (2 - b) * y) + 0.3 * b);
        return values;
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
