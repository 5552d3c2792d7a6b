using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using TwinHead.Core.Models;
using ModelMetadata = TwinHead.Core.Models.ModelMetadata;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Export;

/// <summary>How to compare an exported model with its TorchSharp original.</summary>
public sealed record ParityOptions
{
    /// <summary>Inputs compared, run once as one batch and once one by one.</summary>
    public int Samples { get; init; } = 4;

    /// <summary>Seed of the random inputs.</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Largest allowed difference of a probability (1e-4 for float32 weights; float16 weights need a few 1e-2).</summary>
    public double Tolerance { get; init; } = 1e-4;
}

/// <summary>ONNX Runtime against TorchSharp eval on the same inputs.</summary>
/// <param name="Samples">Inputs compared.</param>
/// <param name="MaxProbabilityDifference">Largest |p_onnx − p_torch| over both head probabilities.</param>
/// <param name="MaxLogitDifference">Largest |logit_onnx − logit_torch|.</param>
/// <param name="MaxBatchVersusSingleDifference">Largest difference of a probability between the batch run and single runs in ONNX Runtime.</param>
/// <param name="DecisionMismatches">Inputs whose three-way decision differs (ONNX vs TorchSharp, or batch vs single).</param>
/// <param name="BorderlineMismatches">Those of <paramref name="DecisionMismatches"/> whose TorchSharp probability lies within
/// <paramref name="Tolerance"/> of a threshold, where an allowed difference can flip the decision.</param>
/// <param name="Tolerance">Allowed probability difference.</param>
/// <param name="MaxLogitMagnitude">Largest |logit| TorchSharp produced, to judge the differences against.</param>
public sealed record ParityReport(int Samples, double MaxProbabilityDifference, double MaxLogitDifference,
    double MaxBatchVersusSingleDifference, int DecisionMismatches, int BorderlineMismatches, double Tolerance, double MaxLogitMagnitude)
{
    /// <summary>All differences within <see cref="Tolerance"/> and no decision differs except on the borderline.</summary>
    public bool Passed => MaxProbabilityDifference <= Tolerance && MaxBatchVersusSingleDifference <= Tolerance && DecisionMismatches == BorderlineMismatches;

    /// <summary>A few lines for the console.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"parity (ONNX Runtime vs TorchSharp eval, {Samples} inputs): {(Passed ? "PASSED" : "FAILED")}");
        text.AppendLine(c, $"  max |probability diff|     {MaxProbabilityDifference:E2} (tolerance {Tolerance:E0})");
        text.AppendLine(c, $"  max |logit diff|           {MaxLogitDifference:E2} (largest |logit| {MaxLogitMagnitude:G3})");
        text.AppendLine(c, $"  max |batch - single| prob  {MaxBatchVersusSingleDifference:E2}");
        text.Append(c, $"  decision mismatches        {DecisionMismatches}{(BorderlineMismatches > 0 ? $" ({BorderlineMismatches} within tolerance of a threshold)" : "")}");
        return text.ToString();
    }
}

/// <summary>Checks that an exported ONNX file computes what the TorchSharp model computes.</summary>
public static class ExportParity
{
    /// <summary>
    /// Runs <paramref name="model"/> (in eval mode) and the ONNX file at <paramref name="onnxPath"/> on the same inputs:
    /// <paramref name="inputs"/> (each a preprocessed CHW tensor) or, when null, seeded random inputs of the metadata's size.
    /// </summary>
    public static ParityReport Check(BuiltModel model, ModelMetadata metadata, string onnxPath, ParityOptions? options = null, IReadOnlyList<float[]>? inputs = null)
    {
        options ??= new ParityOptions();
        var spec = metadata.Preprocessing;
        var sampleLength = 3 * spec.Height * spec.Width;
        inputs ??= RandomInputs(options.Samples, sampleLength, options.Seed);
        if (inputs.Count == 0) throw new ArgumentException("parity needs at least one input", nameof(inputs));
        if (inputs.Any(i => i.Length != sampleLength))
            throw new ArgumentException($"parity inputs must each hold 3x{spec.Height}x{spec.Width} = {sampleLength} values", nameof(inputs));
        var n = inputs.Count;
        var batch = inputs.SelectMany(i => i).ToArray();

        var (torchLogits, torchScreen, torchNotDoc) = RunTorch(model, batch, n, spec);

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, sessionOptions);
        var (onnxLogits, onnxScreen, onnxNotDoc) = RunOnnx(session, batch, n, spec);

        double maxProbability = 0, maxLogit = 0, maxBatchSingle = 0;
        int mismatches = 0, borderline = 0;
        for (var i = 0; i < n; i++)
        {
            var (_, singleScreen, singleNotDoc) = RunOnnx(session, inputs[i], 1, spec);
            maxProbability = Math.Max(maxProbability, Math.Max(Math.Abs(onnxScreen[i] - torchScreen[i]), Math.Abs(onnxNotDoc[i] - torchNotDoc[i])));
            maxBatchSingle = Math.Max(maxBatchSingle, Math.Max(Math.Abs(onnxScreen[i] - singleScreen[0]), Math.Abs(onnxNotDoc[i] - singleNotDoc[0])));
            var torchDecision = metadata.Thresholds.Decide(torchScreen[i], torchNotDoc[i]);
            if (torchDecision != metadata.Thresholds.Decide(onnxScreen[i], onnxNotDoc[i])
                || torchDecision != metadata.Thresholds.Decide(singleScreen[0], singleNotDoc[0]))
            {
                mismatches++;
                if (Math.Min(Math.Abs(torchScreen[i] - metadata.Thresholds.Screen), Math.Abs(torchNotDoc[i] - metadata.Thresholds.NotDocument)) <= options.Tolerance)
                    borderline++;
            }
        }
        for (var k = 0; k < torchLogits.Length; k++) maxLogit = Math.Max(maxLogit, Math.Abs(onnxLogits[k] - torchLogits[k]));
        return new ParityReport(n, maxProbability, maxLogit, maxBatchSingle, mismatches, borderline, options.Tolerance, torchLogits.Max(v => Math.Abs((double)v)));
    }

    private static (float[] Logits, float[] Screen, float[] NotDocument) RunTorch(BuiltModel model, float[] batch, int n, PreprocessingSpec spec)
    {
        var wasTraining = model.Network.training;
        model.Network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = model.Network.call(tensor(batch).reshape(n, 3, spec.Height, spec.Width));
            var (screen, notDocument) = model.Architecture.Probabilities(logits);
            return (BatchNormFolding.ToFloats(logits), BatchNormFolding.ToFloats(screen), BatchNormFolding.ToFloats(notDocument));
        }
        finally
        {
            model.Network.train(wasTraining);
        }
    }

    private static (float[] Logits, float[] Screen, float[] NotDocument) RunOnnx(InferenceSession session, float[] batch, int n, PreprocessingSpec spec)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [n, 3, spec.Height, spec.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input],
            [OnnxExporter.LogitsName, OnnxExporter.ScreenProbabilityName, OnnxExporter.NotDocumentProbabilityName]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray(), outputs[2].GetTensorDataAsSpan<float>().ToArray());
    }

    private static List<float[]> RandomInputs(int count, int length, int seed)
    {
        var random = new Random(seed);
        var inputs = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            // Roughly the range of ImageNet-normalised pixels.
            var values = new float[length];
            for (var k = 0; k < length; k++) values[k] = (float)(random.NextDouble() * 4.5 - 2.1);
            inputs.Add(values);
        }
        return inputs;
    }
}
