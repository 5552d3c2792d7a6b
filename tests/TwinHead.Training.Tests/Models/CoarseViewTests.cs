using TwinHead.Training.Models;
using TwinHead.Training.Tests.Export;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TwinHead.Training.Tests.Models;

[Collection(GlobalRandomState.Name)]
public sealed class CoarseViewTests
{
    /// <summary>Random weights with realistic BatchNorm statistics, so the logits depend on the input (see <see cref="TinyModels"/>).</summary>
    private static BuiltModel Create() => TinyModels.Create(new ModelOptions { HeadChannels = 32, CoarseView = true }, seed: 5);

    [Fact]
    public void Each_head_outputs_the_mean_of_the_two_views_probabilities()
    {
        using var model = Create();
        using var scope = NewDisposeScope();
        var network = (TwoHeadedNetwork)model.Network;
        var x = randn(3, 3, 64, 64, generator: new Generator(2));
        var (full, coarse) = network.ViewLogits(x);
        var fused = network.call(x);
        Assert.Equal([3L, 4L], fused.shape);
        for (var head = 0; head < 2; head++)
        {
            var expected = (functional.softmax(full.narrow(1, 2 * head, 2), 1) + functional.softmax(coarse.narrow(1, 2 * head, 2), 1)) / 2;
            var actual = functional.softmax(fused.narrow(1, 2 * head, 2), 1);
            Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"head {head + 1}");
        }
        var (screen, _) = model.Architecture.Probabilities(fused);
        Assert.True(screen.allclose(functional.softmax(fused.narrow(1, 0, 2), 1).select(1, 1), rtol: 0, atol: 1e-6));
        Assert.False(full.allclose(coarse, rtol: 0, atol: 1e-3), "the two views gave the same logits");
    }

    /// <summary>Changing pixels inside every 2x2 block while keeping each block's mean must move the full view only.</summary>
    [Fact]
    public void The_coarse_view_reads_only_2x2_block_means()
    {
        using var model = Create();
        using var scope = NewDisposeScope();
        var network = (TwoHeadedNetwork)model.Network;
        var x = randn(2, 3, 64, 64, generator: new Generator(3));
        var checker = tensor(new float[] { 1, -1, -1, 1 }).view(2, 2).repeat(32, 32) * 0.8f;
        var (full, coarse) = network.ViewLogits(x);
        var (fullChanged, coarseChanged) = network.ViewLogits(x + checker);
        // The perturbed BatchNorms give logits of large magnitude, so the tolerance is relative (float rounding of the means).
        var coarseChange = (coarse - coarseChanged).abs().max().item<float>();
        var fullChange = (full - fullChanged).abs().max().item<float>();
        var scale = coarse.abs().max().item<float>();
        Assert.True(coarseChange <= 1e-5 * scale, $"the coarse view saw detail finer than 2x2: it moved by {coarseChange} (logits up to {scale})");
        Assert.True(fullChange > 1e-2 * scale, $"the full view did not see the change: {fullChange} (logits up to {scale})");
    }

    [Fact]
    public void Only_the_two_headed_architecture_takes_a_coarse_view()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(new ModelOptions { Architecture = "three-output", CoarseView = true }));
        Assert.Contains("model.coarse_view", error.Message);
        using var plain = ModelRegistry.Create(new ModelOptions { HeadChannels = 32 });
        Assert.False(((TwoHeadedNetwork)plain.Network).HasCoarseView);
        Assert.Throws<InvalidOperationException>(() => ((TwoHeadedNetwork)plain.Network).ViewLogits(zeros(1, 3, 32, 32)));
    }
}
