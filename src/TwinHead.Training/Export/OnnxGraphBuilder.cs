using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace TwinHead.Training.Export;

/// <summary>
/// Builds an ONNX graph node by node: unique value names, float32 initializers (optionally stored as float16 behind a
/// Cast, so the graph still computes in float32) and typed helpers for the operators our emitters need.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (float[] Values, long[] Dims, string Value)> weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long[] Values, long[] Dims, string Value)> integers = new(StringComparer.Ordinal);

    /// <summary>A builder whose initializers are stored as float16 when <paramref name="halfPrecisionWeights"/> is set.</summary>
    public OnnxGraphBuilder(bool halfPrecisionWeights = false)
    {
        HalfPrecisionWeights = halfPrecisionWeights;
    }

    /// <summary>Whether float weights are stored as float16.</summary>
    public bool HalfPrecisionWeights { get; }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new() { Name = "twinhead" };

    /// <summary>A value name not used yet, derived from <paramref name="hint"/>.</summary>
    public string UniqueName(string hint)
    {
        var name = hint;
        for (var i = 1; !names.Add(name); i++) name = $"{hint}_{i}";
        return name;
    }

    /// <summary>Declares a float32 graph input with the given dimensions (null entries become the symbolic <paramref name="dynamicName"/>).</summary>
    public string AddInput(string name, long?[] dims, string dynamicName = "batch")
    {
        names.Add(name);
        Graph.Input.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims, dynamicName));
        return name;
    }

    /// <summary>Declares a graph output of <paramref name="elementType"/> with the given dimensions.</summary>
    public void AddOutput(string name, long?[] dims, TensorProto.Types.DataType elementType = TensorProto.Types.DataType.Float, string dynamicName = "batch") =>
        Graph.Output.Add(ValueInfo(name, elementType, dims, dynamicName));

    /// <summary>
    /// Adds a float weight. In half-precision mode the initializer is float16 and a Cast node restores float32,
    /// so inputs, outputs and arithmetic stay float32 and only the file shrinks.
    /// </summary>
    /// <remarks>A weight added again under the same name with the same shape and values (a module emitted twice, as the
    /// trunk of a model with a coarse view is) is stored once: the earlier value is returned.</remarks>
    public string AddWeight(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckElementCount(name, values.Length, dims);
        if (Known(name, values, dims) is { } known) return known;
        string value;
        if (!HalfPrecisionWeights)
        {
            value = AddFloatConstant(name, values, dims);
        }
        else
        {
            var halves = new ushort[values.Length];
            for (var i = 0; i < values.Length; i++) halves[i] = BitConverter.HalfToUInt16Bits((Half)values[i]);
            var stored = UniqueName(name + "_fp16");
            Graph.Initializer.Add(Tensor(stored, TensorProto.Types.DataType.Float16, MemoryMarshal.AsBytes(halves.AsSpan()), dims));
            value = AddNode("Cast", [stored], name, [Int("to", (long)TensorProto.Types.DataType.Float)]);
        }
        weights.TryAdd(name, (values.ToArray(), dims, value));
        return value;
    }

    /// <summary>Adds a float32 constant that is never stored as float16 (e.g. a value whose precision matters).</summary>
    /// <remarks>Added again under the same name with the same shape and values, the constant is stored once (see <see cref="AddWeight"/>).</remarks>
    public string AddFloatConstant(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckElementCount(name, values.Length, dims);
        if (Known(name, values, dims) is { } known) return known;
        var unique = UniqueName(name);
        Graph.Initializer.Add(Tensor(unique, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims));
        weights.TryAdd(name, (values.ToArray(), dims, unique));
        return unique;
    }

    private string? Known(string name, ReadOnlySpan<float> values, long[] dims) =>
        weights.TryGetValue(name, out var known) && known.Dims.SequenceEqual(dims) && values.SequenceEqual(known.Values) ? known.Value : null;

    /// <summary>Adds an int64 constant (shapes, indices, slice bounds).</summary>
    /// <remarks>Added again under the same name with the same shape and values, the constant is stored once.</remarks>
    public string AddInt64Constant(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        CheckElementCount(name, values.Length, dims);
        if (integers.TryGetValue(name, out var known) && known.Dims.SequenceEqual(dims) && values.SequenceEqual(known.Values)) return known.Value;
        var unique = UniqueName(name);
        Graph.Initializer.Add(Tensor(unique, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims));
        integers.TryAdd(name, (values.ToArray(), dims, unique));
        return unique;
    }

    /// <summary>Adds a node with one output named after <paramref name="outputHint"/>; returns the output's name.</summary>
    public string AddNode(string opType, IEnumerable<string> inputs, string outputHint, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, [outputHint], attributes)[0];

    /// <summary>Adds a node with several outputs; returns their names.</summary>
    public string[] AddNode(string opType, IEnumerable<string> inputs, string[] outputHints, params AttributeProto[] attributes)
    {
        var outputs = outputHints.Select(UniqueName).ToArray();
        var node = new NodeProto { OpType = opType, Name = UniqueName("node:" + outputs[0]) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    /// <summary>
    /// A 2-D convolution. <paramref name="pads"/> is ONNX order (top, left, bottom, right) and may be uneven;
    /// <paramref name="bias"/> may be null.
    /// </summary>
    public string Conv(string input, string weight, string? bias, long[] kernel, long[] strides, long[] pads, long[] dilations, long groups, string outputHint)
    {
        var inputs = bias is null ? new[] { input, weight } : [input, weight, bias];
        return AddNode("Conv", inputs, outputHint,
            Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads), Ints("dilations", dilations), Int("group", groups));
    }

    /// <summary>MaxPool or AveragePool with explicit (possibly uneven) ONNX pads.</summary>
    public string Pool(string opType, string input, long[] kernel, long[] strides, long[] pads, bool ceilMode, string outputHint, bool countIncludePad = false)
    {
        var attributes = new List<AttributeProto> { Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads), Int("ceil_mode", ceilMode ? 1 : 0) };
        if (opType == "AveragePool") attributes.Add(Int("count_include_pad", countIncludePad ? 1 : 0));
        return AddNode(opType, [input], outputHint, [.. attributes]);
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long?[] dims, string dynamicName)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = dynamicName });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void CheckElementCount(string name, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count) throw new ArgumentException($"initializer '{name}': {count} values do not fill shape [{string.Join(",", dims)}]");
    }
}
