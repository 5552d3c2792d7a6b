using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using TwinHead.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Export;

/// <summary>Writes one module's computation into the graph: takes the name of its input value, returns the name of its output value.</summary>
/// <param name="module">The module (of the type the emitter was registered for), in eval mode.</param>
/// <param name="input">Name of the input value.</param>
/// <param name="scope">Where in the module tree the module sits, and the graph to write into.</param>
public delegate string ModuleEmitter(Module module, string input, OnnxEmitScope scope);

/// <summary>A module's place in the tree (its state-dict prefix) and the graph being built.</summary>
/// <param name="Builder">The graph.</param>
/// <param name="Path">State-dict prefix of the module, e.g. <c>base_model.stage2.0</c> (empty at the root).</param>
public sealed record OnnxEmitScope(OnnxGraphBuilder Builder, string Path)
{
    /// <summary>The scope of child <paramref name="name"/>.</summary>
    public OnnxEmitScope Child(string name) => this with { Path = Path.Length == 0 ? name : $"{Path}.{name}" };

    /// <summary>A value name hint under this module's path.</summary>
    public string Name(string suffix) => Path.Length == 0 ? suffix : $"{Path}.{suffix}";

    /// <summary>Emits child <paramref name="name"/> of the current module with its registered emitter.</summary>
    public string Emit(string name, Module child, string input) => OnnxModuleEmitters.Emit(child, input, Child(name));
}

/// <summary>
/// Emitters by module type. A new backbone registers an emitter for each module type it introduces; layers shared by
/// every CNN (Sequential, Conv2d with BatchNorm folded in, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Linear) are built in.
/// </summary>
public static class OnnxModuleEmitters
{
    private static readonly Dictionary<Type, ModuleEmitter> Emitters = new()
    {
        [typeof(Sequential)] = EmitSequential,
        [typeof(Conv2d)] = (m, x, s) => EmitConv((Conv2d)m, null, x, s),
        [typeof(BatchNorm2d)] = EmitBatchNorm,
        [typeof(ReLU)] = (_, x, s) => s.Builder.AddNode("Relu", [x], s.Name("relu")),
        [typeof(MaxPool2d)] = EmitMaxPool,
        [typeof(AvgPool2d)] = EmitAvgPool,
        [typeof(Linear)] = EmitLinear,
        [typeof(ShuffleUnit)] = EmitShuffleUnit,
        [typeof(ShuffleNetV2)] = EmitShuffleNetV2,
        [typeof(TwoHeadedNetwork)] = EmitTwoHeaded,
    };

    /// <summary>Registers (or replaces) the emitter of <paramref name="moduleType"/>.</summary>
    public static void Register(Type moduleType, ModuleEmitter emitter)
    {
        lock (Emitters) Emitters[moduleType] = emitter;
    }

    /// <summary>Emits <paramref name="module"/>; throws naming the module when its type has no emitter.</summary>
    public static string Emit(Module module, string input, OnnxEmitScope scope)
    {
        ModuleEmitter? emitter;
        lock (Emitters) Emitters.TryGetValue(module.GetType(), out emitter);
        if (emitter is null)
            throw new NotSupportedException($"ONNX export: no emitter for module '{scope.Path}' of type {module.GetType().Name}; register one with {nameof(OnnxModuleEmitters)}.{nameof(Register)}");
        return emitter(module, input, scope);
    }

    /// <summary>Children in registration order, with their names.</summary>
    public static IReadOnlyList<(string Name, Module Module)> Children(Module module) =>
        module.named_children().Select(c => (c.name, (Module)c.module)).ToArray();

    /// <summary>Emits children one after the other; a Conv2d directly followed by a BatchNorm2d becomes one Conv with the BN folded in.</summary>
    public static string EmitSequential(Module module, string input, OnnxEmitScope scope)
    {
        var children = Children(module);
        var x = input;
        for (var i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            if (child is Conv2d conv && i + 1 < children.Count && children[i + 1].Module is BatchNorm2d bn)
            {
                x = EmitConv(conv, bn, x, scope.Child(name));
                i++;
            }
            else
            {
                x = scope.Emit(name, child, x);
            }
        }
        return x;
    }

    /// <summary>A convolution, with <paramref name="batchNorm"/> (if any) folded into its weight and bias.</summary>
    public static string EmitConv(Conv2d conv, BatchNorm2d? batchNorm, string input, OnnxEmitScope scope)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"ONNX export: conv '{scope.Path}' uses padding mode {conv.padding_mode}; only zero padding is supported");
        if (conv.padding_type is not null && conv.padding_type != Padding.Valid)
            throw new NotSupportedException($"ONNX export: conv '{scope.Path}' uses 'same' padding; give explicit padding");
        var folded = BatchNormFolding.Fold(conv, batchNorm);
        var b = scope.Builder;
        var weight = b.AddWeight(scope.Name("weight"), folded.Weight, conv.weight!.shape);
        var bias = folded.Bias is null ? null : b.AddWeight(scope.Name("bias"), folded.Bias, conv.out_channels);
        var padding = conv.padding ?? [0, 0];
        return b.Conv(input, weight, bias, conv.kernel_size, conv.stride, [padding[0], padding[1], padding[0], padding[1]],
            conv.dilation, conv.groups, scope.Name(batchNorm is null ? "conv" : "conv_bn"));
    }

    private static string EmitBatchNorm(Module module, string input, OnnxEmitScope scope)
    {
        var bn = (BatchNorm2d)module;
        var (scale, shift) = BatchNormFolding.ScaleAndShift(bn);
        var b = scope.Builder;
        // A lone BN is an affine map per channel; running mean 0 and variance 1 make BatchNormalization apply exactly it.
        var channels = bn.num_features;
        return b.AddNode("BatchNormalization",
            [input, b.AddWeight(scope.Name("scale"), scale, channels), b.AddWeight(scope.Name("shift"), shift, channels),
             b.AddFloatConstant(scope.Name("zero_mean"), new float[channels], channels),
             b.AddFloatConstant(scope.Name("unit_var"), Enumerable.Repeat(1f, (int)channels).ToArray(), channels)],
            scope.Name("bn"), OnnxGraphBuilder.Float("epsilon", 0f));
    }

    private static string EmitMaxPool(Module module, string input, OnnxEmitScope scope)
    {
        var pool = (MaxPool2d)module;
        if (pool.dilation is { } d && d.Any(v => v != 1))
            throw new NotSupportedException($"ONNX export: max pool '{scope.Path}' uses dilation; not supported");
        var p = Pair(pool.padding ?? [0]);
        return scope.Builder.Pool("MaxPool", input, Pair(pool.kernel_size), Pair(pool.stride ?? pool.kernel_size), [p[0], p[1], p[0], p[1]],
            pool.ceil_mode, scope.Name("maxpool"));
    }

    private static string EmitAvgPool(Module module, string input, OnnxEmitScope scope)
    {
        var pool = (AvgPool2d)module;
        if (pool.divisor_override is not null)
            throw new NotSupportedException($"ONNX export: average pool '{scope.Path}' uses divisor_override; not supported");
        var p = Pair(pool.padding ?? [0]);
        return scope.Builder.Pool("AveragePool", input, Pair(pool.kernel_size), Pair(pool.stride ?? pool.kernel_size), [p[0], p[1], p[0], p[1]],
            pool.ceil_mode, scope.Name("avgpool"), pool.count_include_pad);
    }

    private static string EmitLinear(Module module, string input, OnnxEmitScope scope)
    {
        var linear = (Linear)module;
        var b = scope.Builder;
        var weight = b.AddWeight(scope.Name("weight"), BatchNormFolding.ToFloats(linear.weight!), linear.out_features, linear.in_features);
        var inputs = new List<string> { input, weight };
        if (linear.bias is { } bias) inputs.Add(b.AddWeight(scope.Name("bias"), BatchNormFolding.ToFloats(bias), linear.out_features));
        return b.AddNode("Gemm", inputs, scope.Name("gemm"), OnnxGraphBuilder.Int("transB", 1));
    }

    /// <summary>Global mean over H and W, flattened to (N, C): the pooling before every classifier.</summary>
    public static string EmitGlobalMeanPool(string input, OnnxEmitScope scope)
    {
        var pooled = scope.Builder.AddNode("GlobalAveragePool", [input], scope.Name("gap"));
        return scope.Builder.AddNode("Flatten", [pooled], scope.Name("flat"), OnnxGraphBuilder.Int("axis", 1));
    }

    private static string EmitShuffleUnit(Module module, string input, OnnxEmitScope scope)
    {
        var children = Children(module).ToDictionary(c => c.Name, c => c.Module);
        var branch1 = children["branch1"];
        var branch2 = children["branch2"];
        var b = scope.Builder;
        string joined;
        // A stride-1 unit has an empty branch1: it splits the channels in half and transforms only the second half.
        if (!branch1.named_children().Any())
        {
            var halves = b.AddNode("Split", [input], [scope.Name("half0"), scope.Name("half1")], OnnxGraphBuilder.Int("axis", 1));
            joined = b.AddNode("Concat", [halves[0], scope.Emit("branch2", branch2, halves[1])], scope.Name("cat"), OnnxGraphBuilder.Int("axis", 1));
        }
        else
        {
            joined = b.AddNode("Concat", [scope.Emit("branch1", branch1, input), scope.Emit("branch2", branch2, input)], scope.Name("cat"), OnnxGraphBuilder.Int("axis", 1));
        }
        var channels = OutputChannels(branch2) * 2;
        return EmitChannelShuffle(joined, channels, 2, scope);
    }

    /// <summary>
    /// Channel shuffle as one Gather over the channel axis: output channel j takes input channel (j mod g)·(C/g) + j div g,
    /// which is what view(N, g, C/g, H, W).transpose(1, 2) does, without fixing the batch or spatial size in Reshape shapes.
    /// </summary>
    public static string EmitChannelShuffle(string input, long channels, long groups, OnnxEmitScope scope)
    {
        var perGroup = channels / groups;
        var order = new long[channels];
        for (long j = 0; j < channels; j++) order[j] = (j % groups) * perGroup + j / groups;
        var indices = scope.Builder.AddInt64Constant(scope.Name("shuffle_order"), order, channels);
        return scope.Builder.AddNode("Gather", [input, indices], scope.Name("shuffle"), OnnxGraphBuilder.Int("axis", 1));
    }

    private static string EmitShuffleNetV2(Module module, string input, OnnxEmitScope scope)
    {
        var x = input;
        Module? conv5 = null;
        foreach (var (name, child) in Children(module))
        {
            switch (name)
            {
                case "conv5":
                    conv5 = child;
                    x = EmitGlobalMeanPool(scope.Emit(name, child, x), scope.Child(name));
                    break;
                case "fc":
                    if (conv5 is null) throw new NotSupportedException($"ONNX export: '{scope.Path}' has fc without conv5");
                    x = scope.Emit(name, child, x);
                    break;
                default:
                    x = scope.Emit(name, child, x);
                    break;
            }
        }
        return x;
    }

    private static string EmitTwoHeaded(Module module, string input, OnnxEmitScope scope)
    {
        var children = Children(module).ToDictionary(c => c.Name, c => c.Module);
        var b = scope.Builder;
        var full = EmitHeads(children, "", scope.Emit("base_model", children["base_model"], input), scope);
        if (!children.ContainsKey("coarse_fc1")) return full;

        // The coarse view: the same trunk on the input averaged over 2x2 blocks. Its weights have the same names and values
        // as the first pass's, so the builder stores them once.
        var halved = b.Pool("AveragePool", input, [2, 2], [2, 2], [0, 0, 0, 0], false, scope.Name("coarse_input"));
        var coarse = EmitHeads(children, "coarse_", scope.Emit("base_model", children["base_model"], halved), scope);
        var half = b.AddFloatConstant(scope.Name("half"), [0.5f], 1);
        var heads = new string[2];
        for (var head = 0; head < 2; head++)
        {
            var mean = b.AddNode("Mul", [b.AddNode("Add", [EmitHeadSoftmax(b, full, head, "full_"), EmitHeadSoftmax(b, coarse, head, "coarse_")], $"head{head + 1}_sum"), half],
                $"head{head + 1}_mean");
            heads[head] = b.AddNode("Log", [mean], $"head{head + 1}_log_mean");
        }
        return b.AddNode("Concat", heads, scope.Name("fused_logits"), OnnxGraphBuilder.Int("axis", 1));
    }

    /// <summary>Both heads of one view (<paramref name="prefix"/> "" or "coarse_") on a trunk map: logits (N, 4).</summary>
    private static string EmitHeads(Dictionary<string, Module> children, string prefix, string features, OnnxEmitScope scope)
    {
        string screen, notDocument;
        if (children.TryGetValue(prefix + "head_conv", out var shared))
        {
            var pooled = EmitGlobalMeanPool(scope.Emit(prefix + "head_conv", shared, features), scope.Child(prefix + "head_conv"));
            screen = scope.Emit(prefix + "fc1", children[prefix + "fc1"], pooled);
            notDocument = scope.Emit(prefix + "fc2", children[prefix + "fc2"], pooled);
        }
        else
        {
            screen = scope.Emit(prefix + "fc1", children[prefix + "fc1"],
                EmitGlobalMeanPool(scope.Emit(prefix + "head1_conv", children[prefix + "head1_conv"], features), scope.Child(prefix + "head1_conv")));
            notDocument = scope.Emit(prefix + "fc2", children[prefix + "fc2"],
                EmitGlobalMeanPool(scope.Emit(prefix + "head2_conv", children[prefix + "head2_conv"], features), scope.Child(prefix + "head2_conv")));
        }
        return scope.Builder.AddNode("Concat", [screen, notDocument], scope.Name(prefix + "logits"), OnnxGraphBuilder.Int("axis", 1));
    }

    /// <summary>
    /// Softmax (N, 2) over head <paramref name="head"/>'s pair of columns of two-headed <paramref name="logits"/> (N, 4);
    /// value names start with <paramref name="prefix"/>.
    /// </summary>
    public static string EmitHeadSoftmax(OnnxGraphBuilder b, string logits, int head, string prefix)
    {
        var pair = b.AddNode("Slice",
            [logits, b.AddInt64Constant($"{prefix}head{head + 1}_start", [2L * head], 1), b.AddInt64Constant($"{prefix}head{head + 1}_end", [2L * head + 2], 1),
                b.AddInt64Constant($"{prefix}head{head + 1}_axis", [1L], 1)],
            $"{prefix}head{head + 1}_logits");
        return b.AddNode("Softmax", [pair], $"{prefix}head{head + 1}_softmax", OnnxGraphBuilder.Int("axis", 1));
    }

    private static long OutputChannels(Module sequential)
    {
        var last = Children(sequential).Select(c => c.Module).OfType<Conv2d>().LastOrDefault()
            ?? throw new NotSupportedException("ONNX export: a ShuffleNetV2 branch has no convolution");
        return last.out_channels;
    }

    private static long[] Pair(long[] values) => values.Length switch
    {
        1 => [values[0], values[0]],
        2 => values,
        _ => throw new NotSupportedException($"ONNX export: expected 1 or 2 values, got [{string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]"),
    };
}
