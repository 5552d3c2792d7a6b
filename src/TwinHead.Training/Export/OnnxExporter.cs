using TwinHead.Core.IO;
using Google.Protobuf;
using Onnx;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Export;

/// <summary>How to write the ONNX file. Defaults: float32 weights, opset 17.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Store weights as float16 (half the file size); inputs, outputs and arithmetic stay float32.</summary>
    public bool HalfPrecisionWeights { get; init; }

    /// <summary>ONNX opset of the default domain (at least 17).</summary>
    public int Opset { get; init; } = 17;
}

/// <summary>What was written.</summary>
/// <param name="Path">The ONNX file.</param>
/// <param name="FileBytes">Its size.</param>
/// <param name="NodeCount">Graph nodes.</param>
/// <param name="InitializerCount">Stored tensors (weights and constants).</param>
/// <param name="HalfPrecisionWeights">Whether weights are float16.</param>
public sealed record OnnxExportSummary(string Path, long FileBytes, int NodeCount, int InitializerCount, bool HalfPrecisionWeights);

/// <summary>
/// Writes a <see cref="BuiltModel"/> as a self-describing ONNX model (DESIGN section 5): input <c>image</c> float32
/// [N,3,H,W] with a dynamic batch, outputs <c>screen_prob</c> [N], <c>not_document_prob</c> [N], <c>logits</c> and, for
/// three-output models, <c>probs</c> [N,3]; metadata_props from <see cref="ModelMetadata.ToProperties"/>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the input.</summary>
    public const string InputName = "image";

    /// <summary>Name of p(screen), shape [N].</summary>
    public const string ScreenProbabilityName = "screen_prob";

    /// <summary>Name of p(not_document), shape [N].</summary>
    public const string NotDocumentProbabilityName = "not_document_prob";

    /// <summary>Name of the raw logits: [N,4] two-headed (screen pair, not-document pair), [N,3] three-output.</summary>
    public const string LogitsName = "logits";

    /// <summary>Name of the three-way class probabilities [N,3] (three-output models only).</summary>
    public const string ProbabilitiesName = "probs";

    /// <summary>Builds the ONNX model in memory.</summary>
    public static ModelProto Build(BuiltModel model, ModelMetadata metadata, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (options.Opset < 17) throw new ArgumentOutOfRangeException(nameof(options), options.Opset, "ONNX export needs opset 17 or later");
        if (!metadata.Architecture.Equals(model.Architecture.Name, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"metadata says architecture '{metadata.Architecture}' but the model is '{model.Architecture.Name}'");
        var spec = metadata.Preprocessing;
        var builder = new OnnxGraphBuilder(options.HalfPrecisionWeights);
        var input = builder.AddInput(InputName, [null, 3, spec.Height, spec.Width]);
        string logits;
        using (no_grad())
        {
            logits = OnnxModuleEmitters.Emit(model.Network, input, new OnnxEmitScope(builder, ""));
        }
        logits = builder.AddNode("Identity", [logits], LogitsName);
        EmitProbabilities(builder, model.Architecture, logits);

        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "TwinHead",
            ProducerVersion = TwinHeadVersionInfo.Current,
            Domain = "ai.twinhead",
            ModelVersion = 1,
            DocString = $"TwinHead {metadata.Architecture} {metadata.Backbone} {spec.Width}x{spec.Height}",
            Graph = builder.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in metadata.ToProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static OnnxExportSummary Export(BuiltModel model, ModelMetadata metadata, string path, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        var proto = Build(model, metadata, options);
        var full = Path.GetFullPath(path);
        AtomicFile.Write(full, proto.WriteTo);
        return new OnnxExportSummary(full, new FileInfo(full).Length, proto.Graph.Node.Count, proto.Graph.Initializer.Count, options.HalfPrecisionWeights);
    }

    private static void EmitProbabilities(OnnxGraphBuilder b, Architecture architecture, string logits)
    {
        if (architecture == Architecture.TwoHeaded)
        {
            b.AddOutput(LogitsName, [null, 4]);
            // Each head is a softmax over its own pair of logits; the probability of the positive class is column 1.
            EmitHeadProbability(b, logits, 0, ScreenProbabilityName);
            EmitHeadProbability(b, logits, 1, NotDocumentProbabilityName);
        }
        else if (architecture == Architecture.ThreeOutput)
        {
            b.AddOutput(LogitsName, [null, DocumentClasses.Count]);
            var probs = b.AddNode("Softmax", [logits], ProbabilitiesName, OnnxGraphBuilder.Int("axis", 1));
            b.AddOutput(ProbabilitiesName, [null, DocumentClasses.Count]);
            b.AddNode("Gather", [probs, b.AddInt64Constant("screen_index", [(long)DocumentClass.Screen])], ScreenProbabilityName, OnnxGraphBuilder.Int("axis", 1));
            b.AddNode("Gather", [probs, b.AddInt64Constant("not_document_index", [(long)DocumentClass.NotDocument])], NotDocumentProbabilityName, OnnxGraphBuilder.Int("axis", 1));
        }
        else
        {
            throw new NotSupportedException($"ONNX export: architecture '{architecture.Name}' has no output definition");
        }
        b.AddOutput(ScreenProbabilityName, [null]);
        b.AddOutput(NotDocumentProbabilityName, [null]);
    }

    private static void EmitHeadProbability(OnnxGraphBuilder b, string logits, int head, string outputName)
    {
        var softmax = OnnxModuleEmitters.EmitHeadSoftmax(b, logits, head, "");
        b.AddNode("Gather", [softmax, b.AddInt64Constant($"head{head + 1}_positive", [1L])], outputName, OnnxGraphBuilder.Int("axis", 1));
    }
}
