using TwinHead.Synthetic;

namespace TwinHead.Training.Tests;

/// <summary>Small generated datasets shared by the tests of a class; deleted with it.</summary>
public sealed class TinyDataset : IDisposable
{
    public TinyDataset(int count = 60, int size = 64, int seed = 7)
    {
        Root = Path.Combine(Path.GetTempPath(), $"twinhead-test-{Guid.NewGuid():N}");
        new SyntheticDatasetGenerator(new SynthOptions(Root, count, seed, size, size, Parallelism: 2, Version: GeneratorVersion.Procedural)).Generate();
    }

    public string Root { get; }

    public string Scratch(string name)
    {
        var path = Path.Combine(Root, "..", Path.GetFileName(Root) + "-" + name);
        Directory.CreateDirectory(path);
        return Path.GetFullPath(path);
    }

    /// <summary>A copy of the whole dataset in a fresh scratch folder, for tests that change files.</summary>
    public string CopyTo(string scratchName)
    {
        var target = Scratch(scratchName);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        return target;
    }

    /// <summary>The quickstart recipe shrunk for tests: 32 px, one thread, a run folder named "run" under a fresh scratch folder.</summary>
    public TwinHead.Training.Training.TrainingConfig Config(string scratchName, int epochs, int batchSize = 8, bool tensorboard = false) =>
        TwinHead.Training.Training.BuiltInConfigs.Resolve("quickstart", [
            $"data.root={Root}", "data.image_size=32", $"data.batch_size={batchSize}", "data.workers=2", $"optim.epochs={epochs}",
            $"output={Scratch(scratchName)}", "name=run", $"tensorboard={(tensorboard ? "true" : "false")}", "threads=1"]);

    /// <summary>Trains <see cref="Config"/> and returns the run folder.</summary>
    public TwinHead.Training.Training.RunFolder TrainRun(string scratchName, int epochs, int batchSize = 8, bool tensorboard = false) =>
        new TwinHead.Training.Training.Trainer(new Tests.Training.RecordingObserver()).Train(Config(scratchName, epochs, batchSize, tensorboard)).Run;

    public void Dispose()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetDirectoryName(Root)!, Path.GetFileName(Root) + "*"))
            Directory.Delete(dir, recursive: true);
    }
}

public sealed class TinyDatasetFixture : IDisposable
{
    public TinyDataset Data { get; } = new(count: 60, size: 64);
    public void Dispose() => Data.Dispose();
}
