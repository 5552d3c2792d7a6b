using TorchSharp.Modules;
using TwinHead.Core.Labels;
using TwinHead.Core.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Models;

/// <summary>
/// The ImageNet-pretrained ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18, imported from its ONNX graph into a trainable
/// module. It takes TwinHead's input (RGB, ImageNet mean/std) and converts it with a fixed <see cref="CaffeInputAdapter"/>
/// (<c>input_adapter</c>) to the CNTK network's own convention. State-dict names follow torchvision (<c>conv1</c>, <c>bn1</c>,
/// <c>layer1.0.conv1</c>, ..., <c>fc</c>), although the layout differs (layer4 has three blocks, uneven pads).
/// Without classes, forward returns the feature map before the final pooling (the trunk, 512 channels); with classes, it pools
/// and applies <c>fc</c>.
/// </summary>
public sealed class ResNet18ImageNet : Module<Tensor, Tensor>, IStagedTrunk
{
    /// <summary>Registry name of this backbone.</summary>
    public const string BackboneName = "resnet18-imagenet";

    /// <summary>
    /// Registry name of the same network cut after <c>layer3</c> (256 channels at stride 16): 2.8 M of the trunk's 15.9 M
    /// parameters (this export's layer4 has three blocks). Its features are less specific to ImageNet's classes than the
    /// last stage's, and transferred better from generated images to real photos (docs/model-zoo.md, session 23).
    /// </summary>
    public const string Layer3BackboneName = "resnet18-imagenet-layer3";

    /// <summary>Registry name of the network cut after <c>layer2</c> (128 channels at stride 8; 0.7 M parameters).</summary>
    public const string Layer2BackboneName = "resnet18-imagenet-layer2";

    private static readonly Lock ImportLock = new();
    private static (string Path, DateTime Written, ImportedResNet Network)? lastImport;

    private readonly CaffeInputAdapter input_adapter;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly List<Sequential> layers = [];
    private readonly Linear? fc;

    static ResNet18ImageNet()
    {
        // Every instance can be exported: the emitter is registered before the first instance exists.
        Export.ResNetEmitters.Register();
    }

    /// <summary>Builds the network described by <paramref name="imported"/>, with its weights; a classifier when <paramref name="classes"/> is set.</summary>
    public ResNet18ImageNet(ImportedResNet imported, int? classes = null) : base("ResNet18ImageNet")
    {
        var reference = PreprocessingSpec.Reference();
        input_adapter = new CaffeInputAdapter(reference.Mean, reference.Std, imported.BgrMean);
        register_module("input_adapter", input_adapter);
        (conv1, bn1) = ResNetLayers.ConvBn(imported.Stem);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        StemPadding = imported.Stem.Pads;
        MaxPool = imported.MaxPool;
        foreach (var (stage, index) in imported.Stages.Select((s, i) => (s, i)))
        {
            var layer = Sequential(stage.Select((block, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Module<Tensor, Tensor>)new ResNetBasicBlock(block))));
            layers.Add(layer);
            register_module($"layer{index + 1}", layer);
        }
        FeatureChannels = imported.OutputChannels;
        var stride = (int)(imported.Stem.Stride[0] * imported.MaxPool.Stride[0]);
        var stages = new List<TrunkStage>();
        foreach (var (stage, index) in imported.Stages.Select((s, i) => (s, i)))
        {
            foreach (var block in stage) stride *= (int)block.Conv1.Stride[0];
            stages.Add(new TrunkStage($"layer{index + 1}", stage[^1].Conv2.OutChannels, stride));
        }
        Stages = stages;
        if (classes is { } count)
        {
            fc = Linear(FeatureChannels, count);
            register_module("fc", fc);
        }
    }

    /// <summary>Channels of the feature map (512; 256 or 128 when cut after <c>layer3</c> or <c>layer2</c>).</summary>
    public long FeatureChannels { get; }

    /// <summary>Exact padding of the stem conv.</summary>
    public ExplicitPadding StemPadding { get; }

    /// <summary>The max pool after the stem, with its exact padding.</summary>
    public ImportedMaxPool MaxPool { get; }

    /// <summary>Whether forward ends with pooling and <c>fc</c>.</summary>
    public bool IsClassifier => fc is not null;

    /// <summary>
    /// Adds <see cref="BackboneName"/>, <see cref="Layer3BackboneName"/> and <see cref="Layer2BackboneName"/> to
    /// <see cref="ModelRegistry"/>. The files are located and read only when a model is built,
    /// so registering costs nothing and needs no package; <paramref name="networkPath"/> pins an explicit ResNet18.onnx.
    /// </summary>
    public static void Register(string? networkPath = null)
    {
        ModelRegistry.Register(new BackboneEntry(BackboneName, 512,
            () => new ResNet18ImageNet(Import(networkPath)),
            () => new ResNet18ImageNet(Import(networkPath), DocumentClasses.Count)));
        foreach (var (name, stages, channels) in new[] { (Layer3BackboneName, 3, 256L), (Layer2BackboneName, 2, 128L) })
        {
            ModelRegistry.Register(new BackboneEntry(name, channels,
                () => new ResNet18ImageNet(Import(networkPath).FirstStages(stages)),
                () => new ResNet18ImageNet(Import(networkPath).FirstStages(stages), DocumentClasses.Count)));
        }
    }

    /// <summary>
    /// Reads the network from the package (or <paramref name="networkPath"/>). The last import is kept, since a training run
    /// builds the model several times (model, teacher, checkpoint reloads) and parsing 63 MB of protobuf each time is slow.
    /// </summary>
    public static ImportedResNet Import(string? networkPath = null)
    {
        var files = ResNet18Files.Locate(networkPath);
        var written = File.GetLastWriteTimeUtc(files.NetworkPath);
        lock (ImportLock)
        {
            if (lastImport is { } cached && cached.Path == files.NetworkPath && cached.Written == written) return cached.Network;
            var network = ResNetOnnxImport.Read(files);
            lastImport = (files.NetworkPath, written, network);
            return network;
        }
    }

    /// <summary>The stages (<c>layer1</c>...), in order.</summary>
    public IReadOnlyList<Sequential> Layers => layers;

    /// <summary>layer1 to layer4 (or the stages kept) with their output channels and strides (4, 8, 16, 32 for this network).</summary>
    public IReadOnlyList<TrunkStage> Stages { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = Stem(x);
        foreach (var layer in layers) y = layer.call(y);
        if (fc is not null) y = fc.call(y.mean([2, 3]));
        return y.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> StageOutputs(Tensor x)
    {
        var outputs = new List<Tensor>(layers.Count);
        var y = Stem(x);
        foreach (var layer in layers) outputs.Add(y = layer.call(y));
        return outputs;
    }

    private Tensor Stem(Tensor x)
    {
        var y = input_adapter.call(x);
        y = functional.relu(bn1.call(conv1.call(StemPadding.ApplyIfUneven(y, 0))));
        // -inf padding: a padded position must never win the max (the ONNX MaxPool semantics).
        y = MaxPool.Pads.ApplyIfUneven(y, double.NegativeInfinity);
        var (padH, padW) = MaxPool.Pads.LayerPadding;
        return functional.max_pool2d(y, MaxPool.Kernel, MaxPool.Stride, [padH, padW]);
    }
}
