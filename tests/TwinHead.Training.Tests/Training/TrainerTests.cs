using TwinHead.Core.Config;
using TwinHead.Training.Data;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Training;

public sealed class RecordingObserver : ITrainingObserver
{
    public List<StepProgress> Steps { get; } = [];
    public List<EpochSummary> Epochs { get; } = [];
    public int FirstEpoch { get; private set; }
    public List<string> Messages { get; } = [];

    public void OnStart(RunFolder run, TrainingConfig config, int trainImages, int valImages, int stepsPerEpoch, int firstEpoch) => FirstEpoch = firstEpoch;
    public void OnStep(StepProgress progress) => Steps.Add(progress);
    public void OnEpoch(EpochSummary summary) => Epochs.Add(summary);
    public void OnMessage(string message) => Messages.Add(message);
}

[Collection(GlobalRandomState.Name)]
public class TrainerTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public TrainerTests(TinyDatasetFixture fixture) => data = fixture.Data;

    private TrainingConfig Config(string output, int epochs = 3) => BuiltInConfigs.Resolve("quickstart", [
        $"data.root={data.Root}", "data.image_size=32", "data.batch_size=8", "data.workers=2", $"optim.epochs={epochs}",
        $"output={output}", "name=run", "tensorboard=false", "threads=1"]);

    [Fact]
    public void A_few_epochs_lower_the_loss_and_leave_a_complete_run_folder()
    {
        var output = data.Scratch("train");
        var observer = new RecordingObserver();
        var result = new Trainer(observer).Train(Config(output, epochs: 4) with { Optim = new OptimConfig { Epochs = 4, StepSize = 10 } });

        Assert.Equal(4, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainLoss > 0));
        Assert.Equal("complete", result.Run.ReadStatus());
        Assert.Contains(NativeHeap.ReuseLargeBuffers(), File.ReadAllText(result.Run.LogPath));
        Assert.True(File.Exists(result.Run.BestCheckpoint));
        Assert.True(File.Exists(result.Run.LastCheckpoint));
        Assert.NotNull(result.Test);
        var metrics = result.Run.ReadMetrics();
        Assert.Contains(metrics, m => m is { Epoch: 4, Split: "val", Head: "screen", Metric: "f1" });
        Assert.Contains(metrics, m => m is { Epoch: 0, Split: "test", Head: "three_way", Metric: "accuracy" });
        Assert.Equal(result.Test!.Report.ScreenRanking.RocAuc, metrics.Single(m => m is { Epoch: 0, Split: "test", Head: "screen", Metric: "roc_auc" }).Value, 6);
        Assert.Equal(result.Test.Report.NotDocumentRanking.AveragePrecision, metrics.Single(m => m is { Epoch: 0, Split: "test", Head: "not_document", Metric: "average_precision" }).Value, 6);
        Assert.Equal(Config(output, 4) with { Optim = new OptimConfig { Epochs = 4, StepSize = 10 } }, result.Run.ReadConfig());
    }

    [Theory]
    [InlineData("two-headed")]
    [InlineData("three-output")]
    public void Training_steps_on_a_batch_of_tiny_images_lower_the_loss(string architecture)
    {
        var dataset = ImageDataset.Load(data.Root, "train", requireAllClasses: true);
        var loader = new BatchLoader(dataset, Core.Models.PreprocessingSpec.Reference(32), Imaging.ImageDecodeLimits.Default, null, seed: 3);
        var batch = loader.Assemble(Enumerable.Range(0, 16).ToArray(), 0, new LoaderOptions(16, false, null));
        manual_seed(11);
        using var model = TwinHead.Training.Models.ModelRegistry.Create(new TwinHead.Training.Models.ModelOptions { Architecture = architecture });
        var optimizer = optim.Adam(model.Network.parameters(), 1e-3);
        var settings = new TwinHead.Training.Models.LossSettings();
        var losses = new List<float>();
        model.Network.train();
        for (var step = 0; step < 15; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Architecture.Loss(model.Network.call(tensor(batch.Pixels).view(16, 3, 32, 32)), tensor(batch.Labels), settings);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void Checkpoint_round_trip_reproduces_outputs_and_metadata()
    {
        var output = data.Scratch("roundtrip");
        var result = new Trainer(new RecordingObserver()).Train(Config(output, epochs: 1));
        using var a = CheckpointFile.Load(result.Run.BestCheckpoint);
        using var b = CheckpointFile.Load(result.Run.LastCheckpoint);
        Assert.Equal("two-headed", a.Metadata.Architecture);
        Assert.Equal(32, a.Metadata.Preprocessing.Width);
        Assert.Equal(Config(output, 1).Hash(), a.Metadata.ConfigHash);
        Assert.NotNull(b.OptimizerState);
        Assert.Equal(1, b.State!.Epoch);
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 32, 32, generator: new Generator(1));
        var ya = a.Model.Network.call(x);
        var yb = b.Model.Network.call(x);
        Assert.True(ya.allclose(yb, rtol: 0, atol: 0));
    }

    /// <summary>A coarse view trains both pairs of heads on a frozen trunk and survives the checkpoint and the ONNX export.</summary>
    [Fact]
    public void A_coarse_view_run_trains_both_views_and_exports_with_parity()
    {
        var output = data.Scratch("coarse-view");
        var config = BuiltInConfigs.Resolve("quickstart", [
            $"data.root={data.Root}", "data.image_size=32", "data.batch_size=8", "data.workers=2", "optim.epochs=1",
            $"output={output}", "name=run", "tensorboard=false", "threads=1", "model.head_channels=32", "model.coarse_view=true",
            "optim.backbone_lr_scale=0"]);
        manual_seed(config.Seed);
        using var initial = TwinHead.Training.Models.ModelRegistry.Create(config.ToModelOptions());
        var result = new Trainer(new RecordingObserver()).Train(config);

        Assert.True(double.IsFinite(result.Epochs.Single().TrainLoss));
        using var trained = CheckpointFile.Load(result.Run.LastCheckpoint);
        Assert.True(trained.Options.CoarseView);
        Assert.Contains("16 px", trained.Metadata.Extra["views"]);
        var before = initial.Network.state_dict();
        var after = trained.Model.Network.state_dict();
        bool Moved(string key) => !before[key].allclose(after[key], rtol: 0, atol: 1e-7);
        Assert.True(Moved("fc1.weight"), "the full view's heads did not train");
        Assert.True(Moved("coarse_fc1.weight"), "the coarse view's heads did not train");
        Assert.True(Moved("coarse_head2_conv.0.weight"), "the coarse view's not-document conv did not train");
        Assert.All(before.Keys.Where(k => k.StartsWith("base_model.", StringComparison.Ordinal)), k => Assert.False(Moved(k), $"frozen trunk changed: {k}"));

        var onnx = Path.Combine(output, "coarse.onnx");
        TwinHead.Training.Export.OnnxExporter.Export(trained.Model, trained.Metadata, onnx);
        var parity = TwinHead.Training.Export.ExportParity.Check(trained.Model, trained.Metadata, onnx);
        Assert.True(parity.Passed, parity.ToString());
    }

    [Fact]
    public void A_coarse_view_is_refused_with_three_outputs_or_a_teacher()
    {
        var output = data.Scratch("coarse-view-bad");
        var threeOutput = Assert.Throws<ConfigException>(() => BuiltInConfigs.Resolve("quickstart", [
            $"data.root={data.Root}", $"output={output}", "model.architecture=three-output", "model.coarse_view=true"]).Validate());
        Assert.Contains("model.coarse_view", threeOutput.Message);
        Assert.Contains("two-headed", threeOutput.Message);
    }

    [Fact]
    public void Resume_continues_from_the_last_checkpoint()
    {
        var output = data.Scratch("resume");
        var first = new Trainer(new RecordingObserver()).Train(Config(output, epochs: 1));
        var saved = first.Run.ReadConfig();
        File.WriteAllText(first.Run.ConfigPath, LayeredYamlConfig.ToYaml(saved with { Optim = saved.Optim with { Epochs = 2 } }));
        var observer = new RecordingObserver();
        var resumed = new Trainer(observer).Resume(first.Run.Path);
        Assert.Equal(2, observer.FirstEpoch);
        Assert.Equal([2], resumed.Epochs.Select(e => e.Epoch));
        using var last = CheckpointFile.Load(first.Run.LastCheckpoint);
        Assert.Equal(2, last.State!.Epoch);
        Assert.True(last.State.GlobalStep > observer.Steps.Count);
    }

    /// <summary>Breaks an image file after the first epoch, so the second epoch (without a cache) fails reading it.</summary>
    private sealed class ImageBreakingObserver(string image) : ITrainingObserver
    {
        public RecordingObserver Inner { get; } = new();
        public byte[]? Original { get; private set; }
        public void OnStart(RunFolder run, TrainingConfig config, int trainImages, int valImages, int stepsPerEpoch, int firstEpoch) => Inner.OnStart(run, config, trainImages, valImages, stepsPerEpoch, firstEpoch);
        public void OnStep(StepProgress progress) => Inner.OnStep(progress);
        public void OnMessage(string message) => Inner.OnMessage(message);
        public void OnEpoch(EpochSummary summary)
        {
            Inner.OnEpoch(summary);
            Original = File.ReadAllBytes(image);
            File.WriteAllText(image, "not a jpeg any more");
        }
    }

    [Fact]
    public void A_run_that_fails_mid_training_says_how_to_resume_and_resumes()
    {
        var output = data.Scratch("fail-resume");
        var copy = data.CopyTo("fail-resume-data");
        var firstTrainImage = ImageDataset.Load(copy, "train", requireAllClasses: true).Items[0].RelativePath;
        var image = Path.Combine(copy, firstTrainImage);
        var observer = new ImageBreakingObserver(image);
        var config = Config(output, epochs: 2) with { Data = Config(output).Data with { Root = copy, Cache = false } };

        var failure = Assert.Throws<DatasetException>(() => new Trainer(observer).Train(config));
        Assert.Contains(firstTrainImage, failure.Message);
        var run = RunFolder.Open(Path.Combine(output, "run"));
        Assert.Contains(observer.Inner.Messages, m => m.Contains($"--resume {run.Path}"));

        File.WriteAllBytes(image, observer.Original!);
        var resumed = new Trainer(new RecordingObserver()).Resume(run.Path);
        Assert.Equal([2], resumed.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void Bad_config_and_data_fail_before_a_run_folder_is_made()
    {
        var output = data.Scratch("bad");
        var missingRoot = Assert.Throws<DatasetException>(() => new Trainer(new RecordingObserver()).Train(Config(output) with { Data = new DataConfig { Root = "/nonexistent/x" } }));
        Assert.Contains("/nonexistent/x", missingRoot.Message);
        var badBatch = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(Config(output) with { Data = new DataConfig { Root = data.Root, BatchSize = 0 } }));
        Assert.Contains("data.batch_size", badBatch.Message);
        Assert.Empty(Directory.GetDirectories(output));
    }

    [Fact]
    public void A_monitor_set_is_reported_every_epoch_and_changes_nothing_that_is_trained_or_chosen()
    {
        var plain = new Trainer(new RecordingObserver()).Train(Config(data.Scratch("unmonitored"), epochs: 2));
        var observer = new RecordingObserver();
        var monitored = new Trainer(observer).Train(Config(data.Scratch("monitored"), epochs: 2) with
        {
            Data = Config("unused").Data with { Monitor = data.Root, MonitorSplit = "test" },
        });

        var testCount = File.ReadAllLines(Path.Combine(data.Root, "test.csv")).Length;
        Assert.All(observer.Epochs, e => Assert.Equal(testCount, e.Monitor!.Report.Count));
        var metrics = monitored.Run.ReadMetrics();
        foreach (var epoch in new[] { 1, 2 })
        {
            var row = metrics.Single(m => m is { Split: Trainer.MonitorSplitName, Head: "three_way", Metric: "accuracy" } && m.Epoch == epoch);
            Assert.Equal(observer.Epochs[epoch - 1].Monitor!.Report.ThreeWay.Accuracy, row.Value, 9);
        }
        Assert.Contains("monitor screen P", File.ReadAllText(monitored.Run.LogPath));
        Assert.Contains(observer.Messages, m => m.Contains("do not choose the checkpoint", StringComparison.Ordinal));
        Assert.Equal(plain.BestEpoch, monitored.BestEpoch);
        using var a = CheckpointFile.Load(plain.Run.BestCheckpoint);
        using var b = CheckpointFile.Load(monitored.Run.BestCheckpoint);
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 32, 32, generator: new Generator(4));
        Assert.True(a.Model.Network.call(x).allclose(b.Model.Network.call(x), rtol: 0, atol: 0), "a monitor set changed the trained weights");
        TwinHead.Training.Reports.RunReport.Write(monitored.Run.Path);
        TwinHead.Training.Reports.RunReport.Write(plain.Run.Path);
        Assert.True(File.Exists(Path.Combine(monitored.Run.Path, "report", "monitor.png")));
        Assert.False(File.Exists(Path.Combine(plain.Run.Path, "report", "monitor.png")));
    }

    [Fact]
    public void An_unfinished_run_is_noted_with_its_status_and_last_epoch_and_a_complete_one_is_not()
    {
        var run = new Trainer(new RecordingObserver()).Train(Config(data.Scratch("unfinished"), epochs: 1)).Run;
        var loose = Path.Combine(data.Scratch("loose"), "model.ckpt");
        File.Copy(run.BestCheckpoint, loose);

        Assert.Null(RunFolder.UnfinishedTrainingNote(run.Path));
        run.WriteStatus("interrupted", "cancelled");
        var note = RunFolder.UnfinishedTrainingNote(run.Path);

        Assert.Equal($"run {run.Path} has not completed (status 'interrupted', last saved epoch 1): its best checkpoint may still change", note);
        Assert.Equal(note, RunFolder.UnfinishedTrainingNote(run.BestCheckpoint));
        Assert.Null(RunFolder.UnfinishedTrainingNote(loose));
        File.WriteAllText(run.LastCheckpoint, "half-written");
        Assert.Equal($"run {run.Path} has not completed (status 'interrupted'): its best checkpoint may still change", RunFolder.UnfinishedTrainingNote(run.Path));
    }

    [Fact]
    public void A_missing_monitor_folder_or_split_is_named_before_a_run_folder_is_made()
    {
        var output = data.Scratch("bad-monitor");
        var trainer = new Trainer(new RecordingObserver());

        var folder = Assert.Throws<ConfigException>(() => trainer.Train(Config(output) with { Data = Config(output).Data with { Monitor = "/nonexistent/photos" } }));
        var split = Assert.Throws<ConfigException>(() => trainer.Train(Config(output) with { Data = Config(output).Data with { Monitor = data.Root, MonitorSplit = "holdout" } }));

        Assert.Contains("data.monitor", folder.Message);
        Assert.Contains("/nonexistent/photos", folder.Message);
        Assert.Contains("data.monitor_split", split.Message);
        Assert.Contains("no holdout.csv", split.Message);
        var photos = data.Scratch("monitor-photos");
        File.WriteAllText(Path.Combine(photos, "test.csv"), "screens/gone.jpg,2\n");
        var missingImage = Assert.Throws<DatasetException>(() => trainer.Train(Config(output) with { Data = Config(output).Data with { Monitor = photos } }));
        Assert.Contains("test.csv", missingImage.Message);
        Assert.Empty(Directory.GetDirectories(output));
    }

    [Fact]
    public void Loader_is_deterministic_whatever_the_thread_count()
    {
        var dataset = ImageDataset.Load(data.Root, "train", requireAllClasses: true);
        var spec = Core.Models.PreprocessingSpec.Reference(32);
        Batch First(int workers) => new BatchLoader(dataset, spec, Imaging.ImageDecodeLimits.Default, null, seed: 5)
            .ReadEpochAsync(3, new LoaderOptions(8, true, Imaging.AugmentationOptions.Reference, Workers: workers)).ToBlockingEnumerable().First();
        var one = First(1);
        var four = First(4);
        Assert.Equal(one.Indices, four.Indices);
        Assert.Equal(one.Pixels, four.Pixels);
        Assert.Equal(one.Labels, four.Labels);
    }

    [Fact]
    public void Weighted_sampler_balances_classes()
    {
        var dataset = ImageDataset.Load(data.Root, "train", requireAllClasses: true);
        var loader = new BatchLoader(dataset, Core.Models.PreprocessingSpec.Reference(32), Imaging.ImageDecodeLimits.Default, null, seed: 1);
        var order = Enumerable.Range(0, 50).SelectMany(e => loader.Order(e, new LoaderOptions(8, true, null, Weighted: true))).ToArray();
        var perClass = order.GroupBy(i => dataset.Items[i].Label).Select(g => (double)g.Count() / order.Length).ToArray();
        Assert.All(perClass, share => Assert.InRange(share, 0.28, 0.39));
    }

    [Fact]
    public void Inverse_frequency_weights_give_rare_classes_more_weight()
    {
        Assert.Equal([1.5f, 0.75f, 0f], Trainer.InverseFrequency([10, 20, 0]));
    }
}

public class ReportAndTuneTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public ReportAndTuneTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [Fact]
    public void Tune_stores_validation_thresholds_in_the_best_checkpoint_and_report_renders_every_plot()
    {
        var run = data.TrainRun("tune", epochs: 2);

        var tuned = ThresholdTuning.Tune(run.Path, targetPrecision: 0.9);
        var stored = CheckpointFile.ReadMetadata(run.BestCheckpoint).Thresholds;
        Assert.Equal(tuned.Screen.Threshold, stored.Screen);
        Assert.Equal(tuned.NotDocument.Threshold, stored.NotDocument);
        var val = PredictionFile.Read(PredictionFile.PathFor(run, "val"));
        var expected = Core.Metrics.ThresholdTuner.ForPrecision(val.Select(p => p.Actual == Core.Labels.DocumentClass.Screen ? 1 : 0).ToArray(), val.Select(p => p.ScreenProbability).ToArray(), 0.9);
        Assert.Equal(expected.Threshold, stored.Screen);
        using (var reloaded = CheckpointFile.Load(run.BestCheckpoint))
        {
            Assert.Equal(stored, reloaded.Metadata.Thresholds);
        }

        var html = File.ReadAllText(TwinHead.Training.Reports.RunReport.Write(run.Path));
        var plots = Directory.GetFiles(Path.Combine(run.Path, "report"), "*.png");
        Assert.Equal(14, plots.Length);
        Assert.All(plots, p => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(p)[..4]));
        Assert.Equal(plots.Length, System.Text.RegularExpressions.Regex.Matches(html, "src=\"data:image/png;base64,[A-Za-z0-9+/=]{100,}\"").Count);
        Assert.Contains("3-way (macro)", html);
        Assert.Contains("<th>ROC AUC</th>", html);
        // The tiny dataset comes from the generator, so the report breaks each split down by its cues.
        Assert.Contains("<h3>By device (generator.csv)</h3>", html);
        Assert.Contains("<h3>By content (generator.csv)</h3>", html);
        Assert.Contains("<td>monitor</td>", html);
    }
}

public class TensorboardTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public TensorboardTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [Fact]
    public void Runs_write_tensorboard_event_files_with_scalars_images_and_text()
    {
        var run = data.TrainRun("tb", epochs: 1, batchSize: 16, tensorboard: true);
        var events = Directory.GetFiles(run.TensorboardPath, "events.out.tfevents.*", SearchOption.AllDirectories);
        Assert.NotEmpty(events);
        var bytes = events.SelectMany(File.ReadAllBytes).ToArray();
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Contains("val/screen/f1", text);
        Assert.Contains("train/all/loss", text);
        Assert.Contains("train/screen/loss", text);
        Assert.Contains("train/not_document/loss", text);
        Assert.Contains("val/samples", text);
        Assert.Contains("val/predictions", text);
    }
}
