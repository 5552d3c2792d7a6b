using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace TwinHead.Core.Config;

/// <summary>A config problem, naming the key and where it came from.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Resolves a config object in layers, as timm's train.py does: the record's defaults (the reference recipe), then a YAML
/// file, then <c>key.path=value</c> overrides from the command line. Every key must exist in the defaults, so a typo is an
/// error naming the key and its file and line, never silently ignored. Keys are snake_case.
/// </summary>
public static class LayeredYamlConfig
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .DisableAliases()
        .Build();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Resolves <typeparamref name="T"/> from its defaults, an optional YAML file and overrides.</summary>
    /// <param name="yamlPath">YAML file, or null for defaults only.</param>
    /// <param name="overrides"><c>dotted.key=value</c> strings.</param>
    public static T Resolve<T>(string? yamlPath, IEnumerable<string> overrides) where T : new()
    {
        if (yamlPath is not null && !File.Exists(yamlPath)) throw new ConfigException($"config file '{yamlPath}' not found");
        return ResolveText<T>(yamlPath is null ? null : File.ReadAllText(yamlPath), yamlPath ?? "defaults", overrides);
    }

    /// <summary>Resolves <typeparamref name="T"/> from its defaults, YAML text (named <paramref name="source"/> in errors) and overrides.</summary>
    public static T ResolveText<T>(string? yaml, string source, IEnumerable<string> overrides) where T : new()
    {
        var tree = ToTree(new T());
        if (yaml is not null)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (YamlException e)
            {
                throw new ConfigException($"{source}:{e.Start.Line}: YAML syntax error: {e.InnerException?.Message ?? e.Message}", e);
            }
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is not YamlScalarNode { Value: null or "" })
            {
                if (stream.Documents[0].RootNode is not YamlMappingNode root)
                    throw new ConfigException($"{source}: the top level must be a mapping of keys to values");
                Merge(tree, root, "", source);
            }
        }
        foreach (var o in overrides) ApplyOverride(tree, o);
        return FromTree<T>(tree, source);
    }

    /// <summary>Applies overrides to an existing config (e.g. one saved in a run folder).</summary>
    public static T WithOverrides<T>(T config, IEnumerable<string> overrides) where T : new()
    {
        var tree = ToTree(config);
        foreach (var o in overrides) ApplyOverride(tree, o);
        return FromTree<T>(tree, null);
    }

    /// <summary>The config as YAML (snake_case keys), as saved beside every run.</summary>
    public static string ToYaml<T>(T config) => Serializer.Serialize(config);

    /// <summary>Reads a config saved by <see cref="ToYaml{T}"/> (strictly: unknown keys are errors).</summary>
    public static T Load<T>(string yamlPath) where T : new() => Resolve<T>(yamlPath, []);

    /// <summary>SHA-256 of the YAML form, first 16 hex digits: the config hash stamped into artifacts.</summary>
    public static string Hash<T>(T config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToYaml(config))))[..16];

    private static YamlMappingNode ToTree<T>(T config)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ToYaml(config)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static T FromTree<T>(YamlMappingNode tree, string? source)
    {
        var stream = new YamlStream(new YamlDocument(tree));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        try
        {
            return Deserializer.Deserialize<T>(writer.ToString()) ?? throw new ConfigException("config is empty");
        }
        catch (YamlException e)
        {
            var key = FindKeyAtLine(tree, writer.ToString(), e.Start.Line);
            throw new ConfigException($"{source ?? "config"}: value of '{key}' has the wrong type: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    private static string FindKeyAtLine(YamlMappingNode tree, string yaml, long line)
    {
        var lines = yaml.Split('\n');
        if (line < 1 || line > lines.Length) return "?";
        var path = new List<(int Indent, string Key)>();
        for (var i = 0; i < line; i++)
        {
            var text = lines[i];
            var trimmed = text.TrimStart();
            var colon = trimmed.IndexOf(':');
            if (colon <= 0) continue;
            var indent = text.Length - trimmed.Length;
            path.RemoveAll(p => p.Indent >= indent);
            path.Add((indent, trimmed[..colon]));
        }
        return string.Join('.', path.Select(p => p.Key));
    }

    private static void Merge(YamlMappingNode target, YamlMappingNode source, string prefix, string file)
    {
        foreach (var (keyNode, value) in source.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var dotted = prefix + key;
            var existing = target.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == key);
            if (existing.Key is null)
            {
                throw new ConfigException(
                    $"{file}:{keyNode.Start.Line}: unknown config key '{dotted}'; known keys here: {string.Join(", ", target.Children.Keys.Select(k => prefix + ((YamlScalarNode)k).Value))}");
            }
            if (existing.Value is YamlMappingNode targetChild)
            {
                if (value is YamlMappingNode sourceChild) Merge(targetChild, sourceChild, dotted + ".", file);
                else if (value is YamlScalarNode { Value: null or "" }) continue;
                else throw new ConfigException($"{file}:{keyNode.Start.Line}: '{dotted}' is a section; give it keys, not a value");
            }
            else
            {
                if (value is YamlMappingNode) throw new ConfigException($"{file}:{keyNode.Start.Line}: '{dotted}' takes a value, not a section");
                target.Children[existing.Key] = value;
            }
        }
    }

    private static void ApplyOverride(YamlMappingNode tree, string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"override '{assignment}' must look like key.path=value (e.g. optim.lr=0.01)");
        var path = assignment[..eq].Trim().Split('.');
        var value = assignment[(eq + 1)..].Trim();
        var node = tree;
        for (var i = 0; i < path.Length; i++)
        {
            var key = path[i];
            var match = node.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == key);
            var dotted = string.Join('.', path[..(i + 1)]);
            if (match.Key is null)
            {
                throw new ConfigException($"override '{assignment}': unknown config key '{dotted}'; known keys here: " +
                    string.Join(", ", node.Children.Keys.Select(k => string.Join('.', path[..i].Append(((YamlScalarNode)k).Value!)))));
            }
            if (i == path.Length - 1)
            {
                if (match.Value is YamlMappingNode) throw new ConfigException($"override '{assignment}': '{dotted}' is a section, not a value");
                node.Children[match.Key] = ParseScalarOrList(value);
            }
            else
            {
                node = match.Value as YamlMappingNode ?? throw new ConfigException($"override '{assignment}': '{dotted}' is a value, not a section");
            }
        }
    }

    private static YamlNode ParseScalarOrList(string value)
    {
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader("v: " + value));
            return ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")];
        }
        return new YamlScalarNode(value);
    }
}
