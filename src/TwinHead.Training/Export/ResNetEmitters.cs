using TorchSharp.Modules;
using TwinHead.Training.Models;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Export;

/// <summary>
/// ONNX emitters for <see cref="ResNet18ImageNet"/>: the fixed input adapter (channel flip, scale, shift), convolutions with
/// BatchNorm folded in and their exact, possibly uneven pads, the max pool with its pads, residual additions and, for the
/// classifier, global pooling and <c>fc</c>.
/// </summary>
public static class ResNetEmitters
{
    private static int registered;

    /// <summary>Registers the emitters with <see cref="OnnxModuleEmitters"/> (once; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        OnnxModuleEmitters.Register(typeof(ResNet18ImageNet), EmitResNet);
        OnnxModuleEmitters.Register(typeof(ResNetBasicBlock), EmitBlock);
        OnnxModuleEmitters.Register(typeof(CaffeInputAdapter), EmitInputAdapter);
    }

    private static string EmitResNet(Module module, string input, OnnxEmitScope scope)
    {
        var network = (ResNet18ImageNet)module;
        var children = OnnxModuleEmitters.Children(module).ToDictionary(c => c.Name, c => c.Module);
        var b = scope.Builder;
        var x = scope.Emit("input_adapter", children["input_adapter"], input);
        x = ConvBn((Conv2d)children["conv1"], (BatchNorm2d)children["bn1"], network.StemPadding, x, scope.Child("conv1"));
        x = b.AddNode("Relu", [x], scope.Name("relu"));
        var pool = network.MaxPool;
        x = b.Pool("MaxPool", x, pool.Kernel, pool.Stride, pool.Pads.ToOnnx(), ceilMode: false, scope.Name("maxpool"));
        for (var i = 1; children.TryGetValue($"layer{i}", out var layer); i++) x = scope.Emit($"layer{i}", layer, x);
        if (children.TryGetValue("fc", out var fc)) x = scope.Emit("fc", fc, OnnxModuleEmitters.EmitGlobalMeanPool(x, scope.Child("pool")));
        return x;
    }

    private static string EmitBlock(Module module, string input, OnnxEmitScope scope)
    {
        var block = (ResNetBasicBlock)module;
        var children = OnnxModuleEmitters.Children(module).ToDictionary(c => c.Name, c => c.Module);
        var b = scope.Builder;
        var main = ConvBn((Conv2d)children["conv1"], (BatchNorm2d)children["bn1"], block.Conv1Padding, input, scope.Child("conv1"));
        main = b.AddNode("Relu", [main], scope.Name("relu1"));
        main = ConvBn((Conv2d)children["conv2"], (BatchNorm2d)children["bn2"], block.Conv2Padding, main, scope.Child("conv2"));
        var shortcut = input;
        if (children.TryGetValue("downsample", out var downsample))
        {
            var projection = OnnxModuleEmitters.Children(downsample).ToDictionary(c => c.Name, c => c.Module);
            shortcut = ConvBn((Conv2d)projection["0"], (BatchNorm2d)projection["1"], block.DownsamplePadding!, input, scope.Child("downsample"));
        }
        var sum = b.AddNode("Add", [main, shortcut], scope.Name("add"));
        return b.AddNode("Relu", [sum], scope.Name("relu"));
    }

    private static string EmitInputAdapter(Module module, string input, OnnxEmitScope scope)
    {
        var adapter = (CaffeInputAdapter)module;
        var b = scope.Builder;
        var bgr = b.AddNode("Gather", [input, b.AddInt64Constant(scope.Name("bgr_order"), [2L, 1L, 0L], 3)], scope.Name("bgr"), OnnxGraphBuilder.Int("axis", 1));
        // The adapter's constants stay float32 even with half-precision weights: 0-255 pixel offsets lose too much in float16.
        var scaled = b.AddNode("Mul", [bgr, b.AddFloatConstant(scope.Name("scale"), adapter.Scale, 1, 3, 1, 1)], scope.Name("scaled"));
        return b.AddNode("Add", [scaled, b.AddFloatConstant(scope.Name("shift"), adapter.Shift, 1, 3, 1, 1)], scope.Name("shifted"));
    }

    private static string ConvBn(Conv2d conv, BatchNorm2d batchNorm, ExplicitPadding padding, string input, OnnxEmitScope scope)
    {
        var folded = BatchNormFolding.Fold(conv, batchNorm);
        var b = scope.Builder;
        var weight = b.AddWeight(scope.Name("weight"), folded.Weight, conv.weight!.shape);
        var bias = folded.Bias is null ? null : b.AddWeight(scope.Name("bias"), folded.Bias, conv.out_channels);
        return b.Conv(input, weight, bias, conv.kernel_size, conv.stride, padding.ToOnnx(), conv.dilation, conv.groups, scope.Name("conv_bn"));
    }
}
