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
