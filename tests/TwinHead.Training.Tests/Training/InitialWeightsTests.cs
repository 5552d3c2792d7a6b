using TwinHead.Core.Config;
using TwinHead.Training.Interop;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

/// <summary><c>model.init</c>: a run starts from a checkpoint's, a run folder's or a PyTorch state_dict's weights.</summary>
public sealed class InitialWeightsTests(TinyDatasetFixture fixture) : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data = fixture.Data;

    /// <summary>A run of one epoch whose steps are too small to move the weights: what it keeps is what it started from.</summary>
    private TrainingConfig Frozen(string scratch, string init) => data.Config(scratch, epochs: 1) with
    {
        Model = data.Config(scratch, 1).Model with { Init = init },
        Optim = data.Config(scratch, 1).Optim with { Lr = 1e-12 },
    };

    private static float MaxParameterDifference(string checkpointA, string checkpointB)
    {
        using var a = CheckpointFile.Load(checkpointA);
        using var b = CheckpointFile.Load(checkpointB);
        using var scope = NewDisposeScope();
        var pb = b.Model.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return a.Model.Network.named_parameters().Max(p => (p.parameter - pb[p.name]).abs().max().item<float>());
    }

    [Fact]
    public void A_run_folder_gives_its_best_weights_and_the_checkpoint_says_where_they_came_from()
    {
        var source = data.TrainRun("init-source", epochs: 1);
        var observer = new RecordingObserver();

        var result = new Trainer(observer).Train(Frozen("init-target", source.Path));

        Assert.True(MaxParameterDifference(source.BestCheckpoint, result.Run.BestCheckpoint) < 1e-6f);
        using var started = CheckpointFile.Load(result.Run.BestCheckpoint);
        Assert.Equal(Path.GetFullPath(source.BestCheckpoint), started.Metadata.Extra["initialised_from"]);
        Assert.Contains(observer.Messages, m => m == $"initialised weights from {Path.GetFullPath(source.BestCheckpoint)}");
        // Without model.init the same run starts elsewhere: the comparison above can tell the difference.
        var fresh = new Trainer(new RecordingObserver()).Train(Frozen("init-none", ""));
        Assert.True(MaxParameterDifference(source.BestCheckpoint, fresh.Run.BestCheckpoint) > 1e-3f);
    }

    [Fact]
    public void A_pytorch_state_dict_of_the_reference_model_gives_its_weights()
    {
        var source = data.TrainRun("init-pt-source", epochs: 1);
        var stateDict = Path.Combine(data.Scratch("init-pt-file"), "reference.pt");
        using (var checkpoint = CheckpointFile.Load(source.BestCheckpoint)) PyTorchStateDict.Save(checkpoint.Model, stateDict);

        var result = new Trainer(new RecordingObserver()).Train(Frozen("init-pt-target", stateDict));

        Assert.True(MaxParameterDifference(source.BestCheckpoint, result.Run.BestCheckpoint) < 1e-6f);
    }

    [Fact]
    public void Weights_for_another_head_design_are_refused_naming_the_key_before_a_run_folder_is_made()
    {
        var source = data.TrainRun("init-mismatch-source", epochs: 1);
        var config = Frozen("init-mismatch", source.Path);
        config = config with { Model = config.Model with { HeadChannels = 64 } };

        var error = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(config));

        Assert.Contains("'model.head_channels' = 64", error.Message);
        Assert.Contains("1024", error.Message);
        Assert.Empty(Directory.GetDirectories(config.Output));
    }

    [Fact]
    public void A_missing_init_path_is_refused_naming_the_key()
    {
        var config = Frozen("init-missing", Path.Combine(data.Scratch("nowhere"), "missing.ckpt"));

        var error = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(config));

        Assert.Contains("model.init", error.Message);
        Assert.Contains("missing.ckpt", error.Message);
        Assert.Empty(Directory.GetDirectories(config.Output));
    }

    [Fact]
    public void Another_input_size_than_the_weights_were_trained_at_is_reported()
    {
        var source = data.TrainRun("init-size-source", epochs: 1);
        using var init = InitialWeights.Load(source.Path);

        var changes = init.PreprocessingChanges(Core.Models.PreprocessingSpec.Reference(48));

        Assert.Equal(["the weights were trained at 32x32, this run uses 48x48 (data.image_size)"], changes);
        Assert.Empty(init.PreprocessingChanges(Core.Models.PreprocessingSpec.Reference(32)));
    }
}
