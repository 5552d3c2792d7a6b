using TorchSharp.Modules;
using TwinHead.Core.Models;
using TwinHead.Training.Models;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Export;

/// <summary>Small random models with BatchNorm statistics and affine parameters far from their initial values.</summary>
internal static class TinyModels
{
    public const int ImageSize = 64;

    public static ModelOptions Options(string design) => design switch
    {
        "two-headed" => new ModelOptions(),
        "three-output" => new ModelOptions { Architecture = "three-output" },
        "shared-head" => new ModelOptions { SharedHeadConv = true },
        "slim-head" => new ModelOptions { HeadChannels = 64 },
        "coarse-view" => new ModelOptions { HeadChannels = 64, CoarseView = true },
        "coarse-view-shared-head" => new ModelOptions { HeadChannels = 64, SharedHeadConv = true, CoarseView = true },
        _ => throw new ArgumentException(design),
    };

    public static BuiltModel Create(ModelOptions options, int seed = 7)
    {
        manual_seed(seed);
        var model = ModelRegistry.Create(options);
        Perturb(model, seed);
        model.Network.eval();
        return model;
    }

    public static ModelMetadata Metadata(BuiltModel model, int size = ImageSize) => new()
    {
        Architecture = model.Architecture.Name,
        Backbone = model.Backbone,
        Preprocessing = PreprocessingSpec.Reference(size),
        ConfigHash = "0123456789abcdef",
    };

    /// <summary>
    /// BN running statistics from one train-mode batch at momentum 1 (with the default 0.1 the stale unit variances shrink
    /// the signal to a constant by stage 4), then random γ/β, so folding is tested per channel on values that reach the output.
    /// </summary>
    public static void Perturb(BuiltModel model, int seed)
    {
        manual_seed(seed);
        var batchNorms = model.Network.modules().OfType<BatchNorm2d>().ToList();
        model.Network.train();
        using (no_grad())
        {
            foreach (var bn in batchNorms) bn.momentum = 1.0;
            using (NewDisposeScope()) model.Network.call(randn(8, 3, ImageSize, ImageSize) * 1.5 + 0.3);
            foreach (var bn in batchNorms)
            {
                bn.momentum = 0.1;
                bn.weight!.uniform_(0.6, 1.4);
                bn.bias!.normal_(0, 0.2);
            }
        }
        model.Network.eval();
    }
}
