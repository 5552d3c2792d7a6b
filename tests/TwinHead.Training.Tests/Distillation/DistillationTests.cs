using TwinHead.Core.Config;
using TwinHead.Training.Distillation;
using TwinHead.Training.Models;
using TwinHead.Training.Tests.Training;
using TwinHead.Training.Training;
using static TorchSharp.torch;

namespace TwinHead.Training.Tests.Distillation;

[Collection(GlobalRandomState.Name)]
public sealed class DistillationTests : IClassFixture<TinyDatasetFixture>
{
    private static readonly Tensor Labels = tensor(new long[] { 0, 1, 2, 2, 1, 0, 2, 1 });
    private readonly TinyDataset data;

    public DistillationTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [Fact]
    public void With_alpha_zero_the_loss_is_exactly_the_hard_loss()
    {
        manual_seed(1);
        var student = randn(8, 4) * 2;
        var teacher = randn(8, 4) * 2;
        var settings = new LossSettings();

        var distilled = new DistillationLoss(Temperature: 4, Alpha: 0).Compute(Architecture.TwoHeaded, student, Architecture.TwoHeaded, teacher, Labels, settings);
        var hard = Architecture.TwoHeaded.Loss(student, Labels, settings);

        Assert.Equal(hard.item<float>(), distilled.item<float>());
    }

    [Fact]
    public void Rows_past_the_labels_are_unlabeled_and_get_only_the_soft_loss()
    {
        manual_seed(4);
        var student = randn(12, 4) * 2;
        var teacher = randn(12, 4) * 2;
        var settings = new LossSettings();
        var loss = new DistillationLoss(Temperature: 3, Alpha: 0.6);

        var mixed = loss.Compute(Architecture.TwoHeaded, student, Architecture.TwoHeaded, teacher, Labels, settings).item<float>();
        var hard = Architecture.TwoHeaded.Loss(student.narrow(0, 0, 8), Labels, settings).item<float>();
        var soft = loss.SoftLoss(Architecture.TwoHeaded, student, Architecture.TwoHeaded, teacher, settings).item<float>();

        Assert.Equal(0.4f * hard + 0.6f * 9 * soft, mixed, 4);
        Assert.Throws<ArgumentException>(() => loss.Compute(Architecture.TwoHeaded, student.narrow(0, 0, 4), Architecture.TwoHeaded, teacher.narrow(0, 0, 4), Labels, settings));
    }

    [Fact]
    public void Soft_loss_is_zero_for_the_teacher_itself_and_weights_heads_two_to_one()
    {
        manual_seed(2);
        var logits = randn(8, 4);
        var loss = new DistillationLoss(4, 1);
        Assert.Equal(0, loss.SoftLoss(Architecture.TwoHeaded, logits, Architecture.TwoHeaded, logits, new LossSettings()).item<float>(), 6);

        // Only the screen pair differs: the soft loss doubles when the screen weight goes from 1 to 2.
        var other = logits.clone();
        other[.., 0] += 3;
        var weighted = loss.SoftLoss(Architecture.TwoHeaded, other, Architecture.TwoHeaded, logits, new LossSettings(ScreenWeight: 2)).item<float>();
        var unit = loss.SoftLoss(Architecture.TwoHeaded, other, Architecture.TwoHeaded, logits, new LossSettings(ScreenWeight: 1)).item<float>();
        Assert.True(unit > 1e-3);
        Assert.Equal(2 * unit, weighted, 5);
    }

    [Fact]
    public void A_few_steps_towards_a_tiny_teacher_lower_the_distillation_loss()
    {
        manual_seed(3);
        using var teacher = ModelRegistry.Create(new ModelOptions { HeadChannels = 16 });
        using var student = ModelRegistry.Create(new ModelOptions { HeadChannels = 16 });
        teacher.Network.eval();
        student.Network.eval();
        var x = randn(8, 3, 32, 32);
        var loss = new DistillationLoss(Temperature: 2, Alpha: 0.7);
        var optimizer = optim.Adam(student.Network.parameters(), 1e-2);
        Tensor teacherLogits;
        using (no_grad()) teacherLogits = teacher.Network.call(x);

        var losses = new List<float>();
        for (var step = 0; step < 6; step++)
        {
            optimizer.zero_grad();
            var value = loss.Compute(Architecture.TwoHeaded, student.Network.call(x), Architecture.TwoHeaded, teacherLogits, Labels, new LossSettings());
            value.backward();
            optimizer.step();
            losses.Add(value.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"distillation loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F4")))}");
    }

    [Fact]
    public void A_three_output_teacher_gives_per_head_targets_and_a_two_headed_teacher_cannot_teach_three_outputs()
    {
        var threeWay = tensor(new float[] { 0, 0, 5, 5, 0, 0 }).reshape(2, 3);
        var loss = new DistillationLoss(1, 1);
        // A student that agrees with the derived heads (screen pair and not-document pair) has a smaller soft loss than one that disagrees.
        var agreeing = tensor(new float[] { -4, 4, 0, -4, 4, -4, 0, -4 }).reshape(2, 4);
        var disagreeing = tensor(new float[] { 4, -4, 0, 4, -4, 4, 0, 4 }).reshape(2, 4);
        var settings = new LossSettings();
        Assert.True(loss.SoftLoss(Architecture.TwoHeaded, agreeing, Architecture.ThreeOutput, threeWay, settings).item<float>()
                    < loss.SoftLoss(Architecture.TwoHeaded, disagreeing, Architecture.ThreeOutput, threeWay, settings).item<float>());
        Assert.Throws<NotSupportedException>(() => loss.SoftLoss(Architecture.ThreeOutput, threeWay, Architecture.TwoHeaded, agreeing, settings));
    }

    /// <summary>Eight Adam steps (lr 0.01) on the model and <paramref name="extra"/> parameters; the loss before each step.</summary>
    private static List<float> Descend(BuiltModel model, IReadOnlyList<TorchSharp.Modules.Parameter> extra, Func<Tensor> loss)
    {
        var optimizer = Trainer.CreateOptimizer(model, new OptimConfig { Lr = 1e-2 }, extra);
        var losses = new List<float>();
        for (var step = 0; step < 8; step++)
        {
            optimizer.zero_grad();
            var value = loss();
            value.backward();
            optimizer.step();
            losses.Add(value.item<float>());
        }
        return losses;
    }

    /// <summary>The teacher of the distillation tests: a slim-headed tiny run named <c>teacher</c> under <paramref name="output"/>.</summary>
    private TrainingResult TinyTeacher(string output) => new Trainer(new RecordingObserver()).Train(TinyRun(output, "teacher", ["model.head_channels=32"]));

    /// <summary>One epoch of three steps at 32 px on the tiny dataset, written under <paramref name="output"/>.</summary>
    private TrainingConfig TinyRun(string output, string name, string[] extra) => BuiltInConfigs.Resolve("quickstart", [
        $"data.root={data.Root}", "data.image_size=32", "data.batch_size=8", "data.workers=2", "optim.epochs=1",
        "data.max_steps_per_epoch=3", $"output={output}", $"name={name}", "tensorboard=false", "threads=1", .. extra]);

    [Fact]
    public void Trainer_distils_from_a_teacher_checkpoint_and_records_it()
    {
        var output = data.Scratch("distill");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);

        var student = new Trainer(new RecordingObserver()).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.temperature=3", "distill.alpha=0.5"));

        Assert.Single(student.Epochs);
        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        using var saved = CheckpointFile.Load(student.Run.BestCheckpoint);
        Assert.Equal(Path.GetFullPath(teacher.Run.BestCheckpoint), saved.Metadata.Extra["distilled_from"]);
        Assert.Equal(3.0, student.Run.ReadConfig().Distill.Temperature);

        var mismatch = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(
            Config("bad", $"distill.teacher={teacher.Run.BestCheckpoint}", "data.image_size=64")));
        Assert.Contains("data.image_size", mismatch.Message);
        Assert.Throws<ConfigException>(() => Config("x", "distill.teacher=/nonexistent.ckpt").Validate());
        Assert.Equal(teacher.Run.BestCheckpoint, Config("x", $"distill.teacher={teacher.Run.Path}").Validate().Distill.TeacherCheckpoint());
        var empty = Directory.CreateDirectory(Path.Combine(output, "empty-run")).FullName;
        Assert.Contains("run folder", Assert.Throws<ConfigException>(() => Config("x", $"distill.teacher={empty}").Validate()).Message);
        Assert.Throws<ConfigException>(() => Config("x", "distill.alpha=1.5").Validate());
    }

    [Fact]
    public void A_teacher_at_twice_the_students_size_gets_batches_at_its_size_and_the_student_their_block_average()
    {
        var output = data.Scratch("distill-scaled");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = new Trainer(new RecordingObserver()).Train(Config("teacher", "data.image_size=64", "model.head_channels=32"));

        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.feature_weight=1"));

        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        Assert.Contains(observer.Messages, m => m.Contains("teacher's 64x64, averaged down to 32x32"));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
        {
            Assert.Equal(32, saved.Metadata.Preprocessing.Width);
            Assert.Equal("64x64", saved.Metadata.Extra["teacher_input"]);
        }

        manual_seed(3);
        using var model = ModelRegistry.Create(new ModelOptions());
        using var distiller = new Distiller(new DistillConfig { Teacher = teacher.Run.BestCheckpoint, FeatureWeight = 1 }, TwinHead.Core.Models.PreprocessingSpec.Reference(32), model);
        Assert.Equal(2, distiller.InputScale);
        var x = randn(2, 3, 64, 64);
        var view = distiller.StudentView(x);
        Assert.Equal([2L, 3, 32, 32], view.shape);
        Assert.Equal(x[0, 1, 6..8, 10..12].mean().item<float>(), view[0, 1, 3, 5].item<float>(), 5);
        // The teacher's 2x2 trunk map is averaged to the student's 1x1 map: a student equal to that average has no feature loss.
        using (no_grad())
        {
            distiller.Projection!.weight!.zero_();
            distiller.Projection.bias!.fill_(1f);
        }
        var teacherTrunk = ones(2, distiller.Projection.weight!.shape[0], 2, 2);
        teacherTrunk[.., .., 0, 0] = tensor(0f);
        teacherTrunk[.., .., 0, 1] = tensor(2f);
        Assert.Equal(0f, distiller.FeatureLoss(randn(2, distiller.Projection.weight.shape[1], 1, 1), teacherTrunk).item<float>(), 6);

        var tooSmall = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(
            Config("bad", $"distill.teacher={teacher.Run.BestCheckpoint}", "data.image_size=48")));
        Assert.Contains("whole multiple", tooSmall.Message);
    }

    [Fact]
    public void Trainer_adds_unlabeled_images_to_every_step_and_records_the_folder()
    {
        var output = data.Scratch("distill-unlabeled");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);
        // Nested folders and a non-image file, as a folder of collected photos has.
        var unlabeled = Path.Combine(output, "unlabeled");
        var sources = Directory.EnumerateFiles(Path.Combine(data.Root, "screens")).Take(3).Concat(Directory.EnumerateFiles(Path.Combine(data.Root, "documents")).Take(2)).ToArray();
        for (var i = 0; i < sources.Length; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(unlabeled, i % 2 == 0 ? "a" : "b/c")).FullName;
            File.Copy(sources[i], Path.Combine(folder, $"{i}{Path.GetExtension(sources[i])}"));
        }
        File.WriteAllText(Path.Combine(unlabeled, "notes.txt"), "not an image");

        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", $"distill.unlabeled={unlabeled}",
            "distill.unlabeled_batch_size=4", "distill.feature_weight=1"));

        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        Assert.Contains(observer.Messages, m => m.Contains("4 of 5 unlabeled images"));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
            Assert.Equal($"{Path.GetFullPath(unlabeled)} (5 images)", saved.Metadata.Extra["distilled_on_unlabeled"]);

        Assert.Contains("needs distill.teacher", Assert.Throws<ConfigException>(() => Config("x", $"distill.unlabeled={unlabeled}").Validate()).Message);
        Assert.Contains("distill.unlabeled", Assert.Throws<ConfigException>(() =>
            Config("x", $"distill.teacher={teacher.Run.BestCheckpoint}", $"distill.unlabeled={unlabeled}-missing").Validate()).Message);
        var empty = Directory.CreateDirectory(Path.Combine(output, "no-images")).FullName;
        File.WriteAllText(Path.Combine(empty, "readme.md"), "nothing");
        var noImages = Assert.Throws<TwinHead.Training.Data.DatasetException>(() => new Trainer(new RecordingObserver()).Train(
            Config("empty", $"distill.teacher={teacher.Run.BestCheckpoint}", $"distill.unlabeled={empty}")));
        Assert.Contains(empty, noImages.Message);
        Assert.Contains("no image", noImages.Message);
    }

    [Fact]
    public void Feature_distillation_fits_a_projection_that_stays_out_of_the_checkpoint_and_needs_two_heads()
    {
        var output = data.Scratch("feature-distill");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);

        var student = new Trainer(new RecordingObserver()).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.feature_weight=1"));
        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
        using (var plain = ModelRegistry.Create(new ModelOptions()))
        {
            Assert.Equal(plain.Network.state_dict().Keys.Order(), saved.Model.Network.state_dict().Keys.Order());
        }

        // On a fixed batch, steps on the student and the projection bring the student's trunk towards the teacher's.
        manual_seed(5);
        using var model = ModelRegistry.Create(new ModelOptions());
        using var teacherFile = CheckpointFile.Load(teacher.Run.BestCheckpoint);
        using var distiller = new Distiller(new DistillConfig { Teacher = teacher.Run.BestCheckpoint, FeatureWeight = 1 }, teacherFile.Metadata.Preprocessing, model);
        Assert.NotNull(distiller.Projection);
        model.Network.eval();
        var x = randn(8, 3, 32, 32);
        Tensor teacherTrunk;
        using (no_grad()) teacherTrunk = ((TwoHeadedNetwork)distiller.Teacher.Network).ForwardWithStages(x).Stages[^1];
        var losses = Descend(model, distiller.Projection!.parameters().ToArray(),
            () => distiller.FeatureLoss(((TwoHeadedNetwork)model.Network).ForwardWithStages(x).Stages[^1], teacherTrunk));
        Assert.True(losses[^1] < 0.5 * losses[0], $"feature loss: {string.Join(", ", losses.Select(l => l.ToString("F4")))}");

        var threeOutput = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(
            Config("three", "model.architecture=three-output", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.feature_weight=1")));
        Assert.Contains("distill.feature_weight", threeOutput.Message);
        Assert.Contains("distill.feature_weight", Assert.Throws<ConfigException>(() => Config("x", "distill.feature_weight=-1").Validate()).Message);
    }

    [Fact]
    public void Stage_hints_pair_the_stages_of_equal_stride_and_teach_them_the_teachers_maps()
    {
        var output = data.Scratch("stage-distill");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);

        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.stage_weight=2"));
        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        // The teacher's last stage is the trunk hint's (feature_weight), so only stage2 and stage3 are paired here.
        Assert.Contains(observer.Messages, m => m.Contains("stage hints stage2->stage2, stage3->stage3 (weight 2)"));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
        using (var plain = ModelRegistry.Create(new ModelOptions()))
        {
            Assert.Equal(plain.Network.state_dict().Keys.Order(), saved.Model.Network.state_dict().Keys.Order());
        }

        // On a fixed batch, steps on the student and the stage projections bring its stage2 map towards the teacher's.
        manual_seed(6);
        using var model = ModelRegistry.Create(new ModelOptions());
        using var teacherFile = CheckpointFile.Load(teacher.Run.BestCheckpoint);
        using var distiller = new Distiller(new DistillConfig { Teacher = teacher.Run.BestCheckpoint, StageWeight = 1 }, teacherFile.Metadata.Preprocessing, model);
        Assert.Null(distiller.Projection);
        Assert.Equal([(0, 0), (1, 1)], distiller.StagePairs.Select(p => (p.StudentStage, p.TeacherStage)));
        Assert.Equal(distiller.StagePairs.Sum(p => p.Projection.parameters().Count()), distiller.HintParameters().Count);
        model.Network.eval();
        var x = randn(8, 3, 32, 32);
        Tensor teacherStage;
        using (no_grad()) teacherStage = ((TwoHeadedNetwork)distiller.Teacher.Network).ForwardWithStages(x).Stages[0];
        var pair = distiller.StagePairs[0];
        var losses = Descend(model, distiller.HintParameters(),
            () => Distiller.HintLoss(pair.Projection, ((TwoHeadedNetwork)model.Network).ForwardWithStages(x).Stages[0], teacherStage));
        Assert.True(losses[^1] < 0.5 * losses[0], $"stage2 hint loss: {string.Join(", ", losses.Select(l => l.ToString("F4")))}");

        var threeOutput = Assert.Throws<ConfigException>(() => new Trainer(new RecordingObserver()).Train(
            Config("three", "model.architecture=three-output", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.stage_weight=1")));
        Assert.Contains("distill.stage_weight", threeOutput.Message);
        Assert.Contains("distill.stage_weight", Assert.Throws<ConfigException>(() => Config("x", "distill.stage_weight=-1").Validate()).Message);
    }

    [Fact]
    public void A_hint_only_trunk_gets_the_gradient_of_the_hint_alone_and_the_heads_that_of_the_rest()
    {
        var output = data.Scratch("hint-only-trunk");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);
        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.feature_weight=2", "distill.hint_only_trunk=true"));
        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        Assert.Contains(observer.Messages, m => m.Contains("trunk trained by the hints only"));
        var missingHint = Assert.Throws<ConfigException>(() => Config("x", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.hint_only_trunk=true").Validate());
        Assert.Contains("distill.hint_only_trunk", missingHint.Message);
        Assert.Contains("feature_weight", missingHint.Message);

        // One step's gradients: the trunk's equal those of the weighted hint alone; the heads' are those of the whole loss.
        manual_seed(8);
        using var model = ModelRegistry.Create(new ModelOptions());
        using var teacherFile = CheckpointFile.Load(teacher.Run.BestCheckpoint);
        var config = new DistillConfig { Teacher = teacher.Run.BestCheckpoint, FeatureWeight = 2, HintOnlyTrunk = true };
        using var distiller = new Distiller(config, teacherFile.Metadata.Preprocessing, model);
        model.Network.eval();
        var x = randn(8, 3, 32, 32);
        var network = (TwoHeadedNetwork)model.Network;
        Dictionary<string, Tensor> Gradients(Func<Tensor> loss)
        {
            network.zero_grad();
            loss().backward();
            // Parameters the loss does not reach have no gradient, or a zero one.
            return network.named_parameters().Where(p => p.parameter.grad is { } g && g.abs().sum().item<float>() > 0)
                .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        }
        var step = Gradients(() => distiller.Step(model, x, Labels, new LossSettings()).Loss);
        Tensor teacherTrunk;
        using (no_grad()) teacherTrunk = ((TwoHeadedNetwork)distiller.Teacher.Network).ForwardWithStages(x).Stages[^1];
        var hint = Gradients(() => distiller.FeatureLoss(network.ForwardWithStages(x).Stages[^1], teacherTrunk).Times(2));
        var trunk = step.Keys.Where(k => k.StartsWith("base_model.")).ToList();
        Assert.NotEmpty(trunk);
        Assert.Equal(trunk.Order(), hint.Keys.Where(k => k.StartsWith("base_model.")).Order());
        foreach (var name in trunk) Assert.True(step[name].allclose(hint[name], rtol: 1e-4, atol: 1e-7), name);
        Assert.Contains("fc1.weight", step.Keys);
        Assert.DoesNotContain(hint.Keys, k => k.StartsWith("fc1.") || k.StartsWith("head1_conv."));
    }

    [Fact]
    public void Trainer_adds_mixed_images_to_every_step_and_records_them()
    {
        var output = data.Scratch("distill-mixup");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);

        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.mixup_images=3", "distill.mixup_alpha=0.5"));

        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        Assert.Contains(observer.Messages, m => m.Contains("3 mixed images per step (mixup alpha 0.5)"));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
            Assert.Equal("3 per step, alpha 0.5", saved.Metadata.Extra["distilled_on_mixed"]);
        Assert.Equal(3, student.Run.ReadConfig().Distill.MixupImages);

        Assert.Contains("needs distill.teacher", Assert.Throws<ConfigException>(() => Config("x", "distill.mixup_images=4").Validate()).Message);
        Assert.Contains("distill.mixup_images", Assert.Throws<ConfigException>(() =>
            Config("x", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.mixup_images=-1").Validate()).Message);
        Assert.Contains("distill.mixup_alpha", Assert.Throws<ConfigException>(() =>
            Config("x", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.mixup_images=4", "distill.mixup_alpha=0").Validate()).Message);
    }

    [Fact]
    public void Mixed_images_blend_two_different_images_reproducibly_per_epoch_with_beta_weights()
    {
        var output = data.Scratch("mixup-unit");
        var teacher = new Trainer(new RecordingObserver()).Train(TinyRun(output, "teacher", ["model.head_channels=32"]));
        using var model = ModelRegistry.Create(new ModelOptions());
        Distiller Distiller(double alpha) => new(new DistillConfig { Teacher = teacher.Run.BestCheckpoint, MixupImages = 1, MixupAlpha = alpha },
            TwinHead.Core.Models.PreprocessingSpec.Reference(32), model, seed: 11);

        // Image i is 1 at element 2i and 0 elsewhere, so a mixture shows which images it blends and with what weights.
        var images = zeros(6, 3, 2, 2);
        var flat = images.view(6, 12);
        for (var i = 0; i < 6; i++) flat[i, 2 * i] = 1;

        using var uniform = Distiller(1);
        uniform.StartEpoch(3);
        var mixed = uniform.Mix(images, 300).view(300, 12);
        Assert.Equal(0, mixed.lt(0).sum().item<long>());
        Assert.True(mixed.sum(1).sub(1).abs().max().item<float>() < 1e-5);
        Assert.Equal(300, mixed.gt(0).sum(1).eq(2).sum().item<long>());
        Assert.Equal(0, mixed.narrow(1, 1, 1).abs().sum().item<float>());

        uniform.StartEpoch(3);
        Assert.True(uniform.Mix(images, 300).view(300, 12).eq(mixed).all().item<bool>());
        uniform.StartEpoch(4);
        Assert.False(uniform.Mix(images, 300).view(300, 12).eq(mixed).all().item<bool>());

        // The mixing draws from the distiller's generator only: the global one gives what it would have without it.
        manual_seed(9);
        var expected = rand(4);
        manual_seed(9);
        uniform.Mix(images, 10);
        Assert.True(rand(4).eq(expected).all().item<bool>());

        // Beta(α, α): a small α keeps one image dominant, a large α blends near half and half.
        double MeanDominantWeight(double alpha)
        {
            using var distiller = Distiller(alpha);
            distiller.StartEpoch(1);
            return distiller.Mix(images, 400).view(400, 12).max(1).values.mean().item<float>();
        }
        var peaked = MeanDominantWeight(0.2);
        var blended = MeanDominantWeight(20);
        Assert.InRange(peaked, 0.75, 1.0);
        Assert.InRange(blended, 0.5, 0.6);
        Assert.InRange(MeanDominantWeight(1), 0.7, 0.8);
    }

    [Fact]
    public void Trainer_shows_the_student_random_convolutions_and_records_them()
    {
        var output = data.Scratch("distill-randconv");
        TrainingConfig Config(string name, params string[] extra) => TinyRun(output, name, extra);
        var teacher = TinyTeacher(output);

        var observer = new RecordingObserver();
        var student = new Trainer(observer).Train(Config("student", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.random_convolution=0.5"));

        Assert.True(double.IsFinite(student.Epochs[0].TrainLoss));
        Assert.Contains(observer.Messages, m => m.Contains("random convolutions on 0.5 of the student's images"));
        using (var saved = CheckpointFile.Load(student.Run.BestCheckpoint))
            Assert.Equal("0.5", saved.Metadata.Extra["student_random_convolution"]);
        Assert.Equal(0.5, student.Run.ReadConfig().Distill.RandomConvolution);

        Assert.Contains("needs distill.teacher", Assert.Throws<ConfigException>(() => Config("x", "distill.random_convolution=0.5").Validate()).Message);
        Assert.Contains("distill.random_convolution", Assert.Throws<ConfigException>(() =>
            Config("x", $"distill.teacher={teacher.Run.BestCheckpoint}", "distill.random_convolution=1.5").Validate()).Message);
    }

    [Fact]
    public void Random_convolutions_keep_channel_means_change_texture_and_repeat_per_epoch()
    {
        var output = data.Scratch("randconv-unit");
        var teacher = new Trainer(new RecordingObserver()).Train(TinyRun(output, "teacher", ["model.head_channels=32"]));
        using var model = ModelRegistry.Create(new ModelOptions());
        using var distiller = new Distiller(new DistillConfig { Teacher = teacher.Run.BestCheckpoint, RandomConvolution = 1 },
            TwinHead.Core.Models.PreprocessingSpec.Reference(32), model, seed: 5);
        manual_seed(3);
        var images = randn(8, 3, 16, 16);

        Assert.True(distiller.RandomConvolution(images, 0).eq(images).all().item<bool>());

        distiller.StartEpoch(2);
        var seen = new List<Tensor>();
        for (var i = 0; i < 12; i++) seen.Add(distiller.RandomConvolution(images, 1));
        long[] spatial = [2, 3];
        foreach (var view in seen)
        {
            Assert.Equal(images.shape, view.shape);
            Assert.True(view.mean(spatial).sub(images.mean(spatial)).abs().max().item<float>() < 1e-4);
            // λ < 1 for every image, so every image changes.
            Assert.True(view.sub(images).abs().amax(new long[] { 1, 2, 3 }).min().item<float>() > 1e-3);
        }

        distiller.StartEpoch(2);
        Assert.True(distiller.RandomConvolution(images, 1).eq(seen[0]).all().item<bool>());
        distiller.StartEpoch(3);
        Assert.False(distiller.RandomConvolution(images, 1).eq(seen[0]).all().item<bool>());

        // With probability 0.5 some images are left exactly as they were and some are not.
        var half = distiller.RandomConvolution(images, 0.5).sub(images).abs().amax(new long[] { 1, 2, 3 });
        var untouched = half.eq(0).sum().item<long>();
        Assert.InRange(untouched, 1, 7);

        // The draws come from the distiller's generator only.
        manual_seed(9);
        var expected = rand(4);
        manual_seed(9);
        distiller.RandomConvolution(images, 1);
        Assert.True(rand(4).eq(expected).all().item<bool>());
    }

    [Fact]
    public void A_resumed_run_continues_with_the_hint_projections_it_had()
    {
        var output = data.Scratch("distill-resume-hints");
        var teacher = TinyTeacher(output);
        var first = new Trainer(new RecordingObserver()).Train(TinyRun(output, "student", [$"distill.teacher={teacher.Run.BestCheckpoint}", "distill.feature_weight=1"]));
        byte[] saved;
        using (var last = CheckpointFile.Load(first.Run.LastCheckpoint)) saved = last.HintWeights!;
        Assert.NotNull(saved);
        using (var best = CheckpointFile.Load(first.Run.BestCheckpoint)) Assert.Null(best.HintWeights);

        var config = first.Run.ReadConfig();
        File.WriteAllText(first.Run.ConfigPath, LayeredYamlConfig.ToYaml(config with { Optim = config.Optim with { Epochs = 2 } }));
        var observer = new RecordingObserver();
        var resumed = new Trainer(observer).Resume(first.Run.Path);
        Assert.Equal([2], resumed.Epochs.Select(e => e.Epoch));
        Assert.DoesNotContain(observer.Messages, m => m.Contains("hint projections"));

        // What is saved is what a fresh distiller then holds.
        using var model = ModelRegistry.Create(new ModelOptions());
        var spec = TwinHead.Core.Models.PreprocessingSpec.Reference(32);
        var hinted = new DistillConfig { Teacher = teacher.Run.BestCheckpoint, FeatureWeight = 1 };
        using var source = new Distiller(hinted, spec, model);
        using (no_grad()) source.Projection!.weight!.fill_(0.25f);
        using var target = new Distiller(hinted, spec, model);
        Assert.False(target.Projection!.weight!.eq(source.Projection.weight!).all().item<bool>());
        target.LoadHints(source.SaveHints()!, "source.ckpt");
        Assert.True(target.Projection.weight!.eq(source.Projection.weight!).all().item<bool>());
        Assert.True(target.Projection.bias!.eq(source.Projection.bias!).all().item<bool>());

        using var plain = new Distiller(hinted with { FeatureWeight = 0 }, spec, model);
        Assert.Null(plain.SaveHints());
        Assert.Contains("source.ckpt", Assert.Throws<InvalidDataException>(() => plain.LoadHints(saved, "source.ckpt")).Message);
    }
}
