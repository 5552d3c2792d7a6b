using TwinHead.Core.Models;
using TwinHead.Imaging;
using TwinHead.Training.Data;

namespace TwinHead.Training.Tests.Data;

public class UnlabeledImagesTests : IClassFixture<TinyDatasetFixture>
{
    private readonly TinyDataset data;

    public UnlabeledImagesTests(TinyDatasetFixture fixture) => data = fixture.Data;

    /// <summary>Five generated images spread over nested folders, beside files that are not images.</summary>
    private string Folder(string name)
    {
        var root = data.Scratch(name);
        var sources = Directory.EnumerateFiles(Path.Combine(data.Root, "not a documents")).Order().Take(5).ToArray();
        for (var i = 0; i < sources.Length; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, i < 2 ? "z" : "a/b")).FullName;
            File.Copy(sources[i], Path.Combine(folder, $"img{i}{Path.GetExtension(sources[i]).ToUpperInvariant()}"));
        }
        File.WriteAllText(Path.Combine(root, "list.csv"), "x");
        File.WriteAllText(Path.Combine(root, "a", "README"), "x");
        return root;
    }

    [Fact]
    public void A_folder_lists_its_images_recursively_in_a_stable_order()
    {
        var root = Folder("unlabeled-list");
        var set = ImageDataset.Unlabeled(root);

        Assert.Equal("unlabeled", set.Split);
        Assert.Equal(5, set.Count);
        Assert.Equal(set.Items.Select(i => i.RelativePath).Order(StringComparer.Ordinal), set.Items.Select(i => i.RelativePath));
        Assert.StartsWith("a", set.Items[0].RelativePath);
        Assert.All(set.Items, i => Assert.True(File.Exists(Path.Combine(root, i.RelativePath))));

        Assert.Contains("does not exist", Assert.Throws<DatasetException>(() => ImageDataset.Unlabeled(root + "-missing")).Message);
        var noImages = Directory.CreateDirectory(Path.Combine(root, "..", Path.GetFileName(root) + "-text-only")).FullName;
        File.WriteAllText(Path.Combine(noImages, "notes.txt"), "x");
        var error = Assert.Throws<DatasetException>(() => ImageDataset.Unlabeled(noImages));
        Assert.Contains(noImages, error.Message);
        Assert.Contains("holds no image", error.Message);
    }

    [Fact]
    public void The_stream_runs_epoch_after_epoch_with_a_new_order_each_time_and_stops_when_disposed()
    {
        var set = ImageDataset.Unlabeled(Folder("unlabeled-stream"));
        var loader = new BatchLoader(set, PreprocessingSpec.Reference(32), ImageDecodeLimits.Default, null, seed: 3);
        var options = new LoaderOptions(BatchSize: 2, Shuffle: true, Augmentation: null);
        var seen = new List<int[]>();
        using (var stream = new UnlabeledBatchStream(loader, options, CancellationToken.None))
        {
            for (var i = 0; i < 9; i++) seen.Add(stream.Next().Indices);
            Assert.Equal(3, stream.Epochs);
        }

        // Batches of 2, 2, 1 per epoch of five images, each epoch a permutation of all five.
        Assert.Equal([2, 2, 1, 2, 2, 1, 2, 2, 1], seen.Select(b => b.Length));
        var epochs = Enumerable.Range(0, 3).Select(e => seen.Skip(3 * e).Take(3).SelectMany(b => b).ToArray()).ToArray();
        Assert.All(epochs, e => Assert.Equal([0, 1, 2, 3, 4], e.Order()));
        Assert.False(epochs[0].SequenceEqual(epochs[1]) && epochs[1].SequenceEqual(epochs[2]), "every epoch had the same order");
    }
}
