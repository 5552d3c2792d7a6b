using TwinHead.Core.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using TwinHead.Core.Config;

namespace TwinHead.Training.Training;

/// <summary>
/// The folder of one training run: <c>config.yaml</c> (resolved), <c>metrics.csv</c> (long format), <c>checkpoints/</c>,
/// <c>train.log</c>, TensorBoard events under <c>tensorboard/</c>, and <c>status.json</c>, which says <c>complete</c> only
/// once training finished, so an interrupted run is never passed off as complete.
/// </summary>
public sealed class RunFolder
{
    private readonly object gate = new();

    private RunFolder(string path) => Path = path;

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>Resolved config.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, "config.yaml");

    /// <summary>Long-format metrics: epoch,split,head,metric,value.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>Best checkpoint by the selection metric.</summary>
    public string BestCheckpoint => System.IO.Path.Combine(Path, "checkpoints", "best.ckpt");

    /// <summary>The checkpoint a path names: the file itself, or a run folder's best checkpoint; null when neither exists.</summary>
    public static string? FindCheckpoint(string fileOrRunFolder)
    {
        if (File.Exists(fileOrRunFolder)) return fileOrRunFolder;
        var best = System.IO.Path.Combine(fileOrRunFolder, "checkpoints", "best.ckpt");
        return Directory.Exists(fileOrRunFolder) && File.Exists(best) ? best : null;
    }

    /// <summary>
    /// The run folder <paramref name="checkpointOrRunFolder"/> is, or whose <c>checkpoints/</c> holds it (a folder with a
    /// config.yaml); null for anything else.
    /// </summary>
    public static string? Containing(string checkpointOrRunFolder)
    {
        var folder = Directory.Exists(checkpointOrRunFolder)
            ? checkpointOrRunFolder
            : System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(checkpointOrRunFolder)));
        return folder is not null && File.Exists(System.IO.Path.Combine(folder, "config.yaml")) ? folder : null;
    }

    /// <summary>
    /// A warning when <paramref name="checkpointOrRunFolder"/> is a run folder, or a checkpoint inside one, whose training
    /// has not completed (status <c>running</c>, <c>interrupted</c>, <c>failed</c>): its best checkpoint is what the epochs
    /// so far chose and changes if training goes on. Null for a completed run or a file outside any run folder.
    /// </summary>
    public static string? UnfinishedTrainingNote(string checkpointOrRunFolder)
    {
        if (Containing(checkpointOrRunFolder) is not { } folder) return null;
        var run = new RunFolder(folder);
        var state = run.ReadStatus();
        if (state == "complete") return null;
        var epoch = run.LastSavedEpoch();
        return $"run {folder} has not completed (status '{state}'{(epoch is null ? "" : $", last saved epoch {epoch}")}): its best checkpoint may still change";
    }

    /// <summary>The epoch recorded in the last checkpoint; null when there is none or it cannot be read (the note must not fail an eval of the best one).</summary>
    private string? LastSavedEpoch()
    {
        if (!File.Exists(LastCheckpoint)) return null;
        try
        {
            return CheckpointFile.ReadMetadata(LastCheckpoint).Extra.GetValueOrDefault("epoch");
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
    }

    /// <summary>Last checkpoint (resumable).</summary>
    public string LastCheckpoint => System.IO.Path.Combine(Path, "checkpoints", "last.ckpt");

    /// <summary>Human-readable log.</summary>
    public string LogPath => System.IO.Path.Combine(Path, "train.log");

    /// <summary>TensorBoard event files.</summary>
    public string TensorboardPath => System.IO.Path.Combine(Path, "tensorboard");

    /// <summary>Run state marker.</summary>
    public string StatusPath => System.IO.Path.Combine(Path, "status.json");

    /// <summary>Creates a new run folder under <paramref name="output"/>; a taken name gets a numeric suffix.</summary>
    public static RunFolder Create(string output, string name)
    {
        Directory.CreateDirectory(output);
        var path = System.IO.Path.Combine(output, name);
        for (var i = 2; Directory.Exists(path); i++) path = System.IO.Path.Combine(output, $"{name}-{i}");
        Directory.CreateDirectory(System.IO.Path.Combine(path, "checkpoints"));
        return new RunFolder(path);
    }

    /// <summary>Opens an existing run folder; throws naming it when it is not one.</summary>
    public static RunFolder Open(string path)
    {
        var run = new RunFolder(path);
        if (!File.Exists(run.ConfigPath)) throw new FileNotFoundException($"{path}: not a TwinHead run folder (no config.yaml)", run.ConfigPath);
        return run;
    }

    /// <summary>Writes the resolved config.</summary>
    public void WriteConfig(TrainingConfig config) => WriteAtomically(ConfigPath, LayeredYamlConfig.ToYaml(config));

    /// <summary>Reads the resolved config back.</summary>
    public TrainingConfig ReadConfig() => LayeredYamlConfig.Load<TrainingConfig>(ConfigPath);

    /// <summary>Records the run state (<c>running</c>, <c>complete</c>, <c>failed</c>) with details.</summary>
    public void WriteStatus(string state, string detail = "") =>
        WriteAtomically(StatusPath, JsonSerializer.Serialize(new { state, detail, time = DateTimeOffset.UtcNow }, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The recorded run state, or <c>unknown</c>.</summary>
    public string ReadStatus()
    {
        if (!File.Exists(StatusPath)) return "unknown";
        using var doc = JsonDocument.Parse(File.ReadAllText(StatusPath));
        return doc.RootElement.GetProperty("state").GetString() ?? "unknown";
    }

    /// <summary>Appends a timestamped line to the log.</summary>
    public void Log(string message)
    {
        lock (gate) File.AppendAllText(LogPath, $"{DateTimeOffset.UtcNow:O} {message}\n");
    }

    /// <summary>Appends metric rows (epoch, split, head, metric, value), creating the file with its header.</summary>
    public void AppendMetrics(IEnumerable<MetricRow> rows)
    {
        lock (gate)
        {
            var exists = File.Exists(MetricsPath);
            using var writer = new StreamWriter(MetricsPath, append: true, new UTF8Encoding(false));
            using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n" });
            if (!exists) csv.WriteRecord(["epoch", "split", "head", "metric", "value"]);
            foreach (var r in rows)
            {
                csv.WriteRecord([r.Epoch.ToString(CultureInfo.InvariantCulture), r.Split, r.Head, r.Metric, r.Value.ToString("R", CultureInfo.InvariantCulture)]);
            }
        }
    }

    /// <summary>Reads all metric rows.</summary>
    public IReadOnlyList<MetricRow> ReadMetrics()
    {
        if (!File.Exists(MetricsPath)) return [];
        using var csv = CsvReader.FromFile(MetricsPath, new CsvReaderOptions { HasHeader = true });
        var rows = new List<MetricRow>();
        while (csv.Read())
        {
            rows.Add(new MetricRow(int.Parse(csv.GetString(0), CultureInfo.InvariantCulture), csv.GetString(1), csv.GetString(2),
                csv.GetString(3), double.Parse(csv.GetString(4), CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    /// <summary>Writes text to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, string text) => AtomicFile.WriteText(path, text);
}

/// <summary>One long-format metric value.</summary>
/// <param name="Epoch">Epoch (1-based; 0 for a final evaluation).</param>
/// <param name="Split">train, val, test.</param>
/// <param name="Head">screen, not_document, three_way, or all.</param>
/// <param name="Metric">loss, accuracy, precision, recall, f1, lr, images_per_second...</param>
/// <param name="Value">The value.</param>
public sealed record MetricRow(int Epoch, string Split, string Head, string Metric, double Value);
