namespace TwinHead.Inference;

/// <summary>
/// Finds the model shipped in the repository's <c>models/</c> folder, so <c>twinhead predict photo.jpg</c> works without naming one.
/// </summary>
public static class DefaultModel
{
    /// <summary>File name of the shipped default model.</summary>
    public const string FileName = "twinhead-default.onnx";

    /// <summary>Environment variable that names another default model.</summary>
    public const string EnvironmentVariable = "TWINHEAD_MODEL";

    /// <summary>
    /// The default model: <c>$TWINHEAD_MODEL</c> if set, else <c>models/twinhead-default.onnx</c> beside the application, else in the
    /// current folder or one of its parents. Null when none exists.
    /// </summary>
    public static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        var besideApp = Path.Combine(AppContext.BaseDirectory, "models", FileName);
        if (File.Exists(besideApp)) return besideApp;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// <see cref="Find"/>, or a <see cref="FileNotFoundException"/> naming where the default was looked for and
    /// <paramref name="howToName"/>, the way the calling command takes a model instead.
    /// </summary>
    public static string Require(string howToName) => Find()
        ?? throw new FileNotFoundException($"no model named and no default model found (models/{FileName} or ${EnvironmentVariable}); {howToName}");
}
