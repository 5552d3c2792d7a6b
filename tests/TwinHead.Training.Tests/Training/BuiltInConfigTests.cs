using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Training;

public class BuiltInConfigTests
{
    [Fact]
    public void Every_repository_config_is_embedded_and_resolves_to_a_valid_config()
    {
        var files = Directory.GetFiles(RepositoryFolder("configs"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(files, BuiltInConfigs.Names);
        foreach (var name in BuiltInConfigs.Names)
        {
            // A teacher run is not part of a clean checkout; everything else must validate as written.
            var config = BuiltInConfigs.Resolve(name, ["distill.teacher="]);
            var exception = Record.Exception(() => config.Validate());
            Assert.True(exception is null, $"configs/{name}.yaml: {exception?.Message}");
        }
    }

    [Fact]
    public void The_shipped_models_recipes_say_what_their_model_cards_say()
    {
        var teacher = BuiltInConfigs.Resolve("teacher-resnet18-128", []);
        Assert.Equal(("resnet18-imagenet", 128, 0.0, 4), (teacher.Model.Backbone, teacher.Data.ImageSize, teacher.Optim.BackboneLrScale, teacher.Optim.Epochs));

        var shipped = BuiltInConfigs.Resolve("resnet18-layer3-64", []);
        Assert.Equal(("resnet18-imagenet-layer3", 64, 256, 0.0, 4, 42, "data/v4"),
            (shipped.Model.Backbone, shipped.Data.ImageSize, shipped.Model.HeadChannels, shipped.Optim.BackboneLrScale, shipped.Optim.Epochs, shipped.Seed, shipped.Data.Root));

        var student = BuiltInConfigs.Resolve("student-distilled-128", []);
        Assert.Equal(("shufflenet_v2_x0_5", 128, 12, 9, 8.0, 7), (student.Model.Backbone, student.Data.ImageSize, student.Optim.Epochs, student.Optim.StepSize, student.Distill.FeatureWeight, student.Seed));
        Assert.Equal("runs/s4-resnet18-frozen-v2big-128", student.Distill.Teacher);
        Assert.Equal(teacher.Data.Root, student.Data.Root);
        // bfloat16 autocast trained this recipe far worse on a Zen 5 (model card), so the recipes train in float32.
        Assert.Equal(("float32", "float32"), (student.Precision, BuiltInConfigs.Resolve("finetune-default", []).Precision));
    }

    [Fact]
    public void The_fine_tuning_recipe_starts_from_the_shipped_checkpoint_which_is_the_shipped_onnx_model()
    {
        var config = BuiltInConfigs.Resolve("finetune-default", []);
        Assert.Equal("models/twinhead-default.ckpt", config.Model.Init);
        var models = RepositoryFolder("models");
        using var init = InitialWeights.Load(Path.Combine(models, "twinhead-default.ckpt"));

        init.CheckFits(config.ToModelOptions());
        Assert.Empty(init.PreprocessingChanges(config.ToPreprocessing()));
        using var checkpoint = CheckpointFile.Load(init.Path);
        var parity = TwinHead.Training.Export.ExportParity.Check(checkpoint.Model, checkpoint.Metadata, Path.Combine(models, "twinhead-default.onnx"));
        Assert.True(parity.Passed, parity.ToString());
    }

    private static string RepositoryFolder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "configs", "default.yaml"))) return candidate;
        }
        throw new DirectoryNotFoundException($"{name}/ not found above {AppContext.BaseDirectory}");
    }
}
