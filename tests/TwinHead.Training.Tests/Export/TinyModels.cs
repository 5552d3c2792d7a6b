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

    /// <summary>A few train-mode forwards move the running statistics; random γ/β make folding matter per channel.</summary>
    private static void Perturb(BuiltModel model, int seed)
    {
        model.Network.train();
        using (no_grad())
        {
            for (var i = 0; i < 3; i++)
            {
                using var scope = NewDisposeScope();
                model.Network.call(randn(4, 3, ImageSize, ImageSize) * 1.5 + 0.3);
            }
            foreach (var (_, module) in model.Network.named_modules())
            {
                if (module is BatchNorm2d bn)
                {
                    bn.weight!.uniform_(0.6, 1.4);
                    bn.bias!.normal_(0, 0.2);
                }
                // Larger classifier weights spread the probabilities away from 0.5, as in a trained model.
                if (module is Linear linear) linear.weight!.mul_(20);
            }
        }
    }
}
