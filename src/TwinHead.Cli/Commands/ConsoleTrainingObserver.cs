using Spectre.Console;
using TwinHead.Training.Training;

namespace TwinHead.Cli.Commands;

/// <summary>Draws training progress: one bar per epoch with loss, images/s and ETA, and a line per epoch.</summary>
public sealed class ConsoleTrainingObserver(ProgressContext progress) : ITrainingObserver
{
    private ProgressTask? epochTask;
    private int stepsPerEpoch;

    /// <inheritdoc />
    public void OnStart(RunFolder run, TrainingConfig config, int trainImages, int valImages, int stepsPerEpoch, int firstEpoch)
    {
        this.stepsPerEpoch = stepsPerEpoch;
        AnsiConsole.MarkupLineInterpolated(
            $"run [bold]{run.Path}[/]: {config.Model.Architecture} {config.Model.Backbone} at {config.Data.ImageSize}px, {trainImages} train / {valImages} val images, {stepsPerEpoch} steps per epoch");
    }

    /// <inheritdoc />
    public void OnStep(StepProgress p)
    {
        epochTask ??= progress.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: stepsPerEpoch);
        epochTask.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} {p.ImagesPerSecond,6:F1} img/s";
        epochTask.Value = p.Step;
    }

    /// <inheritdoc />
    public void OnEpoch(EpochSummary s)
    {
        epochTask?.StopTask();
        epochTask = null;
        var r = s.Validation.Report;
        AnsiConsole.MarkupInterpolated(
            $"epoch {s.Epoch}: train loss {s.TrainLoss:F4} | val loss {s.Validation.MeanLoss:F4} screen P/R/F1 {r.ScreenHead.Precision:F3}/{r.ScreenHead.Recall:F3}/{r.ScreenHead.F1:F3} not-doc acc {r.NotDocumentHead.Accuracy:F3} 3-way acc {r.ThreeWay.Accuracy:F3} | lr {s.LearningRate:G3} | {s.ImagesPerSecond:F1} img/s ");
        AnsiConsole.MarkupLine(s.IsBest ? "[green]best[/]" : "");
        if (s.Monitor is { Report: var m })
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[grey]  monitor ({m.Count} images, not used to choose): screen P/R {m.ScreenClass.Precision:F3}/{m.ScreenClass.Recall:F3} ROC AUC {m.ScreenRanking.RocAuc:F3} not-doc acc {m.NotDocumentHead.Accuracy:F3} 3-way acc {m.ThreeWay.Accuracy:F3}[/]");
        }
    }

    /// <inheritdoc />
    public void OnMessage(string message) => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]");

    /// <summary>Runs <paramref name="work"/> inside a progress display whose bars show description, bar, percentage and ETA.</summary>
    public static T Run<T>(Func<ConsoleTrainingObserver, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx => work(new ConsoleTrainingObserver(ctx)));
}
