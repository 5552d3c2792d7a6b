using TwinHead.Core.Config;
using TwinHead.Training.Data;
using TwinHead.Training.Models;
using TwinHead.Training.Precision;
using TwinHead.Training.Tests.Training;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Precision;

public class CpuAutocastTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public CpuAutocastTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [Fact]
    public void Convolutions_run_in_bfloat16_inside_the_scope_only_and_weights_stay_float32()
    {
        using var conv = nn.Conv2d(3, 4, 3);
        using var x = randn(2, 3, 8, 8);

        CpuAutocast.EnsureSupported();
        Assert.False(CpuAutocast.IsActive);
        using (CpuAutocast.BFloat16())
        {
            Assert.True(CpuAutocast.IsActive);
            using var inside = conv.call(x);
            Assert.Equal(ScalarType.BFloat16, inside.dtype);
        }
        Assert.False(CpuAutocast.IsActive);
        using var after = conv.call(x);
        Assert.Equal(ScalarType.Float32, after.dtype);
        Assert.All(conv.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Gradients_reach_float32_weights_and_a_stepped_weight_is_not_served_stale_from_the_cast_cache()
    {
        using var conv = nn.Conv2d(3, 4, 3);
        using var x = randn(2, 3, 8, 8);
        Tensor first, second;
        using (CpuAutocast.BFloat16())
            first = conv.call(x).sum().to_type(ScalarType.Float32);
        first.backward();
        Assert.Equal(ScalarType.Float32, conv.weight!.grad!.dtype);
        Assert.True(conv.weight.grad.abs().sum().item<float>() > 0);

        using (no_grad()) conv.weight.add_(1.0f);
        using (CpuAutocast.BFloat16())
            second = conv.call(x).sum().to_type(ScalarType.Float32);

        Assert.NotEqual(first.item<float>(), second.item<float>(), 1);
    }

    [Fact]
    public void Bfloat16_steps_on_a_fixed_batch_lower_the_loss()
    {
        var dataset = ImageDataset.Load(data.Root, "train", requireAllClasses: true);
        var loader = new BatchLoader(dataset, Core.Models.PreprocessingSpec.Reference(32), Imaging.ImageDecodeLimits.Default, null, seed: 3);
        var batch = loader.Assemble(Enumerable.Range(0, 16).ToArray(), 0, new LoaderOptions(16, false, null));
        manual_seed(11);
        using var model = ModelRegistry.Create(new ModelOptions());
        var optimizer = optim.Adam(model.Network.parameters(), 1e-3);
        var losses = new List<float>();
        model.Network.train();
        for (var step = 0; step < 15; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss;
            using (CpuAutocast.BFloat16())
                loss = model.Architecture.Loss(model.Network.call(tensor(batch.Pixels).view(16, 3, 32, 32)).to_type(ScalarType.Float32), tensor(batch.Labels), new LossSettings());
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void A_bfloat16_run_trains_and_records_its_precision()
    {
        var output = data.Scratch("bf16");
        var config = BuiltInConfigs.Resolve("quickstart", [
            $"data.root={data.Root}", "data.image_size=32", "data.batch_size=8", "data.workers=2", "optim.epochs=4", "optim.step_size=10",
            $"output={output}", "name=run", "tensorboard=false", "threads=1", "precision=bfloat16"]);

        var result = new Trainer(new RecordingObserver()).Train(config);

        Assert.Equal("bfloat16", result.Run.ReadConfig().Precision);
        Assert.Equal(4, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainLoss > 0));
        Assert.Equal("complete", result.Run.ReadStatus());
        Assert.False(CpuAutocast.IsActive);
    }

    [Fact]
    public void An_unknown_precision_is_named_in_the_error()
    {
        var error = Assert.Throws<ConfigException>(() => BuiltInConfigs.Resolve("quickstart", ["precision=fp8"]).Validate());

        Assert.Contains("precision", error.Message);
        Assert.Contains("float32", error.Message);
    }
}
