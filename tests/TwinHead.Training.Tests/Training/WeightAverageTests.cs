using TorchSharp;
using TwinHead.Core.Config;
using TwinHead.Training.Models;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

[Collection(GlobalRandomState.Name)]
public class WeightAverageTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public WeightAverageTests(TinyDatasetFixture fixture) => data = fixture.Data;

    private static Tensor Parameter(BuiltModel model, string name) => model.Network.named_parameters().Single(p => p.name == name).parameter;

    private static Tensor Buffer(BuiltModel model, string name) => model.Network.named_buffers().Single(b => b.name == name).buffer;

    [Fact]
    public void An_update_moves_the_average_by_one_minus_the_decay_and_copies_integer_buffers()
    {
        manual_seed(5);
        var options = new ModelOptions();
        using var model = ModelRegistry.Create(options);
        using var average = new WeightAverage(model, options, decay: 0.75);
        const string weight = "fc1.weight", mean = "base_model.conv1.1.running_mean", count = "base_model.conv1.1.num_batches_tracked";
        var before = Parameter(model, weight).clone();
        var meanBefore = Buffer(model, mean).clone();
        // Scalars through TensorArithmetic, as in the library: a collection must not free one mid-call.
        using (no_grad())
        {
            Parameter(model, weight).copy_(before.Plus(ones_like(before).Times(4)));
            Buffer(model, mean).copy_(ones_like(meanBefore).Times(8));
            Buffer(model, count).copy_(ones_like(Buffer(model, count)).Times(123));
        }

        average.Update(step: 1_000);

        // 0.75 · w + 0.25 · (w + 4) = w + 1; 0.75 · m + 0.25 · 8.
        Assert.True(Parameter(average.Model, weight).allclose(before.Plus(ones_like(before)), rtol: 0, atol: 1e-6));
        Assert.True(Buffer(average.Model, mean).allclose(meanBefore.Times(0.75).Plus(ones_like(meanBefore).Times(2)), rtol: 0, atol: 1e-6));
        Assert.Equal(123L, Buffer(average.Model, count).item<long>());
        Assert.False(average.Model.Network.training);
    }

    [Fact]
    public void The_decay_warms_up_from_the_first_step_to_its_target()
    {
        using var model = ModelRegistry.Create(new ModelOptions());
        using var average = new WeightAverage(model, new ModelOptions(), decay: 0.999);
        Assert.Equal(2.0 / 11, average.DecayAt(1), 12);
        Assert.Equal(101.0 / 110, average.DecayAt(100), 12);
        Assert.Equal(0.999, average.DecayAt(1_000_000), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightAverage(model, new ModelOptions(), decay: 1));
    }

    private TrainingConfig Config(string scratchName, int epochs)
    {
        var config = data.Config(scratchName, epochs);
        return config with { Optim = config.Optim with { EmaDecay = 0.9 } };
    }

    [Fact]
    public void A_run_with_an_average_publishes_it_and_resumes_exactly_as_an_uninterrupted_run()
    {
        var observer = new RecordingObserver();
        var straight = new Trainer(observer).Train(Config("ema-straight", epochs: 2));
        Assert.Contains(observer.Messages, m => m.Contains("moving average of the weights (decay 0.9)"));

        var first = new Trainer(new RecordingObserver()).Train(Config("ema-resumed", epochs: 1));
        var saved = first.Run.ReadConfig();
        File.WriteAllText(first.Run.ConfigPath, LayeredYamlConfig.ToYaml(saved with { Optim = saved.Optim with { Epochs = 2 } }));
        var resumed = new Trainer(new RecordingObserver()).Resume(first.Run.Path);

        using var a = CheckpointFile.Load(straight.Run.LastCheckpoint);
        using var b = CheckpointFile.Load(resumed.Run.LastCheckpoint);
        Assert.NotNull(a.TrainingWeights);
        Assert.Equal("exponential moving average, decay 0.9", a.Metadata.Extra["weights"]);
        using var trainedA = ModelRegistry.Create(a.Options);
        using var trainedB = ModelRegistry.Create(b.Options);
        CheckpointFile.LoadWeights(trainedA, a.TrainingWeights!, straight.Run.LastCheckpoint);
        CheckpointFile.LoadWeights(trainedB, b.TrainingWeights!, resumed.Run.LastCheckpoint);

        using var scope = NewDisposeScope();
        var x = randn(4, 3, 32, 32, generator: new Generator(2));
        trainedA.Network.eval();
        trainedB.Network.eval();
        // The average differs from the last step's weights, and both halves of the checkpoint resume exactly.
        Assert.False(a.Model.Network.call(x).allclose(trainedA.Network.call(x), rtol: 0, atol: 1e-4));
        Assert.True(a.Model.Network.call(x).allclose(b.Model.Network.call(x), rtol: 0, atol: 1e-5));
        Assert.True(trainedA.Network.call(x).allclose(trainedB.Network.call(x), rtol: 0, atol: 1e-5));
        // The validation scores were the average's: the best checkpoint's epoch-2 metrics match it on the same split.
        Assert.Equal(straight.Epochs[^1].Validation.Report.ScreenHead.F1, resumed.Epochs[^1].Validation.Report.ScreenHead.F1, 6);
    }

    [Fact]
    public void An_ema_decay_of_one_is_refused_naming_the_key()
    {
        var config = Config("ema-bad", epochs: 1) with { Optim = new OptimConfig { EmaDecay = 1 } };
        var error = Assert.Throws<ConfigException>(() => config.Validate());
        Assert.Contains("optim.ema_decay", error.Message);
    }
}
