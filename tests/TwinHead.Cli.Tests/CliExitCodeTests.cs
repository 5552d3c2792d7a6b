using TwinHead.Core.Data;

namespace TwinHead.Cli.Tests;

/// <summary>The CLI's contract for bad input: a message naming the file or key, a non-zero exit, nothing half-written.</summary>
[Collection("console")]
public sealed class CliExitCodeTests : IDisposable
{
    private readonly string scratch = Path.Combine(Path.GetTempPath(), $"twinhead-cli-{Guid.NewGuid():N}");
    private readonly StringWriter output = new();
    private readonly TextWriter originalOut = Console.Out;

    public CliExitCodeTests()
    {
        Directory.CreateDirectory(scratch);
        Console.SetOut(output);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        });
        // Wide enough that messages naming long temporary paths are not wrapped mid-word.
        Spectre.Console.AnsiConsole.Console.Profile.Width = 400;
    }

    private int Run(params string[] args) => TwinHeadApp.Create().Run(args);

    private string Output => output.ToString().ReplaceLineEndings(" ");

    [Theory]
    [InlineData("160", 160)]
    [InlineData(" 120 ", 120)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("wide", null)]
    [InlineData("-100", null)]
    [InlineData("12", null)]
    [InlineData("100000", null)]
    public void COLUMNS_sets_the_table_width_only_when_it_is_a_plausible_width(string? columns, int? expected) =>
        Assert.Equal(expected, ConsoleWidth.Parse(columns));

    [Fact]
    public void Unknown_config_key_exits_2_naming_the_key_and_makes_no_run()
    {
        var code = Run("train", "optim.lrr=0.1", $"output={scratch}/runs");
        Assert.Equal(2, code);
        Assert.Contains("optim.lrr", Output);
        Assert.False(Directory.Exists(Path.Combine(scratch, "runs")));
    }

    [Fact]
    public void Serve_without_a_model_takes_the_default_one_and_a_missing_default_is_named()
    {
        var missing = Path.Combine(scratch, "missing.onnx");
        var previous = Environment.GetEnvironmentVariable(TwinHead.Inference.DefaultModel.EnvironmentVariable);
        try
        {
            // The default model is looked up before anything listens, so a missing one fails at once, naming the file.
            Environment.SetEnvironmentVariable(TwinHead.Inference.DefaultModel.EnvironmentVariable, missing);
            Assert.NotEqual(0, Run("serve", "--urls", "http://127.0.0.1:0", "--no-watch"));
            Assert.Contains("missing.onnx", Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TwinHead.Inference.DefaultModel.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public void Unknown_key_in_a_yaml_file_names_file_and_line()
    {
        var yaml = Path.Combine(scratch, "c.yaml");
        File.WriteAllText(yaml, "data:\n  batchsize: 3\n");
        Assert.Equal(2, Run("train", "-c", yaml));
        Assert.Contains("c.yaml:2", Output);
        Assert.Contains("data.batchsize", Output);
    }

    [Fact]
    public void Missing_dataset_exits_2_and_names_it()
    {
        Assert.Equal(2, Run("train", $"data.root={scratch}/nothing-here", $"output={scratch}/runs"));
        Assert.Contains("nothing-here", Output);
        Assert.False(Directory.Exists(Path.Combine(scratch, "runs")));
    }

    [Fact]
    public void Print_config_shows_the_resolved_reference_recipe()
    {
        Assert.Equal(0, Run("train", "--print-config", "optim.epochs=3"));
        Assert.Contains("epochs: 3", Output);
        Assert.Contains("lr: 0.001", Output);
        Assert.Contains("label_smoothing: 0.1", Output);
    }

    [Fact]
    public void Synth_split_and_check_round_trip_and_check_fails_on_a_broken_row()
    {
        var root = Path.Combine(scratch, "data");
        Assert.Equal(0, Run("synth", "--out", root, "--count", "30", "--size", "48x48", "--version", "procedural"));
        Assert.Equal(2, Run("dataset", "split", root));
        Assert.Contains("--force", Output);
        Assert.Equal(0, Run("dataset", "split", root, "--force"));
        Assert.Equal(0, Run("dataset", "check", root, "--min-size", "32"));
        File.AppendAllText(SplitNames.CsvPath(root, "train"), "screens/missing.jpg,2\n");
        Assert.Equal(1, Run("dataset", "check", root));
        Assert.Contains("train.csv:", Output);
        Assert.Contains("screens/missing.jpg", Output);
    }

    [Fact]
    public void Dataset_merge_needs_an_output_root_names_a_missing_source_and_merges_two_generated_sets()
    {
        var first = Path.Combine(scratch, "v1");
        var second = Path.Combine(scratch, "v2");
        var merged = Path.Combine(scratch, "mixed");
        Assert.Equal(0, Run("synth", "--out", first, "--count", "30", "--size", "48x48", "--version", "procedural", "--seed", "1"));
        Assert.Equal(0, Run("synth", "--out", second, "--count", "30", "--size", "48x48", "--version", "procedural", "--seed", "2"));

        Assert.NotEqual(0, Run("dataset", "merge", first, second));
        Assert.Contains("--out ROOT is required", Output);
        Assert.Equal(2, Run("dataset", "merge", "--out", merged, first, Path.Combine(scratch, "v3")));
        Assert.Contains("v3' does not exist", Output);
        Assert.False(Directory.Exists(merged));

        Assert.Equal(0, Run("dataset", "merge", "--out", merged, first, second));
        Assert.Equal(0, Run("dataset", "check", merged, "--min-size", "32"));
        Assert.Equal(60, SplitNames.All.Sum(s => SplitCsv.Read(SplitNames.CsvPath(merged, s)).Rows.Count));
    }

    [Fact]
    public void Synth_contact_sheets_write_one_png_per_class_and_no_dataset()
    {
        var sheets = Path.Combine(scratch, "sheets");
        Assert.Equal(0, Run("synth", "--contact-sheets", sheets, "--version", "procedural"));
        var files = Directory.GetFiles(sheets).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(new[] { "contact-documents-procedural.png", "contact-not-a-documents-procedural.png", "contact-screens-procedural.png" }, files);
        Assert.All(Directory.GetFiles(sheets), f => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(f)[..4]));
        Assert.False(Directory.Exists(Path.Combine(scratch, "data")));
    }

    [Fact]
    public void Bad_synth_size_is_named()
    {
        Assert.Equal(2, Run("synth", "--out", Path.Combine(scratch, "x"), "--size", "big"));
        Assert.Contains("--size 'big'", Output);
    }

    [Fact]
    public void Synth_held_out_sources_outside_zero_to_one_is_named_and_writes_no_dataset()
    {
        var data = Path.Combine(scratch, "data");

        Assert.Equal(2, Run("synth", "--out", data, "--count", "3", "--size", "48x48", "--held-out-sources", "1"));

        Assert.Contains("--held-out-sources 1 must be at least 0 and below 1", Output);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public void Synth_with_held_out_sources_says_how_many_it_kept_for_validation_and_test()
    {
        var data = Path.Combine(scratch, "data");

        Assert.Equal(0, Run("synth", "--out", data, "--count", "6", "--size", "48x48", "--held-out-sources", "0.2"));

        Assert.Contains("held out for validation and test images only:", Output);
        Assert.Contains(File.ReadAllLines(Path.Combine(data, "sources.tsv")), line => line.StartsWith("held-out font\t", StringComparison.Ordinal));
    }

    [Fact]
    public void Synth_with_a_font_folder_without_fonts_exits_2_naming_it_and_writes_no_dataset()
    {
        var fonts = Path.Combine(scratch, "fonts");
        Directory.CreateDirectory(fonts);
        var data = Path.Combine(scratch, "data");

        Assert.Equal(2, Run("synth", "--out", data, "--count", "3", "--size", "48x48", "--fonts", fonts));

        Assert.Contains($"font folder '{fonts}' holds no TrueType or OpenType files", Output);
        Assert.False(Directory.Exists(data));
        Assert.Equal(2, Run("synth", "--out", data, "--fonts", Path.Combine(scratch, "missing")));
        Assert.Contains("--fonts '", Output);
    }

    [Fact]
    public void Eval_of_a_non_checkpoint_names_the_file()
    {
        var fake = Path.Combine(scratch, "fake.ckpt");
        File.WriteAllText(fake, "not a zip");
        Assert.Equal(2, Run("eval", fake, "--data", scratch));
        Assert.Contains("fake.ckpt", Output);
    }

    [Fact]
    public void Eval_rejects_a_negative_bootstrap_count()
    {
        Assert.Equal(2, Run("eval", Path.Combine(scratch, "any.ckpt"), "--bootstrap", "-5"));
        Assert.Contains("--bootstrap must be 0 or more, got -5", Output);
    }

    [Fact]
    public void Eval_by_a_column_reports_each_group_and_a_wrong_column_or_missing_file_exits_2_naming_it()
    {
        var data = Path.Combine(scratch, "data");
        Assert.Equal(0, Run("synth", "--out", data, "--count", "9", "--size", "48x48", "--version", "procedural", "--seed", "1"));
        var model = RepositoryFile("models", "twinhead-default.ckpt");
        string[] evalTrain = ["eval", model, "--data", data, "--split", "train", "--latency", "0", "--bootstrap", "0"];

        Assert.Equal(0, Run([.. evalTrain, "--by", "device"]));
        // The train split of 9 procedural images: two documents and two not-documents have no device, two screens are monitors.
        Assert.Contains("twinhead-default.ckpt by device", Output);
        Assert.Contains("4 (2/2/0)", Output);
        Assert.Contains("2 (0/0/2)", Output);
        Assert.Matches(@"[0-2] of 2 \(", Output);

        var tags = Path.Combine(scratch, "tags.csv");
        File.WriteAllText(tags, "path,room\nscreens/s_000005.jpg,office\ndocuments/d_000003.jpg,kitchen\n");
        Assert.Equal(0, Run([.. evalTrain, "--by", "room", "--groups", tags]));
        Assert.Contains("by room", Output);
        Assert.Contains("4 (1/2/1)", Output);
        Assert.Contains("(not listed)", Output);

        Assert.Equal(2, Run([.. evalTrain, "--by", "devise"]));
        Assert.Contains("no column 'devise'", Output);
        Assert.Contains("generator.csv", Output);
        File.Delete(Path.Combine(data, "generator.csv"));
        Assert.Equal(2, Run([.. evalTrain, "--by", "device"]));
        Assert.Contains("has no generator.csv", Output);
        Assert.Equal(2, Run([.. evalTrain, "--groups", tags]));
        Assert.Contains("--groups needs --by", Output);
    }

    [Fact]
    public void Eval_probe_prints_one_row_per_change_beside_the_usual_tables()
    {
        var data = Path.Combine(scratch, "data");
        Assert.Equal(0, Run("synth", "--out", data, "--count", "9", "--size", "48x48", "--version", "procedural", "--seed", "1"));
        var model = RepositoryFile("models", "twinhead-default.ckpt");

        Assert.Equal(0, Run("eval", model, "--data", data, "--split", "train", "--latency", "0", "--bootstrap", "0", "--probe"));

        Assert.Contains("the same images changed", Output);
        Assert.Contains("3-way confusion", Output);
        foreach (var change in TwinHead.Imaging.ImagePerturbation.Standard)
            Assert.Contains(change.Name, Output);
        // The unchanged row: this train split holds 2 screens and 4 other images.
        Assert.Matches(@"none\s+│\s+[0-2] of 2\s+│\s+[0-4] of 4", Output);
    }

    [Fact]
    public void Eval_and_export_warn_when_the_run_has_not_completed()
    {
        var data = Path.Combine(scratch, "data");
        Assert.Equal(0, Run("synth", "--out", data, "--count", "6", "--size", "48x48", "--version", "procedural", "--seed", "1"));
        var run = Path.Combine(scratch, "runs", "still-training");
        Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
        File.Copy(RepositoryFile("models", "twinhead-default.ckpt"), Path.Combine(run, "checkpoints", "best.ckpt"));
        File.WriteAllText(Path.Combine(run, "config.yaml"), "seed: 42\n");
        File.WriteAllText(Path.Combine(run, "status.json"), "{\"state\": \"running\", \"detail\": \"\"}");

        Assert.Equal(0, Run("eval", run, "--data", data, "--split", "train", "--latency", "0", "--bootstrap", "0"));
        Assert.Contains($"warning: run {run} has not completed (status 'running'): its best checkpoint may still change", Output);
        Assert.Equal(0, Run("export", run, "-o", Path.Combine(scratch, "early.onnx")));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(Output, "has not completed").Count);

        File.WriteAllText(Path.Combine(run, "status.json"), "{\"state\": \"complete\", \"detail\": \"\"}");
        Assert.Equal(0, Run("eval", Path.Combine(run, "checkpoints", "best.ckpt"), "--data", data, "--split", "train", "--latency", "0", "--bootstrap", "0"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(Output, "has not completed").Count);
    }

    private static string RepositoryFile(string folder, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder, name);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "configs", "default.yaml"))) return candidate;
        }
        throw new FileNotFoundException($"{folder}/{name} not found above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Directory.Delete(scratch, recursive: true);
    }
}
