using System.Runtime.InteropServices;
using Onnx;

namespace TwinHead.Training.Models;

/// <summary>
/// Where the ImageNet ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 lies on this machine. The files
/// are taken from the package folder NuGet restored (never downloaded at run time): <c>tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>
/// and <c>tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c>.
/// </summary>
/// <param name="NetworkPath">ResNet18.onnx: the network (CNTK 2.6 export, input BGR 0-255 minus a mean image).</param>
/// <param name="PreprocessPath">ResNetPreprocess.onnx: the input convention (channel flip and the mean image).</param>
public sealed record ResNet18Files(string NetworkPath, string PreprocessPath)
{
    /// <summary>NuGet package id.</summary>
    public const string PackageId = "microsoft.ml.dnnimagefeaturizer.resnet18";

    /// <summary>Package version (pinned in Directory.Packages.props).</summary>
    public const string PackageVersion = "0.23.1";

    /// <summary>Environment variable naming ResNet18.onnx explicitly (its ResNetPreprocess.onnx is looked up beside it or in the package layout).</summary>
    public const string PathVariable = "TWINHEAD_RESNET18_ONNX";

    /// <summary>
    /// Finds the files: <paramref name="explicitNetworkPath"/> when given, else the <see cref="PathVariable"/> environment
    /// variable, else the NuGet package folder (<c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>). Throws
    /// <see cref="FileNotFoundException"/> naming every place looked at.
    /// </summary>
    public static ResNet18Files Locate(string? explicitNetworkPath = null)
    {
        var network = explicitNetworkPath ?? Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(network))
        {
            if (!File.Exists(network)) throw new FileNotFoundException($"ResNet18 ONNX file '{network}' does not exist", network);
            var folder = Path.GetDirectoryName(Path.GetFullPath(network))!;
            string[] candidates = [Path.Combine(folder, "ResNetPreprocess.onnx"), Path.Combine(folder, "..", "ResNetPrepOnnx", "ResNetPreprocess.onnx")];
            var preprocess = candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"ResNetPreprocess.onnx not found next to '{network}'; looked at {string.Join(", ", candidates)}");
            return new ResNet18Files(Path.GetFullPath(network), Path.GetFullPath(preprocess));
        }
        var package = Path.Combine(PackageRoot(), PackageId, PackageVersion, "tools", "DnnImageModels");
        var files = new ResNet18Files(Path.Combine(package, "ResNet18Onnx", "ResNet18.onnx"), Path.Combine(package, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        foreach (var path in new[] { files.NetworkPath, files.PreprocessPath })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"'{path}' not found: restore the solution (the package {PackageId} {PackageVersion} is referenced by TwinHead.Training) " +
                    $"or set {PathVariable} to a ResNet18.onnx", path);
        }
        return files;
    }

    /// <summary>The NuGet global packages folder: <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>.</summary>
    public static string PackageRoot()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
    }
}

/// <summary>BatchNormalization parameters as read from the graph.</summary>
/// <param name="Scale">γ.</param>
/// <param name="Bias">β.</param>
/// <param name="Mean">Running mean.</param>
/// <param name="Variance">Running variance.</param>
/// <param name="Epsilon">ε.</param>
public sealed record ImportedBatchNorm(float[] Scale, float[] Bias, float[] Mean, float[] Variance, double Epsilon);

/// <summary>A convolution followed by its BatchNormalization, with the exact ONNX padding.</summary>
/// <param name="Node">Name of the ONNX Conv node (for error messages).</param>
/// <param name="Weight">Kernel, shape [out, in, kh, kw] flattened.</param>
/// <param name="Shape">[out, in, kh, kw].</param>
/// <param name="Bias">Conv bias, when the graph has one.</param>
/// <param name="Stride">Strides (h, w).</param>
/// <param name="Pads">Pads in ONNX order.</param>
/// <param name="BatchNorm">The following BatchNormalization.</param>
public sealed record ImportedConv(string Node, float[] Weight, long[] Shape, float[]? Bias, long[] Stride, ExplicitPadding Pads, ImportedBatchNorm BatchNorm)
{
    /// <summary>Output channels.</summary>
    public long OutChannels => Shape[0];

    /// <summary>Input channels.</summary>
    public long InChannels => Shape[1];
}

/// <summary>A basic residual block: conv-BN-ReLU-conv-BN on the main path, an optional conv-BN projection on the shortcut, add, ReLU.</summary>
/// <param name="Conv1">First main-path conv.</param>
/// <param name="Conv2">Second main-path conv.</param>
/// <param name="Downsample">Projection shortcut, or null for the identity.</param>
public sealed record ImportedBlock(ImportedConv Conv1, ImportedConv Conv2, ImportedConv? Downsample);

/// <summary>Max pooling with exact ONNX padding.</summary>
/// <param name="Kernel">Kernel (h, w).</param>
/// <param name="Stride">Strides (h, w).</param>
/// <param name="Pads">Pads in ONNX order.</param>
public sealed record ImportedMaxPool(long[] Kernel, long[] Stride, ExplicitPadding Pads);

/// <summary>
/// The ResNet read from an ONNX graph: stem conv, max pool, residual blocks grouped into stages (a stage starts at each block
/// with a projection shortcut), and the input convention's per-channel mean (BGR order).
/// </summary>
/// <param name="Stem">First conv (+BN, ReLU).</param>
/// <param name="MaxPool">The pool after the stem.</param>
/// <param name="Stages">Blocks per stage.</param>
/// <param name="BgrMean">Per-channel mean (B, G, R) of the network's 0-255 input, from the preprocessing graph's mean image.</param>
public sealed record ImportedResNet(ImportedConv Stem, ImportedMaxPool MaxPool, IReadOnlyList<IReadOnlyList<ImportedBlock>> Stages, float[] BgrMean)
{
    /// <summary>Channels of the last block's output.</summary>
    public long OutputChannels => Stages[^1][^1].Conv2.OutChannels;

    /// <summary>The network cut after its first <paramref name="count"/> stages (weights shared, not copied).</summary>
    public ImportedResNet FirstStages(int count)
    {
        if (count < 1 || count > Stages.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the network has {Stages.Count} stages");
        return this with { Stages = Stages.Take(count).ToList() };
    }
}

/// <summary>
/// Reads a CNTK-exported ResNet (Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool) by walking its graph from the input:
/// every node must belong to the recognised pattern, so an unexpected graph fails with the node's name instead of importing wrongly.
/// </summary>
public static class ResNetOnnxImport
{
    /// <summary>Imports the network and the per-channel means of the preprocessing graph's mean image.</summary>
    public static ImportedResNet Read(ResNet18Files files)
    {
        var network = Parse(files.NetworkPath);
        return ReadGraph(network.Graph, files.NetworkPath, ReadBgrMean(files.PreprocessPath));
    }

    /// <summary>
    /// The per-channel mean (B, G, R) of <c>MeanImage</c> in ResNetPreprocess.onnx. The network is used at any input size,
    /// so the 224x224 mean image is reduced to its channel means (it varies by only a few grey levels across the image).
    /// </summary>
    public static float[] ReadBgrMean(string preprocessPath)
    {
        var graph = Parse(preprocessPath).Graph;
        var subtract = graph.Node.FirstOrDefault(n => n.OpType == "Sub")
            ?? throw new InvalidDataException($"{preprocessPath}: no Sub node; expected the mean image subtraction");
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var mean = subtract.Input.Select(i => initializers.GetValueOrDefault(i)).FirstOrDefault(t => t is not null)
            ?? throw new InvalidDataException($"{preprocessPath}: the Sub node '{subtract.Name}' subtracts no stored mean image");
        var values = Floats(mean, preprocessPath);
        if (mean.Dims.Count != 4 || mean.Dims[1] != 3)
            throw new InvalidDataException($"{preprocessPath}: mean image '{mean.Name}' has shape [{string.Join(",", mean.Dims)}], expected [1,3,H,W]");
        var plane = (int)(mean.Dims[2] * mean.Dims[3]);
        return [.. Enumerable.Range(0, 3).Select(c => (float)values.AsSpan(c * plane, plane).ToArray().Average(v => (double)v))];
    }

    /// <summary>Walks <paramref name="graph"/> from its single non-initializer input; <paramref name="source"/> names the file in errors.</summary>
    public static ImportedResNet ReadGraph(GraphProto graph, string source, float[] bgrMean)
    {
        var walker = new GraphWalker(graph, source);
        var x = walker.Input;
        var stem = walker.ReadConvBn(walker.Single(x, "Conv"), out x);
        x = walker.Expect(walker.Single(x, "Relu"));
        var poolNode = walker.Single(x, "MaxPool");
        var pool = new ImportedMaxPool(walker.Ints(poolNode, "kernel_shape"), walker.Ints(poolNode, "strides", [1, 1]), walker.Pads(poolNode));
        x = walker.Expect(poolNode);

        var stages = new List<List<ImportedBlock>>();
        while (true)
        {
            var consumers = walker.Consumers(x);
            if (consumers.Count == 1 && consumers[0].OpType == "AveragePool")
            {
                // The final global pool is not part of the trunk (the heads pool themselves); it must end the graph.
                var average = consumers[0];
                walker.Expect(average);
                if (!graph.Output.Any(o => o.Name == average.Output[0]))
                    throw walker.Error(average, "the average pool is not the graph output");
                break;
            }
            var block = walker.ReadBlock(x, out x);
            if (stages.Count == 0 || block.Downsample is not null) stages.Add([]);
            stages[^1].Add(block);
        }
        walker.CheckAllVisited();
        if (stages.Count == 0) throw new InvalidDataException($"{source}: no residual blocks found");
        return new ImportedResNet(stem, pool, [.. stages.Select(s => (IReadOnlyList<ImportedBlock>)s)], bgrMean);
    }

    private static ModelProto Parse(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file '{path}' does not exist", path);
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({e.Message})", e);
        }
    }

    private static float[] Floats(TensorProto tensor, string source)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"{source}: initializer '{tensor.Name}' has data type {tensor.DataType}, expected float32");
        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
    }

    /// <summary>Follows values through the graph and records which nodes the import consumed.</summary>
    private sealed class GraphWalker
    {
        private readonly GraphProto graph;
        private readonly string source;
        private readonly Dictionary<string, TensorProto> initializers;
        private readonly ILookup<string, NodeProto> consumers;
        private readonly HashSet<NodeProto> visited = [];

        public GraphWalker(GraphProto graph, string source)
        {
            this.graph = graph;
            this.source = source;
            initializers = graph.Initializer.ToDictionary(i => i.Name);
            consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
            var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToArray();
            if (inputs.Length != 1) throw new InvalidDataException($"{source}: expected one image input, found {inputs.Length}");
            Input = inputs[0].Name;
        }

        public string Input { get; }

        public IReadOnlyList<NodeProto> Consumers(string value) => consumers[value].Distinct().ToArray();

        public NodeProto Single(string value, string opType)
        {
            var next = Consumers(value);
            if (next.Count != 1 || next[0].OpType != opType)
                throw new InvalidDataException($"{source}: value '{value}' should feed one {opType} node, it feeds [{string.Join(", ", next.Select(n => $"{n.OpType} {n.Name}"))}]");
            return next[0];
        }

        /// <summary>Marks <paramref name="node"/> consumed and returns its (single) output.</summary>
        public string Expect(NodeProto node)
        {
            if (!visited.Add(node)) throw Error(node, "reached twice");
            return node.Output[0];
        }

        public ImportedConv ReadConvBn(NodeProto conv, out string output)
        {
            Expect(conv);
            var weight = Initializer(conv, 1);
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? Floats(Initializer(conv, 2), source) : null;
            if (Ints(conv, "dilations", [1, 1]).Any(d => d != 1)) throw Error(conv, "dilated convolutions are not supported");
            if (Ints(conv, "group", [1])[0] != 1) throw Error(conv, "grouped convolutions are not supported");
            if (Attribute(conv, "auto_pad") is { } autoPad && autoPad.S.ToStringUtf8() is { Length: > 0 } mode && mode != "NOTSET")
                throw Error(conv, $"auto_pad {mode} is not supported");
            var bnNode = Single(conv.Output[0], "BatchNormalization");
            Expect(bnNode);
            var epsilon = Attribute(bnNode, "epsilon")?.F ?? 1e-5f;
            var bn = new ImportedBatchNorm(Floats(Initializer(bnNode, 1), source), Floats(Initializer(bnNode, 2), source),
                Floats(Initializer(bnNode, 3), source), Floats(Initializer(bnNode, 4), source), epsilon);
            output = bnNode.Output[0];
            return new ImportedConv(conv.Name, Floats(weight, source), [.. weight.Dims], bias, Ints(conv, "strides", [1, 1]), Pads(conv), bn);
        }

        public ImportedBlock ReadBlock(string input, out string output)
        {
            var next = Consumers(input);
            var convs = next.Where(n => n.OpType == "Conv").ToArray();
            var identityAdd = next.FirstOrDefault(n => n.OpType == "Add");
            if (next.Count != 2 || (convs.Length == 1) != (identityAdd is not null))
                throw new InvalidDataException($"{source}: value '{input}' should start a residual block (a conv plus a shortcut), it feeds [{string.Join(", ", next.Select(n => $"{n.OpType} {n.Name}"))}]");
            // The main path is the conv whose BN output feeds a ReLU; a projection shortcut's BN output feeds the Add directly.
            ImportedConv? conv1 = null, downsample = null;
            string? mainValue = null, shortcutValue = identityAdd is null ? null : input;
            foreach (var conv in convs)
            {
                var imported = ReadConvBn(conv, out var value);
                if (Consumers(value) is [{ OpType: "Relu" }]) (conv1, mainValue) = (imported, value);
                else (downsample, shortcutValue) = (imported, value);
            }
            if (conv1 is null || mainValue is null || shortcutValue is null)
                throw new InvalidDataException($"{source}: block at '{input}' has no recognisable main path and shortcut");
            var relu = Expect(Single(mainValue, "Relu"));
            var conv2 = ReadConvBn(Single(relu, "Conv"), out var mainOut);
            var add = Single(mainOut, "Add");
            if (!add.Input.Contains(shortcutValue)) throw Error(add, $"adds '{string.Join(", ", add.Input)}', expected the shortcut '{shortcutValue}'");
            var sum = Expect(add);
            output = Expect(Single(sum, "Relu"));
            return new ImportedBlock(conv1, conv2, downsample);
        }

        public ExplicitPadding Pads(NodeProto node)
        {
            var pads = Ints(node, "pads", [0, 0, 0, 0]);
            if (pads.Length != 4) throw Error(node, $"pads has {pads.Length} values, expected 4");
            return new ExplicitPadding(pads[0], pads[1], pads[2], pads[3]);
        }

        public long[] Ints(NodeProto node, string name, long[]? fallback = null)
        {
            var attribute = Attribute(node, name);
            if (attribute is null) return fallback ?? throw Error(node, $"attribute '{name}' is missing");
            return attribute.Ints.Count > 0 ? [.. attribute.Ints] : [attribute.I];
        }

        public void CheckAllVisited()
        {
            var missed = graph.Node.Where(n => !visited.Contains(n)).ToArray();
            if (missed.Length > 0)
                throw new InvalidDataException($"{source}: the import did not account for {missed.Length} node(s): {string.Join(", ", missed.Take(5).Select(n => $"{n.OpType} {n.Name}"))}");
        }

        public InvalidDataException Error(NodeProto node, string problem) => new($"{source}: node {node.OpType} '{node.Name}': {problem}");

        private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

        private TensorProto Initializer(NodeProto node, int index) =>
            index < node.Input.Count && initializers.TryGetValue(node.Input[index], out var tensor)
                ? tensor
                : throw Error(node, $"input {index} is not a stored weight");
    }
}
