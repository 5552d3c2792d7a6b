namespace TwinHead.Synthetic;

/// <summary>
/// Keeps some photos and fonts out of the training images (<see cref="SynthOptions.HeldOutSources"/>): validation and
/// test images are then drawn only from sources no training image used, so their figures say how a model does on
/// pictures and typefaces it has never seen, as real photos are, instead of on new arrangements of familiar ones.
/// </summary>
internal static class SourcePartition
{
    /// <summary>
    /// Draws round(<paramref name="fraction"/> x n) of the items (at least one, at most n - 1) with <paramref name="rng"/>;
    /// both parts keep the items' order. A single item is in both parts: there is nothing to hold out, and leaving it out
    /// of one side would make the splits differ in what they can show.
    /// </summary>
    public static (IReadOnlyList<string> Kept, IReadOnlyList<string> HeldOut) Split(IReadOnlyList<string> items, double fraction, SampleRandom rng)
    {
        var n = items.Count;
        if (n < 2) return (items.ToArray(), items.ToArray());
        var count = Math.Clamp((int)Math.Round(n * fraction, MidpointRounding.AwayFromZero), 1, n - 1);
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.Index(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var held = order.Take(count).ToHashSet();
        return (Enumerable.Range(0, n).Where(i => !held.Contains(i)).Select(i => items[i]).ToArray(),
                Enumerable.Range(0, n).Where(held.Contains).Select(i => items[i]).ToArray());
    }

    /// <summary>The assets for training images and those for validation and test images, drawn from <paramref name="seed"/>.</summary>
    public static (SceneAssets Training, SceneAssets HeldOut) Split(SceneAssets assets, double fraction, int seed)
    {
        var photoRng = new SampleRandom(SampleRandom.Derive(seed, 0, stream: 0x4e1d));
        var fontRng = new SampleRandom(SampleRandom.Derive(seed, 1, stream: 0x4e1d));
        var (keptPhotos, heldPhotos) = Split(assets.Photos.Files, fraction, photoRng);
        var (keptFonts, heldFonts) = assets.Fonts.Partition(fraction, fontRng);
        return (new SceneAssets(assets.Photos.Subset(keptPhotos), keptFonts), new SceneAssets(assets.Photos.Subset(heldPhotos), heldFonts));
    }
}
