using TwinHead.Core.Config;

namespace TwinHead.Training.Training;

/// <summary>The configs shipped inside the assembly (the repository's <c>configs/*.yaml</c>), so commands run with no files around.</summary>
public static class BuiltInConfigs
{
    /// <summary>Names of the embedded configs (without extension).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(BuiltInConfigs).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("configs/", StringComparison.Ordinal))
        .Select(n => Path.GetFileNameWithoutExtension(n))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The YAML text of an embedded config.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(BuiltInConfigs).Assembly.GetManifestResourceStream($"configs/{name}.yaml")
            ?? throw new ConfigException($"no built-in config '{name}'; built-in: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Resolves an embedded config with overrides.</summary>
    public static TrainingConfig Resolve(string name, IEnumerable<string> overrides) =>
        LayeredYamlConfig.ResolveText<TrainingConfig>(Text(name), $"built-in config '{name}'", overrides);
}
