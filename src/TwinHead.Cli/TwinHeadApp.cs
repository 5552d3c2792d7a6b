using Spectre.Console.Cli;
using TwinHead.Cli.Commands;

namespace TwinHead.Cli;

/// <summary>The <c>twinhead</c> command tree.</summary>
public static class TwinHeadApp
{
    /// <summary>Builds the command app with every command registered.</summary>
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("twinhead");
            config.SetExceptionHandler((exception, _) => CliErrors.Report(exception));
            config.AddCommand<QuickstartCommand>("quickstart")
                .WithDescription("Generate a small dataset, train both architectures on it and print the seed's results table.");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a model: defaults are the reference recipe; a YAML config and key=value overrides change it.")
                .WithExample("train", "--config", "configs/default.yaml", "optim.epochs=3", "data.batch_size=64");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Evaluate a checkpoint or run on a split: per-head metrics, 3-way confusion matrix, seed table columns.");
            config.AddCommand<TuneCommand>("tune")
                .WithDescription("Choose thresholds on validation data for a target screen precision and store them in the best checkpoint.");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Write report.html with plots (curves, precision-recall, sweeps, confusion matrices, misclassified gallery) for a run.");
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Train and evaluate the seed's grid (three-output/two-headed at 256/320) and print the seed's table.");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Export a run, checkpoint or reference PyTorch state_dict (.pt) to ONNX and check parity against TorchSharp.")
                .WithExample("export", "runs/my-run", "-o", "model.onnx");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Classify image files, folders or globs with an ONNX model; table, jsonl or csv; exit 1 if any input failed.");
            config.AddCommand<BenchCommand>("bench")
                .WithDescription("Measure ONNX models side by side: end-to-end latency at batch 1, decode / after-decode split, model-only, batch throughput, peak memory, size.");
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Serve a model over HTTP: POST /v1/classify, GET /v1/model, /healthz, /readyz, /metrics, OpenAPI, and a web page at /.")
                .WithExample("serve", "--model", "models/twinhead-default.onnx", "--urls", "http://127.0.0.1:5000");
            config.AddCommand<SynthCommand>("synth")
                .WithDescription("Generate a synthetic dataset in the reference layout.");
            config.AddBranch("dataset", dataset =>
            {
                dataset.SetDescription("Prepare and check datasets in the reference layout.");
                dataset.AddCommand<DatasetSplitCommand>("split").WithDescription("Write stratified train/val/test CSVs for class folders.");
                dataset.AddCommand<DatasetCheckCommand>("check").WithDescription("Check splits: counts, missing/undecodable/small images, duplicates and leakage.");
                dataset.AddCommand<DatasetMergeCommand>("merge")
                    .WithDescription("Merge datasets (generated data and your own photos, or two generator versions) into one root; each keeps its splits.")
                    .WithExample("dataset", "merge", "--out", "data/mixed", "data/v2big", "data/my-photos");
            });
        });
        return app;
    }
}
