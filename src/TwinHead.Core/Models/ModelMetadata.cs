using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TwinHead.Core.Labels;

namespace TwinHead.Core.Models;

/// <summary>
/// What an artifact (checkpoint or ONNX file) says about itself, so a consumer needs only its path:
/// architecture, backbone, preprocessing, class and head names, thresholds and the hash of the training config.
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>Architecture name: <c>two-headed</c> or <c>three-output</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Backbone name in the model registry, e.g. <c>shufflenet_v2_x0_5</c>.</summary>
    public required string Backbone { get; init; }

    /// <summary>How images become the input tensor.</summary>
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Three-way class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = DocumentClasses.Names;

    /// <summary>Binary head names, head 1 first.</summary>
    public IReadOnlyList<string> HeadNames { get; init; } = Head.Both.Select(h => h.Name).ToArray();

    /// <summary>Decision thresholds (tuned on validation data, or the 0.5 defaults).</summary>
    public DecisionThresholds Thresholds { get; init; } = DecisionThresholds.Default;

    /// <summary>SHA-256 (hex, first 16 chars) of the resolved training config.</summary>
    public string ConfigHash { get; init; } = "";

    /// <summary>TwinHead version that wrote the artifact.</summary>
    public string TwinHeadVersion { get; init; } = TwinHeadVersionInfo.Current;

    /// <summary>Free-form provenance: run id, epoch, dataset, etc.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Keys used in ONNX metadata_props and checkpoint envelopes.</summary>
    public static class Keys
    {
#pragma warning disable CS1591 // the names say it
        public const string Architecture = "twinhead.architecture";
        public const string Backbone = "twinhead.backbone";
        public const string ImageWidth = "twinhead.image_width";
        public const string ImageHeight = "twinhead.image_height";
        public const string ResizeMode = "twinhead.resize_mode";
        public const string Mean = "twinhead.mean";
        public const string Std = "twinhead.std";
        public const string ClassNames = "twinhead.class_names";
        public const string HeadNames = "twinhead.head_names";
        public const string ScreenThreshold = "twinhead.threshold.screen";
        public const string NotDocumentThreshold = "twinhead.threshold.not_document";
        public const string ConfigHash = "twinhead.config_hash";
        public const string Version = "twinhead.version";
        public const string ExtraPrefix = "twinhead.extra.";
#pragma warning restore CS1591
    }

    /// <summary>Flattens to string properties (ONNX metadata_props).</summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var p = new Dictionary<string, string>
        {
            [Keys.Architecture] = Architecture,
            [Keys.Backbone] = Backbone,
            [Keys.ImageWidth] = Preprocessing.Width.ToString(CultureInfo.InvariantCulture),
            [Keys.ImageHeight] = Preprocessing.Height.ToString(CultureInfo.InvariantCulture),
            [Keys.ResizeMode] = Preprocessing.Resize.ToString().ToLowerInvariant(),
            [Keys.Mean] = JoinFloats(Preprocessing.Mean),
            [Keys.Std] = JoinFloats(Preprocessing.Std),
            [Keys.ClassNames] = string.Join(',', ClassNames),
            [Keys.HeadNames] = string.Join(',', HeadNames),
            [Keys.ScreenThreshold] = Thresholds.Screen.ToString("R", CultureInfo.InvariantCulture),
            [Keys.NotDocumentThreshold] = Thresholds.NotDocument.ToString("R", CultureInfo.InvariantCulture),
            [Keys.ConfigHash] = ConfigHash,
            [Keys.Version] = TwinHeadVersion,
        };
        foreach (var (k, v) in Extra) p[Keys.ExtraPrefix + k] = v;
        return p;
    }

    /// <summary>Reads metadata back from string properties; throws naming the missing or malformed key.</summary>
    public static ModelMetadata FromProperties(IReadOnlyDictionary<string, string> p, string source)
    {
        string Get(string key) => p.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new InvalidDataException($"{source}: metadata key '{key}' is missing; was this file written by TwinHead?");
        int GetInt(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{source}: metadata key '{key}' is not an integer: '{Get(key)}'");
        double GetDouble(string key) => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new InvalidDataException($"{source}: metadata key '{key}' is not a number: '{Get(key)}'");
        float[] GetFloats(string key)
        {
            var parts = Get(key).Split(',');
            var values = new float[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                    throw new InvalidDataException($"{source}: metadata key '{key}' has a non-number '{parts[i]}'");
            }
            return values;
        }
        if (!Enum.TryParse<ResizeMode>(Get(Keys.ResizeMode), ignoreCase: true, out var resize))
            throw new InvalidDataException($"{source}: metadata key '{Keys.ResizeMode}' has unknown value '{Get(Keys.ResizeMode)}'");
        var spec = new PreprocessingSpec(GetInt(Keys.ImageWidth), GetInt(Keys.ImageHeight), resize, GetFloats(Keys.Mean), GetFloats(Keys.Std));
        try { spec.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
        return new ModelMetadata
        {
            Architecture = Get(Keys.Architecture),
            Backbone = Get(Keys.Backbone),
            Preprocessing = spec,
            ClassNames = Get(Keys.ClassNames).Split(','),
            HeadNames = Get(Keys.HeadNames).Split(','),
            Thresholds = new DecisionThresholds(GetDouble(Keys.ScreenThreshold), GetDouble(Keys.NotDocumentThreshold)),
            ConfigHash = p.TryGetValue(Keys.ConfigHash, out var h) ? h : "",
            TwinHeadVersion = p.TryGetValue(Keys.Version, out var ver) ? ver : "unknown",
            Extra = p.Where(kv => kv.Key.StartsWith(Keys.ExtraPrefix, StringComparison.Ordinal))
                     .ToDictionary(kv => kv.Key[Keys.ExtraPrefix.Length..], kv => kv.Value),
        };
    }

    /// <summary>JSON form (checkpoint envelopes, <c>GET /v1/model</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToProperties(), JsonOptions);

    /// <summary>Parses the JSON form.</summary>
    public static ModelMetadata FromJson(string json, string source)
    {
        Dictionary<string, string>? p;
        try { p = JsonSerializer.Deserialize<Dictionary<string, string>>(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: metadata is not valid JSON: {e.Message}", e); }
        return FromProperties(p ?? throw new InvalidDataException($"{source}: metadata is empty"), source);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private static string JoinFloats(float[] values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}

/// <summary>The TwinHead version stamped into artifacts.</summary>
public static class TwinHeadVersionInfo
{
    /// <summary>Informational version of TwinHead.Core.</summary>
    public static string Current { get; } =
        typeof(TwinHeadVersionInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
